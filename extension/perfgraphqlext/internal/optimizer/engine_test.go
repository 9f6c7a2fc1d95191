package optimizer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func tctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fixture ids
type fx struct {
	tid                                 int32
	svc                                 int32
	epOrders, epLoop, epProducts, epPay int32
	epHealth, epPost                    int32
	instLeak, instFlat, instMid         int32
}

const (
	fpN1     int64 = 0x1111
	fpSpread int64 = 0x2222
	fpSlow   int64 = 0x3333
	fpFast   int64 = 0x4444
	fpRare   int64 = 0x5555
	fpLoop0  int64 = 0x6000 // 0x6000..0x6013: 20 different statements
)

func setup(t *testing.T, pool *pgxpool.Pool, now time.Time) fx {
	t.Helper()
	var f fx
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", now.AddDate(0, 0, -3).Format(time.DateOnly), now.AddDate(0, 0, 1).Format(time.DateOnly))
	f.tid = perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	f.svc = perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'shop-api') RETURNING service_id", f.tid)
	ep := func(method, route string) int32 {
		return perfdbtest.Scalar[int32](t, pool, `INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route) VALUES ($1, $2, 'server', $3, $4) RETURNING endpoint_id`, f.tid, f.svc, method, route)
	}
	f.epOrders, f.epLoop, f.epProducts = ep("GET", "/orders"), ep("GET", "/loop"), ep("GET", "/products")
	f.epPay, f.epHealth, f.epPost = ep("POST", "/pay"), ep("GET", "/health"), ep("POST", "/reports")
	perfdbtest.Exec(t, pool, `INSERT INTO perf_databases(tenant_id, db_system, db_namespace) VALUES ($1, 'postgresql', 'shop')`, f.tid)
	inst := func(host string) int32 {
		return perfdbtest.Scalar[int32](t, pool, `INSERT INTO perf_instances(tenant_id, service_id, host_name, service_instance_id) VALUES ($1, $2, $3, 'i1') RETURNING instance_id`, f.tid, f.svc, host)
	}
	f.instLeak, f.instFlat, f.instMid = inst("host-leak"), inst("host-flat"), inst("host-mid")
	fp := func(fp int64, text, coll string) {
		perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', split_part($3, ' ', 1), $4, 'SELECT '||$4, $3, now(), now())`, f.tid, fp, text, coll)
	}
	fp(fpN1, "SELECT * FROM customers WHERE id = ?", "customers")
	fp(fpSpread, "SELECT name FROM tags WHERE id = ?", "tags")
	fp(fpSlow, "SELECT * FROM orders WHERE customer_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT ?", "orders")
	fp(fpFast, "SELECT id FROM orders WHERE id = ?", "orders")
	fp(fpRare, "SELECT * FROM audit WHERE ts > ?", "audit")
	return f
}

