#!/usr/bin/env bash
# make bench: every figure the issues ask for, each against a baseline measured in the
# same run, gathered into one markdown report (stdout and bench/results/REPORT.md).
# The data sets are the issues' full scale (30 days × 1M spans/day); the whole run takes
# about 25 minutes on a 2-core machine, plus up to about 90 for the capacity section (the
# mixed-load steps, ingest-only and mixed, and the scale-out runs), and needs ~15 GB of free
# disk for PostgreSQL. Smaller runs: set the variables below.
#
#   PERF_BENCH_SPANS=400000            spans of the exporter ingest benchmark
#   PERF_BENCH_ROUNDS=3                rounds of the ingest benchmark (median reported)
#   PERF_BENCH_SPANS_PER_DAY=500000    server spans/day of the 30-day GraphQL data set, each with
#                                      one DB span: 1M spans/day over 3 tenants
#   PERF_BENCH_DAYS=30
#   PERF_ENGINE_SPANS_PER_DAY=245000   server spans/day of the optimization engine's 30-day set
#                                      (3.1 DB spans each: 1M spans/day in one tenant)
#   PERF_OUTAGE=60s PERF_SOAK=5m       database outage and soak of the reliability suite
#   PERF_BENCH_THIN_HOURS=24           hours of the bytes-per-span data set (3 tenants, all sealed)
#   PERF_BENCH_THIN_PER_HOUR=3000      requests per tenant and hour of it (3.3 DB spans each)
#   PERF_MIXED_RATES=500,1000,2000,4000,8000,16000,32000,64000,128000,256000
#                                      spans/s of the mixed-load steps (server + DB spans, 3
#                                      tenants); stepping stops at the first step that breaks
#   PERF_MIXED_STEP=3m                 duration of one step (the same steps run ingest-only first)
#                                      quick check: PERF_MIXED_RATES=1000,4000 PERF_MIXED_STEP=60s
#                                      PERF_SCALE_RATES=64000,192000 PERF_SCALE_STEP=45s
#   PERF_MIXED_INTERVAL=60s            scheduler.interval of the mixed load (rollup refresh, engine)
#   PERF_MIXED_CLIENTS=20 PERF_MIXED_POLL=5s
#                                      dashboard clients, each posting the five seed queries in
#                                      turn and then waiting PERF_MIXED_POLL
#   PERF_MIXED_SENDERS=4               load generators per collector (scale-out: 4 × 3 in all)
#   PERF_SCALE_RATES=32000,64000,96000,128000,192000,256000 PERF_SCALE_STEP=2m PERF_SCALE_REPLICAS=3
#                                      scale-out: steps of spans/s offered to 1..N collectors on one
#                                      database (ingest only), each count until a step breaks
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/ensure-postgres.sh"
mkdir -p bench/results
report=bench/results/REPORT.md
log=bench/results/bench.log
: > "$log"

section() { printf '\n## %s\n\n' "$1" | tee -a "$report"; }
# tables: the markdown rows of a log, a blank line before each new table's header row
tables() { grep '^|' "$1" | awk '!seen[$0]++' | awk '{ l[NR] = $0 } END { for (i = 1; i <= NR; i++) { if (i > 1 && l[i+1] ~ /^\|---/) print ""; print l[i] } }'; }

{
  echo "# otelcol-perf benchmark report"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | awk '{print $3}'). Ratios are taken within one run."
} > "$report"

section "SQL normalizer vs DataDog go-sqllexer"
COUNT="${COUNT:-6}" BENCHTIME="${BENCHTIME:-300ms}" scripts/bench-sqlnorm.sh 2>>"$log" | tee -a "$report"

section "queryhash processor, cost per span"
go test -run '^$' -bench 'BenchmarkProcess' -benchmem -count 5 -benchtime 2000x ./processor/queryhashprocessor/ >>"$log" 2>&1
awk '/^BenchmarkProcess/ {n=$1; sub(/-[0-9]+$/, "", n); s[n]=s[n] " " $5; a[n]=$9}
     END {print "| span kind | ns/span (5 runs) | allocs per 100 spans |"; print "|---|---|---|";
          for (k in s) print "| " k " |" s[k] " | " a[k] " |"}' "$log" | tee -a "$report"

section "perfpg exporter ingest vs raw pgx CopyFrom"
PERF_BENCH=1 PERF_BENCH_SPANS="${PERF_BENCH_SPANS:-400000}" go test -count=1 -timeout 30m -run TestBenchIngest -v ./exporter/perfpgexporter/ >>"$log" 2>&1
grep '^|' "$log" | sed -n '/figure | value/,$p' | awk '!seen[$0]++' | tee -a "$report"

