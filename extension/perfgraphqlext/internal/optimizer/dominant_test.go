package optimizer

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

const (
	fpLike   int64 = 0x7001 // 8 ms once per GET /products request
	fpLookup int64 = 0x7002 // 2.1 ms once per GET /orders request (a third of the DB time, a small part of its requests)
	fpHealth int64 = 0x7003 // 0.5 ms per GET /health request: most of those requests, 2 % of the DB time
)

// A statement of 8 ms that takes 60 % of all database time is reported, whatever its
// average; a statement with 2 % is not, nor one whose share is large but that is a small part
// of the requests it runs under.
func TestDominantStatementByShare(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	fp := func(fp int64, text, coll string) {
		perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', $4, 'SELECT '||$4, $3, now(), now())`, f.tid, fp, text, coll)
	}
	fp(fpLike, "SELECT * FROM products WHERE description LIKE ?", "products")
	fp(fpLookup, "SELECT * FROM orders WHERE id = ?", "orders")
	fp(fpHealth, "SELECT ?", "")
	t0 := now.Add(-90 * time.Minute)
	under := func(fp int64, base int64, durUs int) {
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
			SELECT a.ts + interval '1 ms', $2, a.span_id * 10, a.span_id, a.trace_id, a.service_id, 0, 1, $4, 1, a.tenant_id, false
			FROM api_performance_log a WHERE a.tenant_id = $1 AND a.span_id BETWEEN $3 AND $3 + 999`, f.tid, fp, base, durUs)
	}
	api(t, pool, f, f.epProducts, 10000, 100, t0, 30*time.Second, 10000, 0) // 10 ms requests
	under(fpLike, 10000, 8000)                                              // 800 ms
	api(t, pool, f, f.epOrders, 20000, 200, t0, 15*time.Second, 100000, 0)  // 100 ms requests
	under(fpLookup, 20000, 2100)                                            // 420 ms
	api(t, pool, f, f.epHealth, 30000, 50, t0, time.Minute, 1000, 0)        // 1 ms requests
	under(fpHealth, 30000, 500)                                             // 25 ms
	refreshAll(t, pool, f.tid, "acme")

	// the data is small (1.2 s of database time): the floor on a statement's own time, which
	// has a test of its own, is lowered under the 800 ms of fpLike so the shares are judged
	cfg := DefaultConfig()
	cfg.Dominant.MinTotalDuration = 500 * time.Millisecond
	res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("recommendations:\n%s", strings.Join(summarize(res.Recommendations), "\n"))
	var dom []Recommendation
	for _, r := range res.Recommendations {
		if r.Kind == KindDominantQuery {
			dom = append(dom, r)
		}
	}
	if len(dom) != 1 || dom[0].Evidence.Fingerprints[0] != fpHex(fpLike) {
		t.Fatalf("dominant statements: %s", strings.Join(summarize(dom), "\n"))
	}
	r := dom[0]
	t.Logf("%s\n%s\n%s\n%s", r.Title, r.Description, r.Impact, r.Recommendation)
	const total = 800.0 + 420 + 25
	if got := figureValue(&r, "share_of_db_time"); math.Abs(got-800/total) > 0.001 {
		t.Errorf("share %v, want %.3f", got, 800/total)
	}
	if figureValue(&r, "executions") != 100 || figureValue(&r, "total_ms") != 800 || figureValue(&r, "mean_ms") != 8 ||
		figureValue(&r, "calls_per_request") != 1 || figureValue(&r, "db_time_total_ms") != total {
		t.Errorf("figures: %+v", r.Evidence.Figures)
	}
	if p95 := figureValue(&r, "p95_ms"); p95 > 8 || p95 < 8*0.99 {
		t.Errorf("p95 %v ms, want 8 within 1%% and not above the max", p95)
	}
	if r.Priority != High || r.Category != CategoryQuery || len(r.AffectedEndpoints) != 1 || r.AffectedEndpoints[0] != "GET /products" ||
		len(r.Evidence.Services) != 1 || r.Evidence.Services[0] != "shop-api" || len(r.Evidence.ExampleTraceIDs) == 0 {
		t.Errorf("recommendation: %+v", r)
	}
	// the window judged is named; no index is offered without evidence for one
	window := judgedWindow(New(cfg, nil).Window(now))
	if !strings.Contains(r.Description, window) || !strings.Contains(r.Impact, window) {
		t.Errorf("window %q not named: %s / %s", window, r.Description, r.Impact)
	}
	if strings.Contains(strings.ToUpper(r.Recommendation+r.Implementation), "CREATE INDEX") {
		t.Errorf("index suggested without evidence: %s / %s", r.Recommendation, r.Implementation)
	}

	// the same data under a higher share threshold: nothing
	cfg.Dominant.MinShare, cfg.Dominant.HighShare, cfg.Dominant.CriticalShare = 0.7, 0.8, 0.9
	res, err = New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	if r := find(res.Recommendations, KindDominantQuery, func(Recommendation) bool { return true }); r != nil {
		t.Errorf("reported under min_share 0.7: %s", r.Title)
	}
}

// A statement looped in every request is reported by its calls per request; when it is an
// N+1 of that endpoint, the evidence says so and the fix is the N+1's batching.
func TestDominantStatementNamesTheNPlusOne(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	t0 := now.Add(-90 * time.Minute)
	// GET /loop: 30 requests of 300 ms, each with 12 executions of 5 ms under the request span
	api(t, pool, f, f.epLoop, 40000, 30, t0, time.Minute, 300000, 0)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k + 1) * interval '6 ms', $2, a.span_id * 100 + k, a.span_id, a.trace_id, a.service_id, 0, 1, 5000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 11) k WHERE a.tenant_id = $1`, f.tid, fpN1)
	refreshAll(t, pool, f.tid, "acme")
	// 1.8 s of database time: under the default floor (its own test), lowered here
	cfg := DefaultConfig()
	cfg.Dominant.MinTotalDuration = time.Second
	res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("recommendations:\n%s", strings.Join(summarize(res.Recommendations), "\n"))
	if find(res.Recommendations, KindNPlusOne, func(r Recommendation) bool { return r.AffectedEndpoints[0] == "GET /loop" }) == nil {
		t.Fatal("no N+1 on GET /loop")
	}
	r := find(res.Recommendations, KindDominantQuery, func(Recommendation) bool { return true })
	if r == nil {
		t.Fatal("no dominant statement")
	}
	t.Logf("%s\n%s\n%s", r.Title, r.Description, r.Recommendation)
	if figureValue(r, "calls_per_request") != 12 || figureValue(r, "n_plus_one_endpoints") != 1 || figureValue(r, "share_of_db_time") != 1 {
		t.Errorf("figures: %+v", r.Evidence.Figures)
	}
	if !strings.Contains(r.Description, "N+1") || !strings.Contains(r.Description, "GET /loop") || !strings.HasPrefix(r.Recommendation, "Batch the N+1 loop in GET /loop") {
		t.Errorf("N+1 not named: %s / %s", r.Description, r.Recommendation)
	}

	// by calls per request alone (share under the threshold): LOW, titled by the loop
	cfg.Dominant.MinCalls = 1000
	res, err = New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	r = find(res.Recommendations, KindDominantQuery, func(Recommendation) bool { return true })
	if r == nil || r.Priority != Low || !strings.Contains(r.Title, "12.0 calls per request in GET /loop") {
		t.Errorf("loop only: %+v", r)
	}
}

