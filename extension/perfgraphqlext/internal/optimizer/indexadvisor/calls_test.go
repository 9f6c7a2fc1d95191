package indexadvisor

import (
	"strings"
	"testing"
)

// An index is suggested only when a scan can explain the statement's time.
func TestIndexOnlyWhenScanExplainsTime(t *testing.T) {
	for _, c := range []struct {
		stmt, index, reason, sink string
		certain                   bool
	}{
		{"SELECT customer_id, sum(total), pg_sleep(?) FROM orders WHERE customer_id = ? GROUP BY customer_id", "", "no index helps: the time is spent in pg_sleep()", "pg_sleep()", true},
		{"SELECT * FROM orders WHERE customer_id = ? AND pg_catalog.pg_sleep(?) IS NOT NULL", "", "pg_catalog.pg_sleep()", "pg_catalog.pg_sleep()", true},
		{"SELECT SLEEP(?) FROM orders WHERE id = ?", "", "sleep()", "sleep()", true},
		{"SELECT * FROM orders WHERE customer_id = ? ORDER BY random() LIMIT ?", "", "volatile function random()", "random()", false},
		{"SELECT id, score_order(id) FROM orders WHERE customer_id = ?", "", "score_order(), a function whose cost", "score_order()", false},
		{"SELECT * FROM orders WHERE customer_id = ? AND app.check_access(?)", "", "app.check_access()", "app.check_access()", false},
		{"SELECT count(*), max(total) FROM orders WHERE customer_id = ? AND created_at > now() - INTERVAL ?",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at);", "", "", false},
		{"SELECT id FROM orders WHERE lower(email) = ? OR customer_id = ?", "", "top-level OR", "", false},
	} {
		a := AnalyzeStatement(c.stmt)
		if a.Index != c.index || a.TimeSink != c.sink || a.SinkCertain != c.certain || (c.reason != "" && !strings.Contains(a.NoIndexReason, c.reason)) {
			t.Errorf("%s:\n index %q sink %q certain %v reason %q\n want %q %q %v %q", c.stmt, a.Index, a.TimeSink, a.SinkCertain, a.NoIndexReason, c.index, c.sink, c.certain, c.reason)
		}
	}
}

func TestLikeTableColumns(t *testing.T) {
	for stmt, want := range map[string]string{
		"SELECT id FROM products WHERE description LIKE ?":                                 "description",
		"SELECT p.id FROM products p WHERE p.name NOT ILIKE ? AND p.description LIKE ?":    "name,description",
		"SELECT p.id FROM products p JOIN tags t ON t.pid = p.id WHERE t.label LIKE ?":     "",
		"SELECT id FROM products WHERE lower(description) LIKE ?":                          "",
		"SELECT p.id FROM products p JOIN tags t ON t.pid = p.id WHERE description LIKE ?": "",
	} {
		if got := strings.Join(AnalyzeStatement(stmt).LikeTableColumns, ","); got != want {
			t.Errorf("%s: %q, want %q", stmt, got, want)
		}
	}
}
