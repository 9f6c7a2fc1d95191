package optimizer

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func figureValue(r *Recommendation, name string) float64 {
	for _, f := range r.Evidence.Figures {
		if f.Name == name {
			return f.Value
		}
	}
	return -1
}

// The N+1 detector reads the groups stored per hour. Hours without stored groups (never
// computed, or re-aggregated by a rollup refresh since) and hours stored under another rule
// are computed by the engine before it reads, so a rule change takes effect at once, and the
// stored figures equal those of the raw rows.
func TestNPlusOneStoredGroupsFollowTheRule(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	seedProblems(t, pool, f, now) // no refresh: no hour has stored groups yet

	run := func(minReps int) *Recommendation {
		t.Helper()
		cfg := DefaultConfig()
		cfg.NPlusOne.MinRepetitions = minReps
		res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
		if err != nil {
			t.Fatal(err)
		}
		return find(res.Recommendations, KindNPlusOne, func(Recommendation) bool { return true })
	}
	r := run(5)
	if r == nil || len(r.AffectedEndpoints) != 1 || r.AffectedEndpoints[0] != "GET /orders" {
		t.Fatalf("N+1 on GET /orders not found from never-refreshed hours: %+v", r)
	}
	// the planted loops: 10 requests × 20 executions of 5 ms
	rawExecs := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE tenant_id = $1 AND fingerprint = $2", f.tid, fpN1)
	if got := figureValue(r, "executions"); got != float64(rawExecs) || rawExecs != 200 {
		t.Errorf("executions %v, raw rows %d", got, rawExecs)
	}
	if got := figureValue(r, "affected_requests"); got != 10 {
		t.Errorf("affected requests %v, want 10", got)
	}
	if got := figureValue(r, "time_wasted_ms"); got != 10*(100-5) {
		t.Errorf("time wasted %v ms, want 950", got)
	}
	if len(r.Evidence.ExampleTraceIDs) != 3 {
		t.Errorf("example traces %v", r.Evidence.ExampleTraceIDs)
	}
	hours := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_nplusone_hours WHERE tenant_id = $1", f.tid)
	if hours < 24 {
		t.Errorf("%d hours stored after the first run of a 24 h window", hours)
	}

	// 20 executions per request are not N+1 under a rule of 25
	if r := run(25); r != nil {
		t.Errorf("N+1 reported under min_repetitions 25: %s", r.Description)
	}
	if got := perfdbtest.Scalar[int32](t, pool, "SELECT min_repetitions FROM perf_nplusone_rule"); got != 25 {
		t.Errorf("rule for the refresh: min_repetitions %d, want 25", got)
	}
	// a rollup refresh marks the hours it re-aggregated as stale for the engine
	refreshAll(t, pool, f.tid, "acme")
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_nplusone_hours h
		WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM query_performance_log q WHERE q.tenant_id = $1 AND date_trunc('hour', q.ts, 'UTC') = h.bucket)`, f.tid); n != 0 {
		t.Errorf("%d hours with DB spans still hold N+1 groups after their refresh", n)
	}
	if r := run(5); r == nil || figureValue(r, "executions") != 200 {
		t.Errorf("N+1 not back under min_repetitions 5: %+v", r)
	}
}

const fpItems int64 = 0x7777

// loopRequests seeds n GET /orders requests (span ids from base, durUs each, one every 20 s
// from t0) and, under each, reps executions of fpItems whose duration is slowUs for the last
// slow requests and fastUs for the others. DB spans are stored without endpoint (attributed
// through their trace); withRequests false leaves their requests out (not arrived yet).
func loopRequests(t *testing.T, f fx, seed func(string, ...any), base int64, n, slow, reps, fastUs, slowUs, durUs int, t0 time.Time, withRequests bool) {
	t.Helper()
	seed(`INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '20 s' + (k + 1) * interval '1500 us', $2, (($4 + g) * 100 + k), $4 + g,
		       md5(($4 + g)::text)::uuid, $5, 0, 1, CASE WHEN g >= $6 - $7 THEN $9::integer ELSE $8::integer END, 1, $1, false
		FROM generate_series(0, $6 - 1) g, generate_series(0, $10 - 1) k`,
		f.tid, fpItems, t0, base, f.svc, n, slow, fastUs, slowUs, reps)
	if withRequests {
		seed(`INSERT INTO api_performance_log
			SELECT $3::timestamptz + g * interval '20 s', $2 + g, md5(($2 + g)::text)::uuid, $4, $5, $6, 100, 2000, 200, $1, false
			FROM generate_series(0, $7 - 1) g`, f.tid, base, t0, f.svc, f.epOrders, durUs, n)
	}
}

func itemsFixture(t *testing.T) (fx, func(string, ...any), func(cfg Config) *Recommendation, time.Time) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', 'order_items', 'SELECT order_items',
		'SELECT * FROM order_items WHERE order_id = ?', now(), now())`, f.tid, fpItems)
	seed := func(sql string, args ...any) { perfdbtest.Exec(t, pool, sql, args...) }
	run := func(cfg Config) *Recommendation {
		t.Helper()
		refreshAll(t, pool, f.tid, "acme")
		res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Recommendations {
			if r.Kind == KindNPlusOne && (len(r.AffectedEndpoints) != 1 || strings.Contains(r.Title+r.Description, "(no endpoint)")) {
				t.Errorf("N+1 recommendation without its endpoint: %s", r.Title)
			}
		}
		return find(res.Recommendations, KindNPlusOne, func(r Recommendation) bool { return r.Evidence.Fingerprints[0] == fpHex(fpItems) })
	}
	return f, seed, run, now
}

