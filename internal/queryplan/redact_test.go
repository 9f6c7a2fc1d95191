package queryplan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// an auto_explain message of PostgreSQL 15 (log_format json, log_analyze, log_buffers,
// log_verbose), with literals in every place a plan prints them and keys the allow-list lacks
const autoExplainMessage = `duration: 12.504 ms  plan:
{
  "Query Text": "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = 'alice@example.com' AND o.note LIKE '%secret-token-9%' AND o.total > 4242 ORDER BY o.id LIMIT 77",
  "Query Parameters": "$1 = 'hunter2'",
  "Settings": {"work_mem": "64kB", "search_path": "'secret-path'"},
  "JIT": {"Functions": 3, "Options": {"Inlining": false}},
  "Plan": {
    "Node Type": "Limit",
    "Parallel Aware": false,
    "Startup Cost": 10.5, "Total Cost": 20.25, "Plan Rows": 77, "Plan Width": 40,
    "Actual Startup Time": 0.1, "Actual Total Time": 12.3, "Actual Rows": 3, "Actual Loops": 1,
    "Output": ["o.id", "u.email"],
    "Shared Hit Blocks": 12, "Shared Read Blocks": 3,
    "Plans": [
      {
        "Node Type": "Sort", "Parent Relationship": "Outer",
        "Sort Key": ["o.id"], "Sort Method": "quicksort", "Sort Space Used": 25, "Sort Space Type": "Memory",
        "Plans": [
          {
            "Node Type": "Hash Join", "Parent Relationship": "Outer", "Join Type": "Inner",
            "Hash Cond": "(o.user_id = u.id)",
            "Join Filter": "(o.total > '4242'::numeric)",
            "Rows Removed by Join Filter": 5,
            "Plans": [
              {"Node Type": "Seq Scan", "Parent Relationship": "Outer", "Relation Name": "orders", "Schema": "public", "Alias": "o",
               "Filter": "((note ~~ '%secret-token-9%'::text) AND (total > 4242.00))", "Rows Removed by Filter": 9000,
               "Total Cost": 15.0},
              {"Node Type": "Hash", "Parent Relationship": "Inner",
               "Plans": [
                 {"Node Type": "Index Scan", "Parent Relationship": "Outer", "Scan Direction": "Forward",
                  "Index Name": "users_email_idx", "Relation Name": "users", "Schema": "public", "Alias": "u",
                  "Index Cond": "((email)::text = 'alice@example.com'::text)",
                  "Filter": "(u.created > '2026-01-02 03:04:05+00'::timestamp with time zone)",
                  "Recheck Cond": "(u.tags @> ARRAY['vip-777'::text])",
                  "Unknown New Key": "planted 'secret' value"}
               ]}
            ]
          }
        ]
      }
    ]
  },
  "Triggers": [{"Trigger Name": "audit", "Relation": "orders", "Time": 0.5, "Calls": 1}]
}`

// LIMIT 77 is not among them: a Limit node's row estimate is its LIMIT when its input has
// more rows, a figure the plan keeps.
var planted = []string{"alice@example.com", "secret", "4242", "hunter2", "vip-777", "2026-01-02", "03:04:05", "64kB"}

func TestParseAutoExplainRedacts(t *testing.T) {
	a, err := ParseAutoExplain(autoExplainMessage, sqlnorm.New(sqlnorm.PostgreSQL, 0))
	if err != nil {
		t.Fatal(err)
	}
	if a.DurationMs != 12.504 {
		t.Errorf("duration %v", a.DurationMs)
	}
	client := sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(
		"SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1 AND o.note LIKE $2 AND o.total > $3 ORDER BY o.id LIMIT $4")
	if a.Statement.Fingerprint != client.Fingerprint {
		t.Errorf("fingerprint of %q differs from the client's %q", a.Statement.Normalized, client.Normalized)
	}
	all := string(a.Plan.JSON) + a.Plan.Text + a.Plan.TopNode + a.Statement.Normalized
	for _, lit := range planted {
		if strings.Contains(all, lit) {
			t.Errorf("%q survives: %s\n%s", lit, a.Plan.JSON, a.Plan.Text)
		}
	}
	for _, want := range []string{`"Index Cond":"((email)::text = ?::text)"`, `"Relation Name":"orders"`, `"Rows Removed by Filter":9000`,
		`"Sort Key":["o.id"]`, `"Trigger Name":"audit"`} {
		if !strings.Contains(string(a.Plan.JSON), want) {
			t.Errorf("redacted plan lacks %s: %s", want, a.Plan.JSON)
		}
	}
	if strings.Join(a.Plan.Dropped, ",") != "JIT,Query Parameters,Query Text,Settings,Unknown New Key" {
		t.Errorf("dropped %v", a.Plan.Dropped)
	}
	if a.Plan.TopNode != "Limit" || !strings.Contains(a.Plan.Text, "      Seq Scan on public.orders  (cost 15.0)\n        Filter: ((note ~~ ?::text) AND (total > ?))") {
		t.Errorf("top %q text:\n%s", a.Plan.TopNode, a.Plan.Text)
	}
}

