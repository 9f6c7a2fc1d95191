package perfgraphqlext

import (
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// queryDetail.plans, planChanges and genericPlanStatus answer a tenant with its own plans
// only: two tenants run one statement, each sees its plans, redacted as stored.
func TestQueryDetailPlansPerTenant(t *testing.T) {
	fp := int64(sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize("SELECT id FROM orders WHERE email = $1").Fingerprint)
	pool, dsn := perfdbtest.NewMigratedPool(t)
	perfgraphqltest.SeedTenant(t, pool, "acme", fp)
	perfgraphqltest.SeedTenant(t, pool, "globex", fp)
	redact := func(raw string) queryplan.Plan {
		p, err := queryplan.Redact([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	index := redact(`{"Plan": {"Node Type": "Index Scan", "Relation Name": "orders", "Index Name": "orders_email", "Total Cost": 8.3,
		"Actual Total Time": 0.02, "Actual Rows": 1, "Index Cond": "(email = 'alice.secret@example.com'::text)"}}`)
	seq := redact(`{"Plan": {"Node Type": "Seq Scan", "Relation Name": "orders", "Total Cost": 1900.5, "Actual Total Time": 4.1,
		"Actual Rows": 1, "Rows Removed by Filter": 99999, "Filter": "(email = 'alice.secret@example.com'::text)"}}`)
	now := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Microsecond)
	at := func(d time.Duration) time.Time { return now.Add(d) }
	if _, err := queryplan.Store(tctx(t), pool, []queryplan.Sighting{
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fp, Source: queryplan.SourceActual, Seen: at(0), Plan: index, ExecMs: 0.02},
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fp, Source: queryplan.SourceActual, Seen: at(time.Second), Plan: index, ExecMs: 0.04},
		{Tenant: "acme", DBNamespace: "shop", Fingerprint: fp, Source: queryplan.SourceActual, Seen: at(time.Minute), Plan: seq, ExecMs: 4.1},
		{Tenant: "globex", DBNamespace: "shop", Fingerprint: fp, Source: queryplan.SourceGeneric, Seen: at(0), Plan: seq},
	}); err != nil {
		t.Fatal(err)
	}
	perfdbtest.Exec(t, pool, `INSERT INTO perf_generic_plan_status SELECT tenant_id, 'shop', $1, 'no_parameter_types', 'the type of $1 cannot be inferred', NULL, now()
		FROM perf_tenants WHERE name = 'acme'`, fp)

	// the engine's plan regression of acme's statement carries the plans as evidence
	cfg := optimizer.DefaultConfig()
	cfg.PlanRegression.MinExecutions = 1
	if _, err := optimizer.New(cfg, nil).Run(tctx(t), pool, "acme", time.Now()); err != nil {
		t.Fatal(err)
	}

	url := startExt(t, dsn, nil, "acme", "globex")
	q := `{ queryDetail(fingerprint: "` + sqlnorm.FormatFingerprint(uint64(fp)) + `", timeRange: LAST_HOUR) {
		plans { dbNamespace source planHash current firstSeen lastSeen timesSeen topNode totalCost execTotalMs execMinMs execMaxMs execMeanMs text json }
		planChanges { dbNamespace source changedAt oldPlanHash newPlanHash }
		genericPlanStatus { dbNamespace status message planHash checkedAt } } }`
	d := mustData(t, query(t, url, "token-acme", q, nil))["queryDetail"].(map[string]any)
	plans := d["plans"].([]any)
	if len(plans) != 2 {
		t.Fatalf("acme plans %v", plans)
	}
	cur, old := plans[0].(map[string]any), plans[1].(map[string]any)
	if cur["current"] != true || old["current"] != false || cur["topNode"] != "Seq Scan on orders" || cur["source"] != "actual" ||
		old["timesSeen"] != 2.0 || old["execMeanMs"].(float64) < 0.029 || old["execMeanMs"].(float64) > 0.031 || cur["totalCost"] != 1900.5 {
		t.Errorf("plans %v", plans)
	}
	if !strings.Contains(cur["text"].(string), "Filter: (email = ?::text)") || !strings.Contains(cur["json"].(string), `"Rows Removed by Filter": 99999`) {
		t.Errorf("plan text/json: %v", cur)
	}
	for _, p := range plans {
		for _, k := range []string{"text", "json"} {
			if strings.Contains(p.(map[string]any)[k].(string), "alice") {
				t.Errorf("a literal in the plan's %s: %v", k, p)
			}
		}
	}
	ch := d["planChanges"].([]any)
	if len(ch) != 1 || ch[0].(map[string]any)["oldPlanHash"] != old["planHash"] || ch[0].(map[string]any)["newPlanHash"] != cur["planHash"] {
		t.Errorf("planChanges %v", ch)
	}
	gs := d["genericPlanStatus"].([]any)
	if len(gs) != 1 || gs[0].(map[string]any)["status"] != "no_parameter_types" || gs[0].(map[string]any)["planHash"] != nil {
		t.Errorf("genericPlanStatus %v", gs)
	}

	recs := mustData(t, query(t, url, "token-acme", `{ recommendations(timeRange: LAST_HOUR) { kind title
		plan { dbNamespace source planHash topNode excerpt previousPlanHash previousExcerpt } } }`, nil))["recommendations"].([]any)
	var reg map[string]any
	for _, r := range recs {
		if p, _ := r.(map[string]any)["plan"].(map[string]any); p != nil && p["previousPlanHash"] == old["planHash"] {
			reg = p
		}
	}
	if reg == nil || reg["planHash"] != cur["planHash"] || !strings.Contains(strings.Join(toStrings(reg["previousExcerpt"]), "\n"), "orders_email") ||
		!strings.Contains(strings.Join(toStrings(reg["excerpt"]), "\n"), "Seq Scan on orders") {
		t.Errorf("no plan regression with both plans in recommendations: %v", recs)
	}

	g := mustData(t, query(t, url, "token-globex", q, nil))["queryDetail"].(map[string]any)
	if gp := g["plans"].([]any); len(gp) != 1 || gp[0].(map[string]any)["source"] != "generic" || gp[0].(map[string]any)["execTotalMs"] != nil {
		t.Errorf("globex plans %v", gp)
	}
	if len(g["planChanges"].([]any)) != 0 || len(g["genericPlanStatus"].([]any)) != 0 {
		t.Errorf("globex sees acme's: %v", g)
	}
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
