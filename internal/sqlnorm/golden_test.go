package sqlnorm

import "testing"

// TestGoldenFingerprints pins fingerprints. If this test fails, the
// normalized text of these statements changed: that is a breaking change
// (stored fingerprints no longer match) and needs a migration note. Do not
// just update the values.
func TestGoldenFingerprints(t *testing.T) {
	golden := []struct {
		d    Dialect
		in   string
		norm string
		fp   string
	}{
		{PostgreSQL, "SELECT * FROM users WHERE id = $1",
			"SELECT * FROM users WHERE id = ?", "c1ec35f2be19c071"},
		{PostgreSQL, "SELECT \"users\".\"id\", \"users\".\"email\" FROM \"users\" WHERE \"users\".\"id\" = 42 LIMIT 1",
			"SELECT users.id, users.email FROM users WHERE users.id = ? LIMIT ?", "9659797481b1f562"},
		{PostgreSQL, "INSERT INTO orders (user_id, total) VALUES (1, 9.99), (2, 19.99) RETURNING id",
			"INSERT INTO orders(user_id, total) VALUES (?, ?) RETURNING id", "ce1afbf0f28e7e56"},
		{PostgreSQL, "UPDATE accounts SET balance = balance - 100 WHERE id = 7",
			"UPDATE accounts SET balance = balance - ? WHERE id = ?", "ade6ffa8ecc4ad73"},
		{PostgreSQL, "DELETE FROM sessions WHERE expires_at < now() - interval '1 day'",
			"DELETE FROM sessions WHERE expires_at < now() - INTERVAL ?", "1325aa61097dfd98"},
		{PostgreSQL, "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id IN (1, 2, 3) ORDER BY o.created_at DESC",
			"SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id IN (?) ORDER BY o.created_at DESC", "b539e469d7a1d088"},
		{PostgreSQL, "SELECT data->>'name' FROM docs WHERE data @> '{\"a\":1}' AND data ? 'k' FOR UPDATE",
			"SELECT data ->> ? FROM docs WHERE data @> ? AND data ? ? FOR UPDATE", "43e2b4a9a7668297"},
		{PostgreSQL, "SELECT * FROM \"Users\" WHERE id = ANY(ARRAY[1,2,3])",
			"SELECT * FROM \"Users\" WHERE id = ANY(ARRAY[?])", "e7c98a9e7cb82cf4"},
		{MySQL, "SELECT * FROM `users` WHERE email = \"a@b.c\" AND id IN (?, ?, ?) # comment",
			"SELECT * FROM users WHERE email = ? AND id IN (?)", "459b3e4ac607a617"},
		{MySQL, "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') ON DUPLICATE KEY UPDATE b = VALUES(b)",
			"INSERT INTO t(a, b) VALUES (?, ?) ON DUPLICATE key UPDATE b = VALUES (b)", "f16516934a3c5c7f"},
		{Generic, "SELECT TOP 10 * FROM [dbo].[Orders] WHERE id = @p0",
			"SELECT top ? * FROM dbo.orders WHERE id = ?", "283561be696f51ac"},
		{Generic, "",
			"", "ef46db3751d8e999"},
	}
	for _, g := range golden {
		r := New(g.d, 0).Normalize(g.in)
		if r.Normalized != g.norm {
			t.Errorf("%s %q: normalized\n got %s\nwant %s", g.d, g.in, r.Normalized, g.norm)
		}
		if got := FormatFingerprint(r.Fingerprint); got != g.fp {
			t.Errorf("%s %q: fingerprint %s, want %s", g.d, g.in, got, g.fp)
		}
	}
}