// The shape hash ignores figures, expressions and aliases, and sees nodes, relations and indexes.
func TestShapeHash(t *testing.T) {
	base := `{"Plan": {"Node Type": "Index Scan", "Index Name": "i1", "Relation Name": "t", "Alias": "a", "Total Cost": 1, "Index Cond": "(x = 1)"}}`
	same := `[{"Plan": {"Node Type": "Index Scan", "Index Name": "i1", "Relation Name": "t", "Alias": "b", "Total Cost": 99, "Actual Rows": 5, "Index Cond": "(x = $1)"}}]`
	otherIndex := `{"Plan": {"Node Type": "Index Scan", "Index Name": "i2", "Relation Name": "t"}}`
	seq := `{"Plan": {"Node Type": "Seq Scan", "Relation Name": "t"}}`
	hash := func(s string) int64 {
		p, err := Redact([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return p.Hash
	}
	if hash(base) != hash(same) {
		t.Error("the same plan with other figures hashes differently")
	}
	if hash(base) == hash(otherIndex) || hash(base) == hash(seq) || hash(otherIndex) == hash(seq) {
		t.Error("different plans hash the same")
	}
	if _, err := Redact([]byte(`{"Query Text": "x"}`)); err != ErrNoPlan {
		t.Errorf("no plan: %v", err)
	}
}

func TestParseAutoExplainRefusesText(t *testing.T) {
	n := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	if _, err := ParseAutoExplain("duration: 1.0 ms  plan:\nQuery Text: SELECT 'x'\nSeq Scan on t", n); err != ErrNotJSONFormat {
		t.Errorf("text format: %v", err)
	}
	if _, err := ParseAutoExplain("duration: 1.0 ms  statement: SELECT 1", n); err != ErrNotAutoExplain {
		t.Errorf("log_min_duration_statement line: %v", err)
	}
}

// Whatever the strings of a plan hold, a string literal planted in any expression or unknown
// key never reaches the redacted plan (only names — node types, relations, indexes — are kept).
func FuzzRedactNoLiteralSurvives(f *testing.F) {
	f.Add("alice@example.com", "Filter", int64(4242))
	f.Add("secret", "Unknown", int64(-1))
	f.Add("x'; DROP TABLE t; --", "Index Cond", int64(0))
	f.Add(`a"b\c`, "Output", int64(77))
	keys := []string{"Filter", "Index Cond", "Hash Cond", "Join Filter", "Recheck Cond", "Function Call", "Query Text", "Settings", "Unknown"}
	f.Fuzz(func(t *testing.T, secret, key string, num int64) {
		if len(secret) < 4 || strings.ContainsAny(secret, "'\\") || !json.Valid([]byte(`"`+secret+`"`)) {
			t.Skip()
		}
		lit := "'" + secret + "'"
		plan := map[string]any{"Node Type": "Seq Scan", "Relation Name": "t"}
		for _, k := range keys {
			plan[k] = "(col = " + lit + "::text)"
		}
		plan[key] = "(col = " + lit + ")"
		plan["Output"] = []any{lit, "lower(" + lit + ")"}
		plan["Sort Key"] = []any{"(col || " + lit + ")"}
		doc, _ := json.Marshal(map[string]any{"Query Text": "SELECT " + lit, "Plan": plan})
		p, err := Redact(doc)
		if err != nil {
			t.Fatal(err)
		}
		// a secret that the redacted plan's names or syntax happen to contain ("Scan", "text")
		// proves nothing
		baseline, _ := Redact([]byte(strings.ReplaceAll(string(doc), secret, "x")))
		if strings.Contains(string(baseline.JSON)+baseline.Text, secret) {
			t.Skip()
		}
		var back map[string]any
		if err := json.Unmarshal(p.JSON, &back); err != nil {
			t.Fatal(err)
		}
		flat, _ := json.Marshal(back)
		if strings.Contains(string(flat)+p.Text, secret) || strings.Contains(string(p.JSON), secret) {
			t.Fatalf("literal %q survives: %s", secret, p.JSON)
		}
	})
}
