package optimizer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A steady 5xx share is reported as a state (no rise against the period before), with its
// status codes and failing example traces; a small share or a small sample is not.
func TestErrorStateDetector(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	t0 := now.Add(-3 * time.Hour)
	// POST /pay: 200 requests in the window, every 4th fails (every 8th with 503, the others
	// with 500), and the same in the period before: a state, not a rise
	for _, p := range []struct {
		base  int64
		start time.Time
	}{{30000, t0}, {31000, t0.Add(-24 * time.Hour)}} {
		perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
			SELECT $3::timestamptz + g * interval '30 s', $2 + g, md5(($2 + g)::text)::uuid, $4, $5, 20000, 100, 2000,
			       CASE WHEN g % 8 = 0 THEN 503 WHEN g % 4 = 0 THEN 500 ELSE 200 END, $1, g % 4 = 0
			FROM generate_series(0, 199) g`, f.tid, p.base, p.start, f.svc, f.epPay)
	}
	// GET /health: 1% 5xx over 200 requests; POST /reports: 25% 5xx over only 20 requests
	api(t, pool, f, f.epHealth, 32000, 200, t0, 30*time.Second, 1000, 100)
	api(t, pool, f, f.epPost, 33000, 20, t0, 30*time.Second, 1000, 4)
	refreshAll(t, pool, f.tid, "acme")

	res, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var errs []Recommendation
	for _, r := range res.Recommendations {
		if r.Kind == KindErrorRate {
			errs = append(errs, r)
		}
	}
	if len(errs) != 1 {
		t.Fatalf("error recommendations: %v, want one for POST /pay", summarize(errs))
	}
	r := errs[0]
	t.Logf("%s [%s]\n%s\nimpact: %s\nrecommendation: %s\nrule: %s", r.Title, r.Priority, r.Description, r.Impact, r.Recommendation, r.Evidence.Rule)
	if r.AffectedEndpoints[0] != "POST /pay" || r.Priority != High || r.Category != CategoryError {
		t.Errorf("endpoint %v priority %s category %s, want POST /pay HIGH ERROR", r.AffectedEndpoints, r.Priority, r.Category)
	}
	figs := map[string]float64{}
	for _, x := range r.Evidence.Figures {
		figs[x.Name] = x.Value
	}
	if figs["requests"] != 200 || figs["status_5xx"] != 50 || figs["status_5xx_share"] != 0.25 || figs["status_500"] != 25 || figs["status_503"] != 25 {
		t.Errorf("figures %v", figs)
	}
	if _, rise := figs["previous_error_rate"]; rise || strings.Contains(r.Title, "rising") {
		t.Errorf("a steady share is not a rise: %s %v", r.Title, figs)
	}
	if !strings.Contains(r.Title, "25.0%") || !strings.Contains(r.Description, "25 × 500") || !strings.Contains(r.Description, "25 × 503") {
		t.Errorf("texts: %s / %s", r.Title, r.Description)
	}
	if len(r.Evidence.ExampleTraceIDs) != 3 {
		t.Errorf("example traces %v", r.Evidence.ExampleTraceIDs)
	}
	for _, id := range r.Evidence.ExampleTraceIDs {
		var status int16
		if err := pool.QueryRow(tctx(t), "SELECT status_code FROM api_performance_log WHERE replace(trace_id::text, '-', '') = $1", id).Scan(&status); err != nil || status < 500 {
			t.Errorf("example trace %s: status %d (%v), want a 5xx", id, status, err)
		}
	}
}

// An endpoint that both rose and stays high is one recommendation naming both, with the
// higher priority.
func TestErrorRiseAndStateMerge(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	t0 := now.Add(-3 * time.Hour)
	api(t, pool, f, f.epPay, 40000, 200, t0.Add(-24*time.Hour), 30*time.Second, 1000, 100) // 1% before
	api(t, pool, f, f.epPay, 41000, 200, t0, 30*time.Second, 1000, 2)                      // 50% now
	refreshAll(t, pool, f.tid, "acme")
	res, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var errs []Recommendation
	for _, r := range res.Recommendations {
		if r.Kind == KindErrorRate {
			errs = append(errs, r)
		}
	}
	if len(errs) != 1 {
		t.Fatalf("error recommendations: %v, want one", summarize(errs))
	}
	r := errs[0]
	t.Logf("%s [%s]\n%s", r.Title, r.Priority, r.Description)
	if r.Priority != Critical || !strings.Contains(r.Title, "50.0%") || !strings.Contains(r.Title, "rising") || !strings.Contains(r.Evidence.Rule, "state:") || !strings.Contains(r.Evidence.Rule, "rise:") {
		t.Errorf("merged recommendation: %+v", r)
	}
}

// The 5xx breakdown reads the failed requests through their partial index
// (api_performance_log_5xx), not every request row of the window: the statement's predicate
// must imply the index's. With sequential scans off, a statement the index does not serve
// would scan another index of the log.
func TestErrorStatusUsesThe5xxIndex(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	ctx := tctx(t)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(queryStrings(t, tx, "EXPLAIN "+errorStatusSQL, f.tid, now.Add(-48*time.Hour), now, []int32{f.epPay}), "\n")
	parts := queryStrings(t, tx, `SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'api_performance_log_5xx'::regclass`)
	if len(parts) == 0 {
		t.Fatal("api_performance_log_5xx has no partition indexes")
	}
	for _, p := range parts {
		if strings.Contains(plan, p) {
			return
		}
	}
	t.Errorf("error_status.sql does not use api_performance_log_5xx:\n%s", plan)
}

// 5xx has one definition, perf_status_5xx (HTTP 500-599). The partial index cannot call it
// (functions are dropped and made again on a reapply), so its predicate is the expression
// written out: it must select exactly the statuses perf_status_5xx does, or the breakdown
// would read rows the rollups do not count as 5xx (or miss some they do).
func TestThe5xxIndexPredicateIsPerfStatus5xx(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	pred := perfdbtest.Scalar[string](t, pool, `SELECT pg_get_expr(indpred, indrelid) FROM pg_index
		WHERE indexrelid = 'api_performance_log_5xx'::regclass`)
	if pred == "" {
		t.Fatal("api_performance_log_5xx has no predicate")
	}
	differ := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM (SELECT s::smallint AS status_code FROM generate_series(-1, 1000) s) t
		WHERE (`+pred+`) IS DISTINCT FROM perf_status_5xx(status_code)`)
	if differ != 0 {
		t.Errorf("index predicate %s and perf_status_5xx disagree on %d status codes", pred, differ)
	}
	// HTTP 5xx: 500 through 599, nothing else
	got := perfdbtest.Scalar[string](t, pool, `SELECT string_agg(s::text, ',' ORDER BY s) FROM generate_series(0, 1000) s
		WHERE perf_status_5xx(s::smallint) AND s NOT BETWEEN 501 AND 598`)
	if got != "500,599" {
		t.Errorf("perf_status_5xx outside 501..598 holds %q, want 500,599", got)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM generate_series(0, 1000) s WHERE perf_status_5xx(s::smallint)"); n != 100 {
		t.Errorf("perf_status_5xx holds %d codes of 0..1000, want 100", n)
	}
}

