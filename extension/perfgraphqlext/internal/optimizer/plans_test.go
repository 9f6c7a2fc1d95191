package optimizer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/plandetect"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

func TestPlanConfigValidate(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.PlanSeqScan.MaxSelectivity = 1
	c.PlanSeqScan.HighRelationRows = 5
	c.PlanRowsRemoved.MinRatio = 0.5
	c.WorkMem.Headroom = 0.9
	c.CacheHit.MaxHitRatio = 0
	c.PlanRegression.MinSlowdown = 1
	c.PlanRegression.Lookback = 0
	err := c.Validate()
	for _, key := range []string{"plan_seq_scan.max_selectivity", "plan_seq_scan.high_relation_rows", "plan_rows_removed.min_ratio",
		"work_mem.headroom", "cache_hit.max_hit_ratio", "plan_regression.min_slowdown", "plan_regression.lookback"} {
		if err == nil || !strings.Contains(err.Error(), "optimizer."+key) {
			t.Errorf("no error for %s: %v", key, err)
		}
	}
}

// With a plan of the looped statement in the window, the N+1 fix keeps its batching and
// leaves the index to the plan detectors; slow_query's hand-off is in the integration test.
func TestNPlusOneIndexDefersToThePlan(t *testing.T) {
	stmt := "SELECT * FROM order_items WHERE order_id = ?"
	e := &env{tenant: "acme", hypo: indexadvisor.NewValidator(indexadvisor.Config{}, nil), plans: storedPlans{stmt: true}}
	fix := loopFix(t.Context(), e, "shop", stmt, 40)
	if fix.validation != nil || strings.Contains(fix.implementation, "CREATE INDEX") || !strings.Contains(fix.implementation, "order_id = ANY($1)") {
		t.Errorf("the N+1 fix still derives an index though the statement has a plan: %+v", fix)
	}
	e.plans = storedPlans{}
	if fix := loopFix(t.Context(), e, "shop", stmt, 40); !strings.Contains(fix.implementation, "CREATE INDEX") {
		t.Errorf("without a plan the N+1 fix lost its index: %+v", fix)
	}
}

// A generic plan has no execution times: its regression is judged on pg_stat_statements'
// mean before the change's hour and after it. A statement that wrote temp blocks without a
// plan showing the spill gets work_mem advice from them. (Seeded server statistics.)
func TestGenericPlanRegressionAndTempSpills(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	hour := now.Truncate(time.Hour)
	changed := hour.Add(-90 * time.Minute)
	plan := func(node string) queryplan.Plan {
		p, err := queryplan.Redact([]byte(`{"Plan": {"Node Type": "` + node + `", "Relation Name": "orders", "Total Cost": 10}}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := queryplan.Store(tctx(t), pool, []queryplan.Sighting{
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fpSlow, Source: queryplan.SourceGeneric, Seen: changed.Add(-time.Hour), Plan: plan("Index Scan")},
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fpSlow, Source: queryplan.SourceGeneric, Seen: changed, Plan: plan("Seq Scan")},
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fpFast, Source: queryplan.SourceGeneric, Seen: changed.Add(-time.Hour), Plan: plan("Index Scan")},
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fpFast, Source: queryplan.SourceGeneric, Seen: changed, Plan: plan("Seq Scan")},
	}); err != nil {
		t.Fatal(err)
	}
	server := func(fp int64, bucket time.Time, calls int, totalMs float64, tempW int) {
		perfdbtest.Exec(t, pool, `INSERT INTO perf_query_server_hourly VALUES ($1, $2, $3, 'shop', $4, $5, $4, 100, 0, 0, 0, 0, $6, NULL)`,
			f.tid, fp, bucket, calls, totalMs, tempW)
	}
	server(fpSlow, hour.Add(-3*time.Hour), 10, 10, 0) // 1 ms before
	server(fpSlow, hour, 10, 60, 0)                   // 6 ms after: a regression
	server(fpFast, hour.Add(-3*time.Hour), 10, 10, 0) // 1 ms before
	server(fpFast, hour, 10, 11, 0)                   // 1.1 ms after: none
	server(fpRare, hour, 4, 400, 4*512)               // 4 MB of temp blocks per call, no plan
	res, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var reg, spill *Recommendation
	for i := range res.Recommendations {
		r := &res.Recommendations[i]
		switch {
		case r.Kind == KindPlanRegression && r.Evidence.Fingerprints[0] == fpHex(fpFast):
			t.Errorf("a 10%% slower plan is reported: %s", r.Title)
		case r.Kind == KindPlanRegression && r.Evidence.Fingerprints[0] == fpHex(fpSlow):
			reg = r
		case r.Kind == KindWorkMem && r.Evidence.Fingerprints[0] == fpHex(fpRare):
			spill = r
		}
	}
	if reg == nil || figureValue(reg, "previous_mean_ms") != 1 || figureValue(reg, "new_mean_ms") != 6 || reg.Evidence.Plan == nil ||
		!strings.Contains(strings.Join(reg.Evidence.Plan.PreviousExcerpt, "\n"), "Index Scan") || !strings.Contains(reg.Evidence.Rule, "pg_stat_statements") {
		t.Errorf("generic plan regression: %+v", reg)
	} else {
		t.Logf("%s\n%s", reg.Title, reg.Description)
	}
	if spill == nil || figureValue(spill, "temp_written_kb_per_call") != 4096 || figureValue(spill, "suggested_work_mem_mb") != 8 {
		t.Errorf("temp spill: %+v", spill)
	} else {
		t.Logf("%s\n%s", spill.Title, spill.Recommendation)
	}
}

// storedPlans stands for a window whose plans are of the statements it holds (by normalized
// text) and judged by no detector.
type storedPlans map[string]bool

func (storedPlans) Plans(context.Context) ([]plandetect.Finding, error)    { return nil, nil }
func (storedPlans) CacheHit(context.Context) ([]plandetect.Finding, error) { return nil, nil }
func (storedPlans) LikeEvidence(context.Context, int64) (*PlanEvidence, error) {
	return nil, nil
}
func (p storedPlans) PlanOf(_ context.Context, _ int64, normalized string) (string, error) {
	if p[normalized] {
		return "plan stored", nil
	}
	return "", nil
}