// A healthy service: three key lookups, one per request, each about a third of a small
// database total and most of its requests' time. Nothing is dominant: a statement that took
// well under dominant_statement.min_total_duration is no load, whatever its share. The same
// data under a floor below the statements' time is reported, so the floor is what decides.
func TestDominantStatementIgnoresCheapLookups(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	fps := []int64{0x7101, 0x7102, 0x7103}
	for i, text := range []string{"SELECT * FROM orders WHERE id = ?", "SELECT * FROM order_lines WHERE order_id = ?", "SELECT * FROM products WHERE id = ?"} {
		perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', 't', 'SELECT t', $3, now(), now())`, f.tid, fps[i], text)
	}
	t0 := now.Add(-90 * time.Minute)
	// 120 requests of each endpoint, 0.5 ms each; one lookup of 0.3 ms under each request
	for i, ep := range []int32{f.epOrders, f.epProducts, f.epHealth} {
		base := int64(50000 + 1000*i)
		api(t, pool, f, ep, base, 120, t0, 30*time.Second, 500, 0)
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
			SELECT a.ts + interval '100 us', $2, a.span_id * 10, a.span_id, a.trace_id, a.service_id, 0, 1, 300, 1, a.tenant_id, false
			FROM api_performance_log a WHERE a.tenant_id = $1 AND a.span_id BETWEEN $3 AND $3 + 999`, f.tid, fps[i], base)
	}
	refreshAll(t, pool, f.tid, "acme")

	res, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Recommendations) != 0 {
		t.Errorf("a healthy service got advice:\n%s", strings.Join(summarize(res.Recommendations), "\n"))
	}

	cfg := DefaultConfig()
	cfg.Dominant.MinTotalDuration = 30 * time.Millisecond // under the 36 ms of each lookup
	res, err = New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var dom int
	for _, r := range res.Recommendations {
		if r.Kind == KindDominantQuery {
			dom++
			if got := figureValue(&r, "share_of_db_time"); math.Abs(got-1.0/3) > 0.001 {
				t.Errorf("share %v, want 1/3", got)
			}
			if !strings.Contains(r.Evidence.Rule, ">= 30ms of database time") {
				t.Errorf("rule does not state the floor: %s", r.Evidence.Rule)
			}
		}
	}
	if dom != 3 {
		t.Errorf("under a 30 ms floor: %d dominant statements, want the 3 lookups:\n%s", dom, strings.Join(summarize(res.Recommendations), "\n"))
	}
}

// The statement load of a window that spans days is read from the daily rollups for the
// consolidated whole days and from the hourly ones for the partial days at its edges: the
// detector reports exactly what it reports from the hourly rows alone (the tenant's
// perf_rollup_state row removed: nothing consolidated). 60 hours of GET /orders and GET
// /loop with statement times that vary by hour (sums, maxima and p95 merge across the edges)
// in a 72-hour window.
func TestDominantStatementDailyReadEqualsHourly(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	start := now.Truncate(time.Hour).Add(-60 * time.Hour)
	// per hour: 20 requests of each endpoint; one fpSlow under GET /orders (1-50 ms by hour),
	// 12 fpN1 under GET /loop (0.5-2 ms by hour)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + (g / 40) * interval '1 hour' + (g % 40) * interval '90 s', 80000 + g, md5('day' || g)::uuid, $3,
		       CASE WHEN g % 2 = 0 THEN $4::integer ELSE $5::integer END, 100000, 100, 100, 200, $1, false
		FROM generate_series(0, 60 * 40 - 1) g`, f.tid, start, f.svc, f.epOrders, f.epLoop)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k + 1) * interval '1 ms', CASE WHEN a.endpoint_id = $2 THEN $3::bigint ELSE $4::bigint END, a.span_id * 100 + k, a.span_id, a.trace_id,
		       a.service_id, 0, 1,
		       CASE WHEN a.endpoint_id = $2 THEN 1000 * (1 + ((a.span_id / 40) * 37) % 50) ELSE 500 + ((a.span_id / 40) * 13) % 16 * 100 END,
		       1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 11) k
		WHERE a.tenant_id = $1 AND (a.endpoint_id <> $2 OR k = 0)`, f.tid, f.epOrders, fpSlow, fpN1)
	refreshAll(t, pool, f.tid, "acme")

	cfg := DefaultConfig()
	cfg.Window = 72 * time.Hour
	cfg.Dominant.MinTotalDuration = time.Second
	en := New(cfg, nil)
	from, _ := en.Window(now)
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_query_daily d JOIN perf_rollup_state s USING (tenant_id)
		WHERE d.tenant_id = $1 AND d.bucket >= $2 AND d.bucket < s.daily_through`, f.tid, from); n == 0 {
		t.Fatal("no consolidated day in the window: the daily read is not exercised")
	}
	dominant := func() (string, int) {
		t.Helper()
		res, err := en.Run(tctx(t), pool, "acme", now)
		if err != nil {
			t.Fatal(err)
		}
		var dom []Recommendation
		for _, r := range res.Recommendations {
			if r.Kind == KindDominantQuery {
				dom = append(dom, r)
			}
		}
		b, err := json.MarshalIndent(dom, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b), len(dom)
	}
	daily, n := dominant()
	if n != 2 {
		t.Fatalf("want the two statements reported:\n%s", daily)
	}
	perfdbtest.Exec(t, pool, "DELETE FROM perf_rollup_state WHERE tenant_id = $1", f.tid)
	if hourly, _ := dominant(); hourly != daily {
		t.Errorf("read from the daily rollups:\n%s\nfrom the hourly ones:\n%s", daily, hourly)
	}
}
