package optimizer

import (
	"strings"
	"testing"
)

// A plan's redacted Filter becomes the WHERE clause the index advisor reads: EXPLAIN's
// parentheses and column casts are dropped, OR groups are kept whole, LIKE is reported.
func TestFilterPredicate(t *testing.T) {
	for _, c := range []struct {
		filter, rel, alias, index string
		like                      bool
	}{
		{"((events.account_id = ?) AND (events.kind = ?::text))", "public.events", "events", "(account_id, kind)", false},
		{"(((email)::text = ?::text) AND (total < ?))", "orders", "", "(email, total)", false},
		{"((o.status = ?) AND ((o.a = ?) OR (o.b = ?)))", "orders", "o", "(status)", false},
		{"((a = ?) OR (b = ?))", "orders", "", "", false},
		{"(products.description ~~ ?::text)", "products", "products", "", true},
		{"(lower(name) = ?)", "users", "", "", false},
	} {
		clause, like := filterPredicate(c.filter)
		an := AnalyzeStatement("SELECT * FROM " + c.rel + " " + c.alias + " WHERE " + clause)
		got := ""
		if an.Index != "" {
			got = "(" + strings.Join(an.IndexColumns, ", ") + ")"
		}
		if got != c.index || like != c.like {
			t.Errorf("%s: clause %q, index %q like %v; want %q %v (%s)", c.filter, clause, got, like, c.index, c.like, an.NoIndexReason)
		}
	}
}

// The work_mem advised holds the spill with the headroom, in a power of two MB.
func TestSuggestWorkMem(t *testing.T) {
	for _, c := range []struct {
		kb, headroom float64
		want         int64
	}{{100, 2, 1}, {512, 2, 1}, {513, 2, 2}, {8208, 2, 32}, {16384, 2, 32}, {16385, 2, 64}, {3000, 1, 4}} {
		if got := suggestWorkMem(c.kb, c.headroom); got != c.want {
			t.Errorf("suggestWorkMem(%v, %v) = %d, want %d", c.kb, c.headroom, got, c.want)
		}
	}
}

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
	e := &env{tenant: "acme", hypo: newHypoValidator(HypoPGConfig{}, nil), plans: &planData{byStmt: map[string]bool{stmt: true}}}
	fix := loopFix(t.Context(), e, "shop", stmt, 40)
	if fix.validation != nil || strings.Contains(fix.implementation, "CREATE INDEX") || !strings.Contains(fix.implementation, "order_id = ANY($1)") {
		t.Errorf("the N+1 fix still derives an index though the statement has a plan: %+v", fix)
	}
	e.plans = &planData{}
	if fix := loopFix(t.Context(), e, "shop", stmt, 40); !strings.Contains(fix.implementation, "CREATE INDEX") {
		t.Errorf("without a plan the N+1 fix lost its index: %+v", fix)
	}
}
