package optimizer

import (
	"testing"
	"time"

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
