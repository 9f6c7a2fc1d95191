#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at the host/port of $PERF_PG_DSN (or the default).
# Installed but stopped: starts the local cluster. Not installed: says how to install it and
# exits non-zero. Used by make run, make test and make bench.
set -euo pipefail

dsn="${PERF_PG_DSN:-postgres://postgres@127.0.0.1:5432/perf?sslmode=disable}"
# host and port of a postgres:// URL (user@host:port/db?...)
hostport="${dsn#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"; hostport="${hostport%%\?*}"
host="${hostport%%:*}"; port="${hostport##*:}"
[ "$port" = "$hostport" ] && port=5432
[ -n "$host" ] || host=127.0.0.1

if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v pg_isready >/dev/null 2>&1; then
  cat >&2 <<MSG
PostgreSQL is not installed on this machine. Install it with:
    apt-get update && apt-get install -y postgresql
(or point PERF_PG_DSN at a PostgreSQL 15+ server you run elsewhere).
MSG
  exit 1
fi

ready() { pg_isready -q -h "$host" -p "$port" -t 2; }

if ready; then exit 0; fi

case "$host" in
  127.0.0.1|localhost|::1) ;;
  *) echo "PostgreSQL at $host:$port does not answer (PERF_PG_DSN); start it there." >&2; exit 1 ;;
esac

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  cat >&2 <<MSG
No local PostgreSQL cluster is installed. Install one with:
    apt-get update && apt-get install -y postgresql
MSG
  exit 1
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
echo "PostgreSQL $version is not running at $host:$port; starting it" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  if ready; then exit 0; fi
  sleep 1
done
echo "PostgreSQL $version did not come up at $host:$port within 30 s" >&2
exit 1