// Every request that loops counts, whatever its loop took; the 50 ms rule decides only
// whether the pattern is reported: 100 requests of 60 ms each loop 40 times over
// order_items, 90 of them at 1.2 ms per execution (48 ms, under the rule), 10 at 1.3 ms
// (52 ms). Reported with all 100 requests; not reported once no loop reaches 50 ms.
func TestNPlusOneCountsEveryLoopingRequest(t *testing.T) {
	f, seed, run, now := itemsFixture(t)
	loopRequests(t, f, seed, 30000, 100, 10, 40, 1200, 1300, 60000, now.Add(-90*time.Minute), true)

	r := run(DefaultConfig())
	if r == nil {
		t.Fatal("N+1 over order_items not reported though 10 requests' loops took 52 ms")
	}
	t.Logf("%s\n  %s\n  impact: %s\n  savings: %s\n  recommendation: %s\n  implementation:\n%s\n  rule: %s\n  figures: %+v",
		r.Title, r.Description, r.Impact, r.EstimatedSavings, r.Recommendation, r.Implementation, r.Evidence.Rule, r.Evidence.Figures)
	loopMs := 90*40*1.2 + 10*40*1.3
	for name, want := range map[string]float64{
		"affected_requests": 100, "endpoint_requests": 100, "affected_share": 1,
		"avg_repetitions_per_request": 40, "max_repetitions_per_request": 40, "executions": 4000,
		"loop_total_ms": loopMs, "loop_ms_per_request": loopMs / 100,
		"latency_share":  math.Round(loopMs/(100*60)*1000) / 1000,
		"time_wasted_ms": 90*(48-1.2) + 10*(52-1.3), "requests_over_min_total_duration": 10,
	} {
		if got := figureValue(r, name); math.Abs(got-want) > 1e-6 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if len(r.AffectedEndpoints) != 1 || r.AffectedEndpoints[0] != "GET /orders" {
		t.Errorf("endpoints %v", r.AffectedEndpoints)
	}
	for _, want := range []string{"100 of the 100 requests of GET /orders (100%)", "40.0 times per request", "10 of these loops took at least 50ms", "(48.4ms per affected request, 81% of the time of all GET /orders requests)"} {
		if !strings.Contains(r.Description+r.Impact, want) {
			t.Errorf("description/impact lack %q:\n%s\n%s", want, r.Description, r.Impact)
		}
	}
	fix := r.Recommendation + "\n" + r.Implementation
	for _, want := range []string{"SELECT * FROM order_items WHERE order_id = ANY($1)", "ON order_items (order_id)", "unverified", "DataLoader"} {
		if !strings.Contains(fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, fix)
		}
	}
	if strings.Contains(fix+r.Description, "WHERE id = ANY") {
		t.Errorf("fix batches on id:\n%s", fix)
	}
	// the examples are the slowest loops' requests
	if len(r.Evidence.ExampleTraceIDs) != 3 {
		t.Errorf("example traces %v", r.Evidence.ExampleTraceIDs)
	}

	// every loop under the rule: the same 100 requests loop, nothing is reported
	seed("UPDATE query_performance_log SET duration_us = 1200 WHERE fingerprint = $1", fpItems)
	if r := run(DefaultConfig()); r != nil {
		t.Errorf("N+1 reported though no loop reached 50 ms: %s", r.Description)
	}
	// a lower rule reports them all again
	cfg := DefaultConfig()
	cfg.NPlusOne.MinTotalDuration = 40 * time.Millisecond
	if r := run(cfg); r == nil || figureValue(r, "affected_requests") != 100 || figureValue(r, "requests_over_min_total_duration") != 100 {
		t.Errorf("under a 40 ms rule: %+v", r)
	}
}

// Loops whose requests are not stored (yet) never form a recommendation of their own; when
// the requests arrive, the refresh of their hour makes the engine compute the hour's groups
// again, now attributed.
func TestNPlusOneUnattributedLoopsWaitForTheirRequest(t *testing.T) {
	f, seed, run, now := itemsFixture(t)
	t0 := now.Add(-90 * time.Minute)
	loopRequests(t, f, seed, 40000, 10, 10, 20, 4000, 4000, 100000, t0, false)
	if r := run(DefaultConfig()); r != nil {
		t.Fatalf("N+1 reported for loops without a request: %s %v", r.Title, r.AffectedEndpoints)
	}
	seed(`INSERT INTO api_performance_log
		SELECT $3::timestamptz + g * interval '20 s', $2 + g, md5(($2 + g)::text)::uuid, $4, $5, 100000, 100, 2000, 200, $1, false
		FROM generate_series(0, 9) g`, f.tid, int64(40000), t0, f.svc, f.epOrders)
	r := run(DefaultConfig())
	if r == nil || r.AffectedEndpoints[0] != "GET /orders" || figureValue(r, "affected_requests") != 10 || figureValue(r, "executions") != 200 {
		t.Fatalf("N+1 of the late requests: %+v", r)
	}
}

