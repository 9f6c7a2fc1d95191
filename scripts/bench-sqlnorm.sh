#!/usr/bin/env bash
# Compares internal/sqlnorm with DataDog's go-sqllexer (ObfuscateAndNormalize,
# PostgreSQL) on the statement sets in internal/sqlnorm/testdata/bench, in one
# `go test -bench` run of the bench/ module, and prints a markdown table of
# medians. Takes about 1-2 minutes. Works from a clean clone (downloads the
# bench module's dependencies through the Go module proxy).
#
#   COUNT=10 BENCHTIME=300ms scripts/bench-sqlnorm.sh [-strict]
#
# Raw benchmark output goes to stderr, the table to stdout. With -strict the
# script fails when a throughput goal (3x short, 2x larger statements) is
# not met.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/bench"

count="${COUNT:-10}"
benchtime="${BENCHTIME:-300ms}"
raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT

# -mod=mod lets go.sum follow changes of the root module's requirements.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"

go test -run '^$' -bench '^BenchmarkNormalize$' -benchmem \
	-count "$count" -benchtime "$benchtime" . | tee "$raw" >&2
echo >&2
go run ./cmd/benchtable "$@" < "$raw"
