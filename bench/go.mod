module github.com/otelcol-perf/otelcol-perf/bench

go 1.26.0

require (
	github.com/DataDog/go-sqllexer v0.2.6
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/otelcol-perf/otelcol-perf v0.0.0-00010101000000-000000000000
)

replace github.com/otelcol-perf/otelcol-perf => ../