func TestBatchLookup(t *testing.T) {
	for _, c := range []struct {
		stmt, want, column string
		keySelected        bool
	}{
		{"SELECT * FROM order_items WHERE order_id = ?", "SELECT * FROM order_items WHERE order_id = ANY($1)", "order_id", true},
		{"SELECT id, product_id FROM order_items WHERE order_id = ? AND created_at > ?", "SELECT id, product_id FROM order_items WHERE order_id = ANY($1) AND created_at > $2", "order_id", false},
		{"SELECT i.order_id, i.quantity FROM order_items i WHERE i.order_id = ?", "SELECT i.order_id, i.quantity FROM order_items i WHERE i.order_id = ANY($1)", "order_id", true},
		{"SELECT name FROM tags WHERE deleted_at IS NULL AND id = ?", "SELECT name FROM tags WHERE deleted_at IS NULL AND id = ANY($1)", "id", false},
		{"SELECT name FROM tags WHERE deleted = false AND id = ?", "", "", false}, // false is a literal: two parameters
		{"SELECT count(*) FROM orders WHERE customer_id = ?", "", "customer_id", false},
		{"SELECT * FROM orders WHERE customer_id = ? ORDER BY id LIMIT ?", "", "", false},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "", "", false},
		{"SELECT * FROM t WHERE ? = a", "", "a", false},
		{"SELECT * FROM t WHERE a IN (?)", "", "a", false},
		{"UPDATE t SET x = ? WHERE id = ?", "", "", false},
	} {
		b := batchLookup(c.stmt, indexadvisor.AnalyzeStatement(c.stmt))
		if b.statement != c.want || (c.want != "" && (b.column != c.column || b.keySelected != c.keySelected)) {
			t.Errorf("%s: got %q on %q (key selected %v, %s), want %q on %q", c.stmt, b.statement, b.column, b.keySelected, b.reason, c.want, c.column)
		}
		if c.want == "" && b.reason == "" {
			t.Errorf("%s: no batched statement and no reason", c.stmt)
		}
	}
}

// With a HypoPG target, the index on the loop's key column is offered only when the target
// lacks a usable one: the index advisor's validation, on the looped statement.
func TestNPlusOneFixChecksTheKeyIndex(t *testing.T) {
	dsn := perfdbtest.NewDatabase(t)
	pool, err := pgxpool.New(tctx(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(tctx(t), "CREATE EXTENSION IF NOT EXISTS hypopg"); err != nil {
		t.Fatalf("the hypopg extension is required for this test: %v", err)
	}
	perfdbtest.Exec(t, pool, `CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL, product_id bigint NOT NULL, quantity int NOT NULL)`)
	perfdbtest.Exec(t, pool, `INSERT INTO order_items (order_id, product_id, quantity) SELECT o, k, 1 FROM generate_series(1, 700) o, generate_series(1, 40) k`)
	perfdbtest.Exec(t, pool, "ANALYZE order_items")
	stmt := "SELECT * FROM order_items WHERE order_id = ?"
	e := &env{tenant: "acme", hypo: indexadvisor.NewValidator(indexadvisor.Config{MinCostReduction: 0.3}, []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}}),
		plans: storedPlans{}} // no plan of the statement: its own index advice stands

	fix := loopFix(tctx(t), e, "shop", stmt, 40)
	t.Logf("without an index:\n%s\n%s", fix.advice, fix.implementation)
	if fix.validation == nil || fix.validation.Status != "VALIDATED" || !strings.Contains(fix.advice, "order_items has no usable index on order_id") ||
		!strings.Contains(fix.implementation, "ON order_items (order_id)") || strings.Contains(fix.advice+fix.implementation, "unverified") {
		t.Errorf("missing index not validated: %+v", fix)
	}
	perfdbtest.Exec(t, pool, "CREATE INDEX order_items_order ON order_items (order_id)")
	perfdbtest.Exec(t, pool, "ANALYZE order_items")
	e.hypo = indexadvisor.NewValidator(indexadvisor.Config{MinCostReduction: 0.3}, []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}})
	fix = loopFix(tctx(t), e, "shop", stmt, 40)
	t.Logf("with an index:\n%s\n%s", fix.advice, fix.implementation)
	if fix.validation == nil || fix.validation.Status != "NOT_BENEFICIAL" || strings.Contains(fix.implementation, "CREATE INDEX") ||
		!strings.Contains(fix.advice, "order_items_order") || !strings.Contains(fix.implementation, "FROM order_items WHERE order_id = ANY($1)") {
		t.Errorf("index offered though order_id is indexed: %+v", fix)
	}
}
