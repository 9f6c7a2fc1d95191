package optimizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The example traces found through the hourly rollups are the slowest of the whole window,
// as a scan of every raw row finds them: here the 3 slowest requests (and executions) are in
// 3 different hours, all hours equally busy. Sealing the hours with keep_interesting (no
// recommendation active, so no example trace is kept as evidence) thins most of their rows
// and changes neither the examples nor the 5xx breakdown of the error detector.
func TestExamplesAreTheSlowestOfTheWindow(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	start := now.Truncate(time.Hour).Add(-6 * time.Hour)
	// 6 hours × 40 requests of GET /orders and 40 executions of fpSlow; durations are a
	// permutation (g*7 mod 240: the 3 slowest are g = 137, 34, 171); every 7th request fails.
	// An execution is the slower the faster its request: the slowest of each are other traces.
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + (g / 40) * interval '1 hour' + (g % 40) * interval '1 min', 50000 + g, md5('ex' || g)::uuid, $3, $4,
		       1000 + (g * 7) % 240 * 1000, 100, 100, CASE WHEN g % 7 = 0 THEN 500 ELSE 200 END, $1, g % 7 = 0
		FROM generate_series(0, 239) g`, f.tid, start, f.svc, f.epOrders)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT ts + interval '1 ms', $2, span_id + 100000, span_id, trace_id, service_id, CASE WHEN span_id % 2 = 0 THEN endpoint_id ELSE 0 END,
		       1, (242000 - duration_us) / 2, 1, tenant_id, false
		FROM api_performance_log WHERE tenant_id = $1 AND span_id >= 50000`, f.tid, fpSlow)
	refreshAll(t, pool, f.tid, "acme")

	e := &env{db: pool, cfg: &Config{}, tid: f.tid, from: start, to: now}
	qx, err := queryExamples(tctx(t), e, []int64{fpSlow}, func(fp int64) int64 { return fp })
	if err != nil {
		t.Fatal(err)
	}
	want := queryStrings(t, pool, `SELECT replace(trace_id::text, '-', '') FROM query_performance_log WHERE tenant_id = $1 AND fingerprint = $2
		ORDER BY duration_us DESC, ts DESC LIMIT 3`, f.tid, fpSlow)
	if qx[fpSlow] == nil || fmt.Sprint(qx[fpSlow].traces) != fmt.Sprint(want) {
		t.Errorf("query examples %v, slowest raw executions %v", qx[fpSlow], want)
	}
	for _, errorsOnly := range []bool{false, true} {
		ex, err := endpointExamples(tctx(t), e, []int32{f.epOrders}, func(id int32) int32 { return id }, errorsOnly)
		if err != nil {
			t.Fatal(err)
		}
		want := queryStrings(t, pool, `SELECT replace(trace_id::text, '-', '') FROM api_performance_log WHERE tenant_id = $1 AND endpoint_id = $2
			AND (NOT $3 OR is_error) ORDER BY duration_us DESC, ts DESC LIMIT 3`, f.tid, f.epOrders, errorsOnly)
		if fmt.Sprint(ex[f.epOrders]) != fmt.Sprint(want) {
			t.Errorf("endpoint examples (errors only %v) %v, slowest raw requests %v", errorsOnly, ex[f.epOrders], want)
		}
	}

	answers := func() string {
		t.Helper()
		qx, err := queryExamples(tctx(t), e, []int64{fpSlow}, func(fp int64) int64 { return fp })
		if err != nil {
			t.Fatal(err)
		}
		out := fmt.Sprintf("query examples %v", qx[fpSlow].traces)
		for _, errorsOnly := range []bool{false, true} {
			ex, err := endpointExamples(tctx(t), e, []int32{f.epOrders}, func(id int32) int32 { return id }, errorsOnly)
			if err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintf("\nendpoint examples (errors only %v) %v", errorsOnly, ex[f.epOrders])
		}
		st, err := errorStatuses(tctx(t), e, []int32{f.epOrders}, func(id int32) int32 { return id })
		if err != nil {
			t.Fatal(err)
		}
		return out + fmt.Sprintf("\n5xx %v", st[f.epOrders])
	}
	before := answers()
	requests := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", f.tid)
	perfdbtest.Exec(t, pool, "SELECT * FROM perf_seal_hours('acme', $1, $2, 'keep_interesting', 0, 2000000, 1000000, 24)", start, now)
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_sealed_hours WHERE tenant_id = $1", f.tid); n != 6 {
		t.Fatalf("%d hours sealed, want 6", n)
	}
	if left := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", f.tid); left*2 > requests {
		t.Errorf("request rows %d -> %d: keep_interesting should thin most", requests, left)
	}
	if after := answers(); after != before {
		t.Errorf("thinning changed the examples:\n%s\nwant\n%s", after, before)
	}
}