section "end-to-end ingest (OTLP/gRPC → queryhash → perfpg, persistent queue) vs plain binary COPY"
# the real binary with config.yaml (pprof extension added to split its CPU per stage)
go build -o bin/otelcol-perf ./cmd/otelcol-perf
mkdir -p bench/results/pprof
PERF_BENCH=1 PERF_BENCH_SPANS="${PERF_BENCH_SPANS:-400000}" PERF_BENCH_PROFILE="$root/bench/results/pprof" OTELCOL_PERF_BIN="$root/bin/otelcol-perf" \
  go test -count=1 -timeout 30m -run TestBenchIngestEndToEnd -v ./test/e2e/ >"$log.e2eingest" 2>&1 || { cat "$log.e2eingest" >&2; exit 1; }
cat "$log.e2eingest" >>"$log"
tables "$log.e2eingest" | tee -a "$report"

section "perfgraphql queries and rollups on the 30-day data set"
PERF_BENCH_SPANS_PER_DAY="${PERF_BENCH_SPANS_PER_DAY:-500000}" PERF_BENCH_DAYS="${PERF_BENCH_DAYS:-30}" \
  go test -tags bench -count=1 -timeout 60m -run TestBench -v ./extension/perfgraphqlext/internal/bench >"$log.graphql" 2>&1 || { cat "$log.graphql" >&2; exit 1; }
cat "$log.graphql" >>"$log"
tables "$log.graphql" | tee -a "$report"

section "bytes per stored span: raw-span thinning of sealed hours"
PERF_BENCH_THIN_HOURS="${PERF_BENCH_THIN_HOURS:-24}" PERF_BENCH_THIN_PER_HOUR="${PERF_BENCH_THIN_PER_HOUR:-3000}" \
  go test -tags bench -count=1 -timeout 30m -run TestBenchBytesPerSpan -v ./extension/perfgraphqlext/ >"$log.bytes" 2>&1 || { cat "$log.bytes" >&2; exit 1; }
cat "$log.bytes" >>"$log"
{ grep '^Bytes per stored span' "$log.bytes"; echo; tables "$log.bytes"; } | tee -a "$report"

section "optimization engine run time"
# The 30-day case is reported even when it misses its goal (the test then fails on purpose).
PERF_BENCH_SPANS_PER_DAY="${PERF_ENGINE_SPANS_PER_DAY:-245000}" PERF_BENCH_DAYS=30 \
  go test -tags bench -count=1 -timeout 60m -run TestBenchEngine -v ./extension/perfgraphqlext/internal/optimizer >"$log.engine" 2>&1 \
  || echo "(the engine benchmark reported a missed goal; see the table)" | tee -a "$report"
cat "$log.engine" >>"$log"
tables "$log.engine" | tee -a "$report"

section "reliability: outage, kill -9, overload, soak"
PERF_BENCH=1 PERF_OUTAGE="${PERF_OUTAGE:-60s}" PERF_SOAK="${PERF_SOAK:-5m}" \
  go test -count=1 -timeout 60m -run 'TestReliability(DatabaseOutage|CollectorKill9|OverloadPushesBack|Soak)' -v ./test/e2e/ >"$log.reliability" 2>&1 \
  || { cat "$log.reliability" >&2; exit 1; }
cat "$log.reliability" >>"$log"
{ echo "| figure | value | baseline | ratio | goal |"; echo "|---|---|---|---|---|"; tables "$log.reliability"; } | tee -a "$report"

section "capacity: mixed-load ceiling of one database, scale-out"
# About 2 × steps × PERF_MIXED_STEP + PERF_SCALE_REPLICAS × steps × PERF_SCALE_STEP, plus start-ups.
PERF_BENCH=1 go test -count=1 -timeout 180m -run 'TestBench(MixedLoad|ScaleOut)$' -v ./test/e2e/ >"$log.capacity" 2>&1 \
  || { cat "$log.capacity" >&2; exit 1; }
cat "$log.capacity" >>"$log"
# the tables with their headings and summary lines (the test prints them; t.Log lines are indented)
grep -E '^(### |\||Mixed-load ceiling|\(The mixed run|One [0-9]+-core)' "$log.capacity" \
  | awk '/^\|/ { print; next } { print ""; print; print "" }' | tee -a "$report"

echo
echo "report: $report (raw output: $log)"