// max_per_detector keeps a detector's worst findings whatever order it produces them in: the
// error detector reads endpoints in id order, and the three CRITICAL ones here have the
// highest ids.
func TestMaxPerDetectorKeepsTheWorst(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	t0 := now.Add(-3 * time.Hour)
	critical := map[string]bool{}
	for i := range 6 {
		route := fmt.Sprintf("/fail%d", i)
		ep := perfdbtest.Scalar[int32](t, pool, `INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route)
			VALUES ($1, $2, 'server', 'GET', $3) RETURNING endpoint_id`, f.tid, f.svc, route)
		every := 10 // 10% 5xx: MEDIUM
		if i >= 3 {
			every = 2 // 50%: CRITICAL
			critical["GET "+route] = true
		}
		api(t, pool, f, ep, int64(40000+1000*i), 200, t0, 30*time.Second, 1000, every)
	}
	refreshAll(t, pool, f.tid, "acme")
	cfg := DefaultConfig()
	cfg.MaxPerDetector = 3
	res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, r := range res.Recommendations {
		if r.Kind == KindErrorRate {
			kept = append(kept, r.AffectedEndpoints[0]+" "+r.Priority)
			if !critical[r.AffectedEndpoints[0]] {
				t.Errorf("kept %s (%s) over a CRITICAL one", r.AffectedEndpoints[0], r.Priority)
			}
		}
	}
	if len(kept) != 3 {
		t.Errorf("error recommendations %v, want the 3 CRITICAL endpoints", kept)
	}
}