// api inserts n server spans of endpoint ep starting at start, one every step, with the given
// duration, status and error share (every k-th request fails when k > 0); span ids from base.
func api(t *testing.T, pool *pgxpool.Pool, f fx, ep int32, base int64, n int, start time.Time, step time.Duration, durUs int, errEvery int) {
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $3::timestamptz + g * $4::interval, $2 + g, md5(($2 + g)::text)::uuid, $5, $6, $7, 100, 2000,
		       CASE WHEN $8 > 0 AND g % $8 = 0 THEN 500 ELSE 200 END, $1, $8 > 0 AND g % $8 = 0
		FROM generate_series(0, $9 - 1) g`, f.tid, base, start, step.String(), f.svc, ep, durUs, errEvery, n)
}

func seedProblems(t *testing.T, pool *pgxpool.Pool, f fx, now time.Time) {
	t0 := now.Add(-90 * time.Minute)
	// N+1: 10 requests to GET /orders, each with 20 executions of fpN1 under the server span
	// (5 ms each: 100 ms per request), DB spans without endpoint (attributed via the trace)
	api(t, pool, f, f.epOrders, 1000, 10, t0, time.Minute, 200000, 0)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k + 1) * interval '5 ms', $2, a.span_id * 100 + k, a.span_id, a.trace_id, a.service_id, 0, 1, 5000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 19) k WHERE a.tenant_id = $1 AND a.span_id BETWEEN 1000 AND 1009`, f.tid, fpN1)
	// a loop that is not N+1: GET /loop runs 20 different statements under its span, and
	// fpSpread 4 times under each of 5 different child spans
	api(t, pool, f, f.epLoop, 2000, 10, t0, time.Minute, 300000, 0)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k + 1) * interval '5 ms', $2 + k, a.span_id * 100 + k, a.span_id, a.trace_id, a.service_id, 0, 1, 5000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 19) k WHERE a.tenant_id = $1 AND a.span_id BETWEEN 2000 AND 2009`, f.tid, fpLoop0)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k + 1) * interval '7 ms', $2, a.span_id * 100 + 50 + k, a.span_id * 10 + k / 4, a.trace_id, a.service_id, 0, 1, 6000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 19) k WHERE a.tenant_id = $1 AND a.span_id BETWEEN 2000 AND 2009`, f.tid, fpSpread)
	// slow query: 20 × 1.5 s from GET /orders (endpoint known), each under its own parent;
	// fast query: 100 × 2 ms; rare slow query: 5 × 3 s (not more than 10 executions)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '1 min', $2, 5000 + g, 6000 + g, md5('slow' || g)::uuid, $4, $5, 1, 1500000, 10, $1, false
		FROM generate_series(0, 19) g`, f.tid, fpSlow, t0, f.svc, f.epOrders)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '10 s', $2, 7000 + g, 8000 + g, md5('fast' || g)::uuid, $4, $5, 1, 2000, 1, $1, false
		FROM generate_series(0, 99) g`, f.tid, fpFast, t0, f.svc, f.epOrders)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '1 min', $2, 9000 + g, 9100 + g, md5('rare' || g)::uuid, $4, $5, 1, 3000000, 10, $1, false
		FROM generate_series(0, 4) g`, f.tid, fpRare, t0, f.svc, f.epOrders)
	// caching: GET /products 150 × 800 ms, all 200; POST /reports the same (not a read)
	api(t, pool, f, f.epProducts, 10000, 150, t0, 20*time.Second, 800000, 0)
	api(t, pool, f, f.epPost, 11000, 150, t0, 20*time.Second, 800000, 0)
	// error rate: POST /pay 1% errors in the previous period, 25% now; GET /health 2% in both
	api(t, pool, f, f.epPay, 20000, 100, now.Add(-30*time.Hour), time.Minute, 20000, 100)
	api(t, pool, f, f.epPay, 21000, 100, t0, 30*time.Second, 20000, 4)
	api(t, pool, f, f.epHealth, 22000, 100, now.Add(-30*time.Hour), time.Minute, 1000, 50)
	api(t, pool, f, f.epHealth, 23000, 100, t0, 30*time.Second, 1000, 50)

	// resources, 180 minutes: host-leak heap 100 MB -> 200 MB (+ noise), CPU 92%;
	// host-flat heap 100 MB ± 2 MB noise, CPU 20%; host-mid like flat
	perfdbtest.Exec(t, pool, `INSERT INTO system_resource_metrics (ts, tenant_id, instance_id, cpu_usage_percent, memory_used_bytes, memory_total_bytes, heap_used_bytes, heap_total_bytes, event_loop_lag_ms)
		SELECT date_trunc('minute', $2::timestamptz) + g * interval '1 min', $1, i.id,
		       CASE WHEN i.id = $3 THEN 92 + (g % 5) ELSE 20 + (g % 7) END,
		       500e6, 2e9,
		       CASE WHEN i.id = $3 THEN 100e6 + g * (100e6 / 180) + ((g * 7919) % 11 - 5) * 1e6
		            ELSE 100e6 + ((g * 7919) % 5 - 2) * 1e6 END,
		       400e6,
		       CASE WHEN i.id = $3 THEN 150 + g % 20 ELSE 5 + g % 3 END
		FROM generate_series(0, 179) g, unnest(ARRAY[$3, $4, $5]::int[]) i(id)`, f.tid, now.Add(-200*time.Minute), f.instLeak, f.instFlat, f.instMid)
	// pools, 180 minutes: host-leak saturated (9-10 of 10, pending), host-flat idle (2-4 of 20),
	// host-mid healthy (5-6 of 10)
	perfdbtest.Exec(t, pool, `INSERT INTO db_pool_metrics (ts, tenant_id, instance_id, pool_name, used, idle, max, pending_requests, wait_time_ms)
		SELECT date_trunc('minute', $2::timestamptz) + g * interval '1 min', $1, i.id, 'main',
		       CASE i.id WHEN $3 THEN 9 + g % 2 WHEN $4 THEN 2 + g % 3 ELSE 5 + g % 2 END,
		       CASE i.id WHEN $3 THEN 0 WHEN $4 THEN 17 ELSE 4 END,
		       CASE i.id WHEN $4 THEN 20 ELSE 10 END,
		       CASE i.id WHEN $3 THEN 2 ELSE 0 END,
		       CASE i.id WHEN $3 THEN 120 ELSE 1 END
		FROM generate_series(0, 179) g, unnest(ARRAY[$3, $4, $5]::int[]) i(id)`, f.tid, now.Add(-200*time.Minute), f.instLeak, f.instFlat, f.instMid)
	refreshAll(t, pool, f.tid, "acme")
}

func refreshAll(t *testing.T, pool *pgxpool.Pool, tid int32, tenant string) {
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT DISTINCT $1::integer, date_trunc('hour', ts, 'UTC') FROM (
			SELECT ts FROM api_performance_log WHERE tenant_id = $1 UNION ALL SELECT ts FROM query_performance_log WHERE tenant_id = $1
			UNION ALL SELECT ts FROM system_resource_metrics WHERE tenant_id = $1 UNION ALL SELECT ts FROM db_pool_metrics WHERE tenant_id = $1) x
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid)
	perfdbtest.Exec(t, pool, "SELECT refresh_performance_metrics_incremental($1)", tenant)
}

type key struct{ kind, subject string }

func summarize(recs []Recommendation) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("%s %s %s eps=%v fps=%v", r.Kind, r.Priority, r.Evidence.Subject, r.AffectedEndpoints, r.Evidence.Fingerprints))
	}
	sort.Strings(out)
	return out
}

func find(recs []Recommendation, kind string, match func(Recommendation) bool) *Recommendation {
	for i := range recs {
		if recs[i].Kind == kind && match(recs[i]) {
			return &recs[i]
		}
	}
	return nil
}

func TestEngineScenarios(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	seedProblems(t, pool, f, now)
	en := New(DefaultConfig(), nil)
	res, err := en.Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	recs := res.Recommendations
	t.Logf("recommendations:\n%s", strings.Join(summarize(recs), "\n"))

	want := []struct {
		kind, category, priority string
		match                    func(Recommendation) bool
	}{
		{KindNPlusOne, CategoryCode, High, func(r Recommendation) bool {
			return len(r.AffectedEndpoints) == 1 && r.AffectedEndpoints[0] == "GET /orders" && r.Evidence.Fingerprints[0] == fpHex(fpN1)
		}},
		{KindSlowQuery, CategoryQuery, Medium, func(r Recommendation) bool {
			return r.Evidence.Fingerprints[0] == fpHex(fpSlow) && len(r.AffectedEndpoints) == 1 && r.AffectedEndpoints[0] == "GET /orders"
		}},
		{KindSlowEndpoint, CategoryCache, Medium, func(r Recommendation) bool { return r.AffectedEndpoints[0] == "GET /products" }},
		{KindErrorRate, CategoryError, High, func(r Recommendation) bool { return r.AffectedEndpoints[0] == "POST /pay" }},
		{KindMemory, CategoryResource, Critical, // 400 MB heap total reached in ~6h
			func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-leak") }},
		{KindCPU, CategoryResource, High, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-leak") }},
		{KindEventLoop, CategoryResource, Medium, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-leak") }},
		{KindPool, CategoryPool, Critical, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-leak") }},
		{KindPool, CategoryPool, Low, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-flat") }},
	}
	if len(recs) != len(want) {
		t.Errorf("got %d recommendations, want %d (one per planted problem, nothing on the clean parts)", len(recs), len(want))
	}
	for _, w := range want {
		r := find(recs, w.kind, w.match)
		if r == nil {
			t.Errorf("missing %s recommendation", w.kind)
			continue
		}
		if r.Category != w.category || r.Priority != w.priority {
			t.Errorf("%s: category %s priority %s, want %s %s", w.kind, r.Category, r.Priority, w.category, w.priority)
		}
		// performanceOverview(service:) selects its bottlenecks by these
		if len(r.Evidence.Services) != 1 || r.Evidence.Services[0] != "shop-api" {
			t.Errorf("%s: services %v, want [shop-api]", w.kind, r.Evidence.Services)
		}
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Impact == "" || r.Effort == "" || r.Recommendation == "" || r.Implementation == "" || r.EstimatedSavings == "" || len(r.Evidence.Figures) == 0 {
			t.Errorf("%s: incomplete recommendation %+v", w.kind, r)
		}
	}
	// details the rules promise
	if r := find(recs, KindNPlusOne, func(Recommendation) bool { return true }); r != nil {
		if len(r.Evidence.ExampleTraceIDs) != 3 || len(r.Evidence.ExampleTraceIDs[0]) != 32 {
			t.Errorf("N+1 example traces: %v", r.Evidence.ExampleTraceIDs)
		}
		figs := map[string]float64{}
		for _, x := range r.Evidence.Figures {
			figs[x.Name] = x.Value
		}
		if figs["affected_requests"] != 10 || figs["executions"] != 200 || figs["avg_repetitions_per_request"] != 20 || figs["time_wasted_ms"] != 950 {
			t.Errorf("N+1 figures: %v", figs)
		}
	}
	if r := find(recs, KindSlowQuery, func(Recommendation) bool { return true }); r != nil {
		wantIdx := "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at);"
		if r.Implementation != wantIdx {
			t.Errorf("index: %q, want %q", r.Implementation, wantIdx)
		}
		if r.Evidence.Validation == nil || r.Evidence.Validation.Status != "NOT_VALIDATED" || !strings.Contains(r.Evidence.Validation.Message, "not validated") {
			t.Errorf("validation without target: %+v", r.Evidence.Validation)
		}
		if !strings.Contains(r.Recommendation, "Select only the columns") {
			t.Errorf("SELECT * not flagged: %s", r.Recommendation)
		}
	}
	if r := find(recs, KindPool, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-leak") }); r != nil && !strings.Contains(r.Recommendation, "from 10 to 15") {
		t.Errorf("pool increase: %s", r.Recommendation)
	}
	if r := find(recs, KindPool, func(r Recommendation) bool { return strings.Contains(r.Evidence.Subject, "host-flat") }); r != nil && !strings.Contains(r.Recommendation, "from 20 to 6") {
		t.Errorf("pool decrease: %s", r.Recommendation)
	}
	if res.New != len(recs) || res.Resolved != 0 {
		t.Errorf("first run: new %d resolved %d", res.New, res.Resolved)
	}

	// second run: same ids, nothing new
	res2, err := en.Run(tctx(t), pool, "acme", now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []Recommendation) []string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID)
		}
		sort.Strings(s)
		return s
	}
	if fmt.Sprint(ids(res2.Recommendations)) != fmt.Sprint(ids(recs)) || res2.New != 0 {
		t.Errorf("ids not stable: %v vs %v (new %d)", ids(res2.Recommendations), ids(recs), res2.New)
	}
	// the N+1 disappears (fixed): resolved, history closed. The engine reads the N+1 groups
	// the rollup refresh stored, so the changed hours are refreshed as after any new data.
	n1 := find(recs, KindNPlusOne, func(Recommendation) bool { return true })
	perfdbtest.Exec(t, pool, "DELETE FROM query_performance_log WHERE tenant_id = $1 AND fingerprint = $2", f.tid, fpN1)
	refreshAll(t, pool, f.tid, "acme")
	res3, err := en.Run(tctx(t), pool, "acme", now.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res3.Resolved != 1 || len(res3.Recommendations) != len(recs)-1 {
		t.Errorf("after the fix: resolved %d, %d recommendations", res3.Resolved, len(res3.Recommendations))
	}
	if n1 != nil {
		st := perfdbtest.Scalar[string](t, pool, "SELECT status FROM perf_recommendations WHERE tenant_id = $1 AND id = $2", f.tid, n1.ID)
		open := perfdbtest.Scalar[int](t, pool, "SELECT count(*) FROM perf_recommendation_history WHERE tenant_id = $1 AND id = $2 AND resolved_at IS NULL", f.tid, n1.ID)
		runs := perfdbtest.Scalar[int](t, pool, "SELECT runs FROM perf_recommendation_history WHERE tenant_id = $1 AND id = $2", f.tid, n1.ID)
		if st != "RESOLVED" || open != 0 || runs != 2 {
			t.Errorf("N+1 after fix: status %s, open episodes %d, runs %d", st, open, runs)
		}
	}
}

// A tenant with ordinary traffic (fast requests, 2% errors in both periods, flat resources,
// a healthy pool) gets no recommendation.
func TestEngineCleanTenant(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	for h := 0; h < 48; h++ {
		start := now.Truncate(time.Hour).Add(-time.Duration(h) * time.Hour)
		api(t, pool, f, f.epProducts, int64(100000+h*1000), 200, start, 15*time.Second, 40000+h*100, 50)
	}
	// every request issues 3 different statements (a loop over distinct queries) under its span
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + k * interval '1 ms', $2 + k, a.span_id * 10 + k, a.span_id, a.trace_id, a.service_id, 0, 1, 3000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 2) k WHERE a.tenant_id = $1`, f.tid, fpLoop0)
	perfdbtest.Exec(t, pool, `INSERT INTO system_resource_metrics (ts, tenant_id, instance_id, cpu_usage_percent, memory_used_bytes, memory_total_bytes, heap_used_bytes, heap_total_bytes, event_loop_lag_ms)
		SELECT date_trunc('minute', $2::timestamptz) + g * interval '1 min', $1, $3, 30 + g % 10, 500e6 + (g % 13) * 1e6, 2e9, 100e6 + ((g * 7919) % 9 - 4) * 1e6, 400e6, 3 + g % 4
		FROM generate_series(0, 599) g`, f.tid, now.Add(-11*time.Hour), f.instMid)
	perfdbtest.Exec(t, pool, `INSERT INTO db_pool_metrics (ts, tenant_id, instance_id, pool_name, used, idle, max, pending_requests, wait_time_ms)
		SELECT date_trunc('minute', $2::timestamptz) + g * interval '1 min', $1, $3, 'main', 4 + g % 4, 3, 10, 0, 0.5
		FROM generate_series(0, 599) g`, f.tid, now.Add(-11*time.Hour), f.instMid)
	refreshAll(t, pool, f.tid, "acme")
	res, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Recommendations) != 0 {
		t.Errorf("clean tenant got recommendations:\n%s", strings.Join(summarize(res.Recommendations), "\n"))
	}
}

// queryStrings returns the one text column of every row of sql (on a pool or a transaction).
func queryStrings(t *testing.T, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, sql string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(tctx(t), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}
