#!/usr/bin/env bash
# Installs what make test needs beyond Go and a running PostgreSQL, from Debian's packages:
#  - the HypoPG extension for the local PostgreSQL major version (index-suggestion validation
#    is tested against a real database with CREATE EXTENSION hypopg)
#  - prometheus-alertmanager (the alerting tests deliver to a real Alertmanager)
# Prints what it installs; exits non-zero with the command to run when it cannot.
set -euo pipefail

need=()
if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  if [ ! -f "/usr/share/postgresql/$version/extension/hypopg.control" ]; then
    need+=("postgresql-$version-hypopg")
  fi
fi

if ! command -v prometheus-alertmanager >/dev/null 2>&1 && [ ! -x /usr/bin/prometheus-alertmanager ]; then
  need+=("prometheus-alertmanager")
fi

[ "${#need[@]}" -eq 0 ] && exit 0

echo "installing ${need[*]} (apt-get)" >&2
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${need[*]}: install with  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${need[@]}" >&2
