package dashboard

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// plan.js draws a stored plan as a tree and marks the node with the most time of its own
// (actual plans) as hot: run with node on a plan whose time is in a Seq Scan under a Hash Join.
func TestPlanJSMarksTheHotNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: plan.js is not run")
	}
	js, err := static.ReadFile("static/plan.js")
	if err != nil {
		t.Fatal(err)
	}
	harness := `const window = {};
` + string(js) + `
const plan = {"Plan": {"Node Type": "Hash Join", "Join Type": "Inner", "Total Cost": 900, "Actual Total Time": 50, "Actual Loops": 1, "Actual Rows": 10,
  "Hash Cond": "(o.customer_id = c.id)", "Plans": [
  {"Node Type": "Seq Scan", "Relation Name": "orders", "Schema": "public", "Total Cost": 800, "Actual Total Time": 45, "Actual Loops": 1, "Actual Rows": 10,
   "Rows Removed by Filter": 99990, "Filter": "(o.status = ?::text)"},
  {"Node Type": "Hash", "Total Cost": 20, "Actual Total Time": 1, "Actual Loops": 1, "Actual Rows": 100, "Plans": [
    {"Node Type": "Index Scan", "Relation Name": "customers", "Index Name": "customers_pkey", "Total Cost": 19, "Actual Total Time": 0.9, "Actual Loops": 1, "Actual Rows": 100}]}]}};
const d = {totalCalls: 5, avgExecutionTimeMs: 51, avgRowsReturned: 10,
  serverStats: [{dbNamespace: "shop", calls: 5, meanTimeMs: 50, rows: 50, sharedBlksRead: 100, cacheHitRatio: 0.5, tempBlksWritten: 0}],
  plans: [{dbNamespace: "shop", source: "actual", planHash: "1", current: true, lastSeen: "2026-01-01T00:00:00Z", timesSeen: 5, topNode: "Hash Join", execMeanMs: 50, text: "", json: JSON.stringify(plan)},
          {dbNamespace: "shop", source: "actual", planHash: "2", current: false, lastSeen: "2026-01-01T00:00:00Z", timesSeen: 3, topNode: "Nested Loop", execMeanMs: 2, text: "", json: "{}"}]};
process.stdout.write(window.perfPlan.render(d));
`
	path := filepath.Join(t.TempDir(), "harness.js")
	if err := os.WriteFile(path, []byte(harness), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, path).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	html := string(out)
	hot := strings.Index(html, `class="plan-hot"`)
	if hot < 0 || !strings.HasPrefix(html[hot:], `class="plan-hot" data-testid="plan-hot"><span class="plan-node">Seq Scan on public.orders</span>`) {
		t.Errorf("the hot node is not the Seq Scan:\n%s", html)
	}
	for _, want := range []string{`data-testid="server-stats"`, "server · shop", "50.0 %", "removed by filter 99,990", "Filter: <code>(o.status = ?::text)</code>",
		`data-testid="plan-history"`, "Nested Loop", "Index Scan using customers_pkey on customers"} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in:\n%s", want, html)
		}
	}
	if page, _ := static.ReadFile("static/index.html"); !strings.Contains(string(page), `<script src="plan.js"></script>`) {
		t.Error("index.html does not load plan.js")
	}
}
