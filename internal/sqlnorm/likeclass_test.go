package sqlnorm

import "testing"

func TestClassifyLike(t *testing.T) {
	for _, c := range []struct {
		d    Dialect
		stmt string
		want LikeClass
	}{
		{PostgreSQL, "SELECT id FROM products WHERE description LIKE '%blue%'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM products WHERE name ILIKE '_lue'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM products WHERE name like 'blue%'", LikePrefix},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE 'blue'", LikeExact},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE '\\%off'", LikeExact},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE $1", LikeParameter},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE '%' || $1 || '%'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE E'%x'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM products WHERE name ~~* '%x'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM products WHERE name LIKE other.col", LikeExpression},
		{PostgreSQL, "SELECT id FROM products WHERE a LIKE 'x%' AND b LIKE $2", LikeParameter},
		{PostgreSQL, "SELECT id FROM products WHERE a LIKE $2 AND b NOT LIKE '%y'", LikeLeadingWildcard},
		{PostgreSQL, "SELECT 'a LIKE ''%x''' FROM t -- LIKE '%y'\nWHERE c = 1", LikeNone},
		{PostgreSQL, `SELECT "LIKE" FROM t /* ILIKE '%' */ WHERE unlike = 'x%'`, LikeNone},
		{PostgreSQL, "SELECT $$ LIKE '%a' $$ FROM t", LikeNone},
		{MySQL, "SELECT id FROM p WHERE name LIKE ?", LikeParameter},
		{MySQL, "SELECT id FROM p WHERE name LIKE 'it\\'s%'", LikePrefix},
		{Generic, "SELECT id FROM p WHERE name LIKE %s", LikeParameter},
		{SQLServer, "SELECT id FROM p WHERE name LIKE N'%x'", LikeLeadingWildcard},
		{SQLServer, "SELECT id FROM p WHERE name LIKE @name", LikeParameter},
		{PostgreSQL, "SELECT id FROM p WHERE name LIKE '%unterminated", LikeLeadingWildcard},
		{PostgreSQL, "SELECT id FROM p WHERE name LIKE 'unterminated", LikeExpression},
	} {
		if got := ClassifyLike(c.d, c.stmt); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.d, c.stmt, got, c.want)
		}
	}
}

func TestLikeClassNames(t *testing.T) {
	for c := LikeExact; c < numLikeClasses; c++ {
		got, ok := ParseLikeClass(c.String())
		if !ok || got != c {
			t.Errorf("%d: %q parses as %d %v", c, c.String(), got, ok)
		}
	}
	if _, ok := ParseLikeClass(""); ok {
		t.Error("the empty name is not a class")
	}
	if _, ok := ParseLikeClass("%secret%"); ok {
		t.Error("a pattern is not a class")
	}
}
