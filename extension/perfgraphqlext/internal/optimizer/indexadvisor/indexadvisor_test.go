package indexadvisor

import (
	"strings"
	"testing"
)

func TestAnalyzeStatementIndex(t *testing.T) {
	cases := []struct{ in, index, reason string }{
		{"SELECT * FROM orders WHERE customer_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT ?",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at);", ""},
		{"SELECT o.id FROM orders o WHERE o.total BETWEEN ? AND ? AND o.status IN (?) ORDER BY o.placed_at",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status_total_placed_at ON orders (status, total, placed_at);", ""},
		{"SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id IN (?) AND o.state = ? ORDER BY o.created_at DESC",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_state_created_at ON orders (state, created_at DESC);", ""},
		{"UPDATE accounts SET balance = balance - ? WHERE id = ?",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_id ON accounts (id);", ""},
		{"DELETE FROM sessions WHERE expires_at < now() - INTERVAL ?",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_expires_at ON sessions (expires_at);", ""},
		{"SELECT * FROM users WHERE a = ? OR b = ?", "", "top-level OR"},
		{"SELECT * FROM users WHERE lower(email) = ?", "", "no indexable predicate"},
		{"SELECT * FROM users", "", "no WHERE"},
		{"INSERT INTO orders(user_id, total) VALUES (?, ?) RETURNING id", "", "INSERT"},
		{"SELECT * FROM \"Users\" WHERE \"Email\" = ?", "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON \"Users\" (\"Email\");", ""},
	}
	for _, c := range cases {
		a := AnalyzeStatement(c.in)
		if a.Index != c.index {
			t.Errorf("%s\n got index %q\nwant       %q (reason %q)", c.in, a.Index, c.index, a.NoIndexReason)
		}
		if c.reason != "" && !strings.Contains(a.NoIndexReason, c.reason) {
			t.Errorf("%s: reason %q, want it to mention %q", c.in, a.NoIndexReason, c.reason)
		}
	}
}

func TestAnalyzeStatementAntiPatterns(t *testing.T) {
	codes := func(s string) string {
		var c []string
		for _, ap := range AnalyzeStatement(s).AntiPatterns {
			c = append(c, ap.Code)
		}
		return strings.Join(c, ",")
	}
	for in, want := range map[string]string{
		"SELECT * FROM users WHERE name LIKE ? OFFSET ?":  "SELECT_STAR,LIKE_PATTERN,OFFSET_PAGINATION",
		"SELECT id, name FROM users":                      "MISSING_WHERE",
		"SELECT u.* FROM users u WHERE u.id = ?":          "SELECT_STAR",
		"SELECT id FROM users WHERE id = ? LIMIT ?":       "",
		"SELECT count(*) FROM users WHERE created_at > ?": "",
		"UPDATE users SET active = ?":                     "MISSING_WHERE",
	} {
		if got := codes(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