// The examples are read hour by hour: when one of the endpoint's hours holds more than 3 of
// its slowest requests, they are still the 3 slowest of the window. GET /products: 3 hours ×
// 20 requests, the 5 slowest in the middle hour, every other request failing.
func TestEndpointExamplesFromOneHour(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	start := now.Truncate(time.Hour).Add(-4 * time.Hour)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + (g / 20) * interval '1 hour' + (g % 20) * interval '2 min', 60000 + g, md5('one' || g)::uuid, $3, $4,
		       CASE WHEN g BETWEEN 25 AND 29 THEN 100000 - g ELSE 1000 + g * 10 END, 100, 100,
		       CASE WHEN g % 2 = 0 THEN 500 ELSE 200 END, $1, g % 2 = 0
		FROM generate_series(0, 59) g`, f.tid, start, f.svc, f.epProducts)
	refreshAll(t, pool, f.tid, "acme")
	e := &env{db: pool, cfg: &Config{}, tid: f.tid, from: start, to: now}
	for _, errorsOnly := range []bool{false, true} {
		ex, err := endpointExamples(tctx(t), e, []int32{f.epProducts}, func(id int32) int32 { return id }, errorsOnly)
		if err != nil {
			t.Fatal(err)
		}
		want := queryStrings(t, pool, `SELECT replace(trace_id::text, '-', '') FROM api_performance_log WHERE tenant_id = $1 AND endpoint_id = $2
			AND (NOT $3 OR is_error) ORDER BY duration_us DESC, ts DESC LIMIT 3`, f.tid, f.epProducts, errorsOnly)
		if len(want) != 3 || fmt.Sprint(ex[f.epProducts]) != fmt.Sprint(want) {
			t.Errorf("endpoint examples (errors only %v) %v, slowest raw requests %v", errorsOnly, ex[f.epProducts], want)
		}
	}
}

// The example read scans the log only within the endpoint's chosen hours, whatever the
// planner thinks of a join: every scan of api_performance_log in its plan is bounded by the
// hour's bucket. With statistics at 30 days the planner joined the hours to every failed
// request of the window by a hash (a second's scan); nested loops are disabled here so a
// statement that leaves the choice to the planner takes that plan on this small data set.
func TestEndpointExamplesReadOnlyTheirHours(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	api(t, pool, f, f.epPay, 70000, 200, now.Add(-3*time.Hour), 30*time.Second, 1000, 4)
	refreshAll(t, pool, f.tid, "acme")
	ctx := tctx(t)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SET LOCAL enable_nestloop = off"); err != nil {
		t.Fatal(err)
	}
	for _, errorsOnly := range []bool{false, true} {
		var plan []map[string]any
		if err := tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+endpointExamplesSQL, f.tid, now.Add(-24*time.Hour), now, []int32{f.epPay}, errorsOnly).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		var scans []string
		var walk func(n map[string]any)
		walk = func(n map[string]any) {
			if rel, _ := n["Relation Name"].(string); strings.HasPrefix(rel, "api_performance_log") {
				cond, _ := n["Index Cond"].(string)
				scans = append(scans, rel+": "+cond)
				if !strings.Contains(cond, "bucket") {
					out, _ := json.MarshalIndent(plan, "", " ")
					t.Errorf("errors only %v: %s %s is not bounded by the hour:\n%s", errorsOnly, n["Node Type"], rel, out)
				}
			}
			children, _ := n["Plans"].([]any)
			for _, c := range children {
				walk(c.(map[string]any))
			}
		}
		walk(plan[0]["Plan"].(map[string]any))
		if len(scans) == 0 {
			t.Errorf("errors only %v: no scan of api_performance_log in the plan", errorsOnly)
		}
	}
}

// An endpoint's examples come from its own 3 hours only, even where another endpoint's
// examples read the same log hours. POST /pay fails once in each of 4 hours, all in one
// error-histogram bucket: its 3 latest hours are chosen, and the failure of the earliest,
// though slower, is not among its examples. POST /reports fails only in that earliest hour,
// which it chooses.
func TestEndpointExamplesOnlyFromTheirHours(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	start := now.Truncate(time.Hour).Add(-5 * time.Hour)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + h * interval '1 hour' + interval '10 min', 90000 + h, md5('pay' || h)::uuid, $3, $4,
		       CASE WHEN h = 0 THEN 100900 ELSE 100000 + h END, 100, 100, 500, $1, true
		FROM generate_series(0, 3) h`, f.tid, start, f.svc, f.epPay)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		VALUES ($2::timestamptz + interval '20 min', 90100, md5('reports')::uuid, $3, $4, 50000, 100, 100, 500, $1, true)`, f.tid, start, f.svc, f.epPost)
	refreshAll(t, pool, f.tid, "acme")
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(DISTINCT err_idx[array_upper(err_idx, 1)]) FROM perf_endpoint_hourly
		WHERE tenant_id = $1 AND endpoint_id = $2`, f.tid, f.epPay); n != 1 {
		t.Fatalf("POST /pay's failures fall in %d histogram buckets, want 1", n)
	}
	e := &env{db: pool, cfg: &Config{}, tid: f.tid, from: start, to: now}
	ex, err := endpointExamples(tctx(t), e, []int32{f.epPay, f.epPost}, func(id int32) int32 { return id }, true)
	if err != nil {
		t.Fatal(err)
	}
	want := queryStrings(t, pool, `SELECT replace(trace_id::text, '-', '') FROM api_performance_log WHERE tenant_id = $1 AND endpoint_id = $2
		AND ts >= $3 ORDER BY duration_us DESC, ts DESC`, f.tid, f.epPay, start.Add(time.Hour))
	if len(want) != 3 || fmt.Sprint(ex[f.epPay]) != fmt.Sprint(want) {
		t.Errorf("POST /pay examples %v, want those of its 3 latest hours %v", ex[f.epPay], want)
	}
	if len(ex[f.epPost]) != 1 {
		t.Errorf("POST /reports examples %v, want its one failure", ex[f.epPost])
	}
}
