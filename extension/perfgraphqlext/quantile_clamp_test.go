package perfgraphqlext

import (
	"fmt"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// A quantile is never reported outside [min, max] of its group: every request of an
// endpoint, and every execution of a statement, took the same duration, one that is not its
// histogram bucket's value (the bucket's value lies below it for one statement, above it for
// the other); endpointMetrics, slowQueries and queryDetail answer p50 = p95 = p99 = that
// duration, where the unclamped histogram says otherwise.
func TestQuantilesWithinMinAndMax(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	fpB := fpA + 1
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA, fpB)
	epGet, epPost, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	// durations whose bucket value is below (lo) and above (hi) them
	var lo, hi int
	if err := pool.QueryRow(tctx(t), `SELECT min(d) FILTER (WHERE perf_hist_value(perf_hist_bucket(d)) < d),
		min(d) FILTER (WHERE perf_hist_value(perf_hist_bucket(d)) > d) FROM generate_series(1000, 5000) d`).Scan(&lo, &hi); err != nil {
		t.Fatal(err)
	}
	hour := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", hour.Format(time.DateOnly), hour.Add(time.Hour).Format(time.DateOnly))
	for i, c := range []struct {
		ep  int32
		fp  int64
		dur int
	}{{epGet, fpA, lo}, {epPost, fpB, hi}} {
		base := int64(1000 * (i + 1))
		perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
			SELECT $2::timestamptz + g * interval '1 minute', $3 + g, md5(($3 + g)::text)::uuid, $4, $5, $6 * 3, 100, 2000, 200, $1, false
			FROM generate_series(0, 29) g`, tid, hour, base, svc, c.ep, c.dur)
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
			SELECT a.ts + interval '1 ms', $2, a.span_id * 10, a.span_id, a.trace_id, a.service_id, 0, 1, $4, 1, a.tenant_id, false
			FROM api_performance_log a WHERE a.tenant_id = $1 AND a.span_id BETWEEN $3 AND $3 + 29`, tid, c.fp, base, c.dur)
	}
	// a request takes 3 × its statement's duration; that its bucket value differs from it is
	// checked below
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) VALUES ($1, $2)`, tid, hour)
	perfgraphqltest.Refresh(t, pool, "acme")

	url := startExt(t, dsn, nil, "acme")
	from, to := hour, hour.Add(time.Hour)
	unclamped := func(us int) float64 {
		return perfdbtest.Scalar[float64](t, pool, "SELECT perf_hist_value(perf_hist_bucket($1))", us) / 1000
	}
	d := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		endpointMetrics(from: $from, to: $to) { method totalRequests p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs }
		slowQueries(threshold: 0, from: $from, to: $to) { queryHash p50ExecutionTimeMs p95ExecutionTimeMs p99ExecutionTimeMs maxExecutionTimeMs }
	}`, fmtRange(from, to)))
	same := func(what string, m map[string]any, fields []string, wantMs float64) {
		t.Helper()
		for _, f := range fields {
			if got := num(t, m[f]); got != wantMs {
				t.Errorf("%s %s = %v ms, want %v (every duration is %v ms)", what, f, got, wantMs, wantMs)
			}
		}
	}
	eps := d["endpointMetrics"].([]any)
	if len(eps) != 2 {
		t.Fatalf("endpointMetrics %v", eps)
	}
	for _, e := range eps {
		m := e.(map[string]any)
		us := 3 * map[string]int{"GET": lo, "POST": hi}[m["method"].(string)]
		if unclamped(us) == float64(us)/1000 {
			t.Fatalf("%d µs is its bucket's value: the case tests nothing", us)
		}
		same("endpoint "+m["method"].(string), m, []string{"p50ResponseTimeMs", "p95ResponseTimeMs", "p99ResponseTimeMs", "maxResponseTimeMs"}, float64(us)/1000)
	}
	for _, c := range []struct {
		fp  int64
		dur int
	}{{fpA, lo}, {fpB, hi}} {
		if u := unclamped(c.dur); (c.dur == lo && u >= float64(c.dur)/1000) || (c.dur == hi && u <= float64(c.dur)/1000) {
			t.Fatalf("%d µs: bucket value %v ms is on the wrong side", c.dur, u)
		}
		hash := fmt.Sprintf("%016x", uint64(c.fp))
		var found bool
		for _, q := range d["slowQueries"].([]any) {
			if m := q.(map[string]any); m["queryHash"] == hash {
				found = true
				same("slowQueries "+hash, m, []string{"p50ExecutionTimeMs", "p95ExecutionTimeMs", "p99ExecutionTimeMs", "maxExecutionTimeMs"}, float64(c.dur)/1000)
			}
		}
		if !found {
			t.Errorf("slowQueries lacks %s: %v", hash, d["slowQueries"])
		}
		v := fmtRange(from, to)
		v["fp"] = hash
		qd := mustData(t, query(t, url, "token-acme", `query($fp: String!, $from: DateTime, $to: DateTime) {
			queryDetail(fingerprint: $fp, from: $from, to: $to) { p50ExecutionTimeMs p95ExecutionTimeMs p99ExecutionTimeMs maxExecutionTimeMs } }`, v))
		same("queryDetail "+hash, qd["queryDetail"].(map[string]any), []string{"p50ExecutionTimeMs", "p95ExecutionTimeMs", "p99ExecutionTimeMs", "maxExecutionTimeMs"}, float64(c.dur)/1000)
	}
}
