//go:build bench

package perfgraphqlext

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// spanTables are the tables that hold what is stored per span: the two span logs, every
// rollup computed from them, the N+1 groups and the sealed hours' bookkeeping. (Resource and
// pool metrics are not spans and are left out.)
var spanTables = []string{
	"api_performance_log", "query_performance_log",
	"perf_endpoint_minutely", "perf_endpoint_hourly", "perf_endpoint_daily",
	"perf_query_minutely", "perf_query_hourly", "perf_query_daily",
	"performance_metrics_cache", "performance_metrics_daily",
	"perf_nplusone_hourly", "perf_nplusone_hours", "perf_sealed_hours",
}

// spanBytes is the on-disk size (heap, indexes, TOAST) of spanTables, partitions included,
// after VACUUM FULL: the bytes the rows need. (A DELETE alone frees space inside the files for
// later rows of the same partition, it does not shrink them: see docs/database.md.)
func spanBytes(t testing.TB, pool *pgxpool.Pool) (total, minutes int64) {
	t.Helper()
	perfdbtest.Exec(t, pool, "VACUUM FULL")
	per := ""
	for _, tb := range spanTables {
		n := perfdbtest.Scalar[int64](t, pool, `SELECT CASE WHEN c.relkind = 'p'
			                 THEN (SELECT coalesce(sum(pg_total_relation_size(p.relid)), 0) FROM pg_partition_tree(c.oid) p)
			                 ELSE pg_total_relation_size(c.oid) END::bigint
			FROM pg_class c WHERE c.oid = $1::regclass`, tb)
		per += fmt.Sprintf(" %s=%d", tb, n)
		total += n
		if strings.HasSuffix(tb, "_minutely") {
			minutes += n
		}
	}
	t.Logf("bytes:%s", per)
	return total, minutes
}

// TestBenchBytesPerSpan measures the bytes stored per span before and after sealing and
// thinning, for each retention.raw_spans mode, on realistic traces (seedThinTraffic: one
// server span and 2-4 DB spans, N+1 loops, leading-wildcard LIKEs, 2% failed requests,
// log-normal latencies) of 3 tenants over PERF_BENCH_THIN_HOURS hours (24) at
// PERF_BENCH_THIN_PER_HOUR requests per tenant and hour (3000). Rollups refreshed and the
// engine run before sealing, as the scheduler does. Prints a markdown table:
//
//	go test -tags bench -count=1 -run TestBenchBytesPerSpan -v ./extension/perfgraphqlext/
func TestBenchBytesPerSpan(t *testing.T) {
	hours, perHour := 24, 3000
	if n, err := strconv.Atoi(os.Getenv("PERF_BENCH_THIN_HOURS")); err == nil && n > 0 {
		hours = n
	}
	if n, err := strconv.Atoi(os.Getenv("PERF_BENCH_THIN_PER_HOUR")); err == nil && n > 0 {
		perHour = n
	}
	type result struct {
		mode             string
		spans, bytes     int64
		minuteBytes      int64
		queryRows, kept  int64
		apiRows, apiKept int64
	}
	var results []result
	var before result
	for _, mode := range []string{RawSpansKeepAll, RawSpansKeepInteresting, RawSpansKeepSample} {
		pool, dsn := perfdbtest.NewMigratedPool(t)
		now := time.Now().UTC()
		// the data ends past the horizon: every hour is sealed
		end := now.Truncate(time.Hour).Add(-7 * time.Hour)
		start := end.Add(-time.Duration(hours) * time.Hour)
		for _, tn := range []string{"acme", "globex", "initech"} {
			tid := perfgraphqltest.SeedTenant(t, pool, tn, thinFps...)
			seedThinTraffic(t, pool, tid, start, end, perHour)
		}
		t0 := time.Now()
		s := thinScheduler(t, dsn, nil)
		tick(t, s)
		s.Close()
		spans := perfdbtest.Scalar[int64](t, pool, "SELECT (SELECT count(*) FROM api_performance_log) + (SELECT count(*) FROM query_performance_log)")
		qrows := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log")
		if mode == RawSpansKeepAll {
			b, m := spanBytes(t, pool)
			before = result{mode: "no horizon (today)", spans: spans, bytes: b, minuteBytes: m, queryRows: qrows, kept: qrows,
				apiRows: spans - qrows, apiKept: spans - qrows}
		}
		s = thinScheduler(t, dsn, func(c *Config) {
			c.Retention.LateDataHorizon = 6 * time.Hour
			c.Retention.RawSpans = mode
		})
		for range (hours+sealHoursPerTickForBench-1)/sealHoursPerTickForBench + 1 {
			tick(t, s)
		}
		s.Close()
		if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_sealed_hours"); n != int64(3*hours) {
			t.Fatalf("%s: %d hours sealed, want %d", mode, n, 3*hours)
		}
		kept := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log")
		apiKept := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log")
		label := mode
		if mode == RawSpansKeepSample {
			label = fmt.Sprintf("%s (%g)", mode, createDefaultConfig().(*Config).Retention.RawSampleRate)
		}
		b, m := spanBytes(t, pool)
		results = append(results, result{mode: label, spans: spans, bytes: b, minuteBytes: m, queryRows: qrows, kept: kept,
			apiRows: spans - qrows, apiKept: apiKept})
		t.Logf("%s: seeded, refreshed, sealed in %s", mode, time.Since(t0).Round(time.Second))
	}
	fmt.Printf("\nBytes per stored span: %d spans (%d DB spans, %.1f per request) of 3 tenants over %d hours, every hour sealed; "+
		"span logs, rollups, N+1 groups and sealed-hour ids after VACUUM FULL. The minute rollups are kept 48h whatever the logs' "+
		"retention (720h): the last two columns leave them out, as they weigh on a 30-day store\n\n",
		before.spans, before.queryRows, float64(before.queryRows)/float64(before.spans-before.queryRows), hours)
	fmt.Println("| mode | DB-span rows kept | request rows kept | bytes/span | ratio | bytes/span without minute rollups | ratio |")
	fmt.Println("|---|---|---|---|---|---|---|")
	row := func(r result) {
		fmt.Printf("| %s | %d (%.1f%%) | %d (%.1f%%) | %.1f | %.2f× | %.1f | %.2f× |\n", r.mode, r.kept, 100*float64(r.kept)/float64(r.queryRows),
			r.apiKept, 100*float64(r.apiKept)/float64(r.apiRows),
			float64(r.bytes)/float64(r.spans), float64(before.bytes)/float64(r.bytes),
			float64(r.bytes-r.minuteBytes)/float64(r.spans), float64(before.bytes-before.minuteBytes)/float64(r.bytes-r.minuteBytes))
	}
	row(before)
	for _, r := range results {
		row(r)
	}
}

// sealHoursPerTickForBench mirrors the scheduler's per-tenant bound on the hours sealed per
// tick (scheduler.sealHoursPerTick), so that the benchmark ticks until every hour is sealed.
const sealHoursPerTickForBench = 24
