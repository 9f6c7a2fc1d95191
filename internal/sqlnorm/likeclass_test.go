package sqlnorm

import (
	"math/rand/v2"
	"strings"
	"testing"
)

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

// The shortcut (no "like", no "~~": no class) never changes a class: on random statements
// over an alphabet dense in LIKE pieces, quotes, comments and parameters, ClassifyLike
// equals the full classifier in every dialect.
func TestClassifyLikeShortcutAgrees(t *testing.T) {
	pieces := []string{"LIKE", "like", "LiKe", "ILIKE", "lik", "ike", "l", "~", "~~", "~~*", " ", "'", "''", "%", "_",
		"$1", "?", "--", "\n", "/*", "*/", "$$", "\"", "`", "E'", "x", "SELECT a FROM t WHERE b ", "unlike", "\\"}
	rng := rand.New(rand.NewPCG(3, 5))
	var nonNone int
	for n := 0; n < 200_000; n++ {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		stmt := b.String()
		for _, d := range []Dialect{PostgreSQL, MySQL, SQLServer, Generic, ClickHouse} {
			got, want := ClassifyLike(d, stmt), classifyLike(d, stmt)
			if got != want {
				t.Fatalf("%s %q: %q with the shortcut, %q without", d, stmt, got, want)
			}
			if want != LikeNone {
				nonNone++
			}
		}
	}
	if nonNone == 0 {
		t.Fatal("no statement had a LIKE class: the test compares nothing")
	}
}

func FuzzClassifyLikeShortcut(f *testing.F) {
	f.Add("SELECT a FROM t WHERE b LIKE '%x'")
	f.Add("SELECT a FROM t WHERE b ~~ $1")
	f.Fuzz(func(t *testing.T, stmt string) {
		for _, d := range []Dialect{PostgreSQL, MySQL, SQLServer, Generic, ClickHouse} {
			if got, want := ClassifyLike(d, stmt), classifyLike(d, stmt); got != want {
				t.Fatalf("%s %q: %q with the shortcut, %q without", d, stmt, got, want)
			}
		}
	})
}
