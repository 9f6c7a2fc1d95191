package likeclass

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

func TestClassifyLike(t *testing.T) {
	for _, c := range []struct {
		d    sqlnorm.Dialect
		stmt string
		want Class
	}{
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE description LIKE '%blue%'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name ILIKE '_lue'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name like 'blue%'", Prefix},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE 'blue'", Exact},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE '\\%off'", Exact},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE $1", Parameter},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE '%' || $1 || '%'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE E'%x'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name ~~* '%x'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE name LIKE other.col", Expression},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE a LIKE 'x%' AND b LIKE $2", Parameter},
		{sqlnorm.PostgreSQL, "SELECT id FROM products WHERE a LIKE $2 AND b NOT LIKE '%y'", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT 'a LIKE ''%x''' FROM t -- LIKE '%y'\nWHERE c = 1", None},
		{sqlnorm.PostgreSQL, `SELECT "LIKE" FROM t /* ILIKE '%' */ WHERE unlike = 'x%'`, None},
		{sqlnorm.PostgreSQL, "SELECT $$ LIKE '%a' $$ FROM t", None},
		{sqlnorm.MySQL, "SELECT id FROM p WHERE name LIKE ?", Parameter},
		{sqlnorm.MySQL, "SELECT id FROM p WHERE name LIKE 'it\\'s%'", Prefix},
		{sqlnorm.Generic, "SELECT id FROM p WHERE name LIKE %s", Parameter},
		{sqlnorm.SQLServer, "SELECT id FROM p WHERE name LIKE N'%x'", LeadingWildcard},
		{sqlnorm.SQLServer, "SELECT id FROM p WHERE name LIKE @name", Parameter},
		{sqlnorm.PostgreSQL, "SELECT id FROM p WHERE name LIKE '%unterminated", LeadingWildcard},
		{sqlnorm.PostgreSQL, "SELECT id FROM p WHERE name LIKE 'unterminated", Expression},
	} {
		if got := Classify(c.d, c.stmt); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.d, c.stmt, got, c.want)
		}
	}
}

func TestLikeClassNames(t *testing.T) {
	for c := Exact; c < numClasses; c++ {
		got, ok := Parse(c.String())
		if !ok || got != c {
			t.Errorf("%d: %q parses as %d %v", c, c.String(), got, ok)
		}
	}
	if _, ok := Parse(""); ok {
		t.Error("the empty name is not a class")
	}
	if _, ok := Parse("%secret%"); ok {
		t.Error("a pattern is not a class")
	}
}

// The shortcut (no "like", no "~~": no class) never changes a class: on random statements
// over an alphabet dense in LIKE pieces, quotes, comments and parameters, Classify
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
		for _, d := range []sqlnorm.Dialect{sqlnorm.PostgreSQL, sqlnorm.MySQL, sqlnorm.SQLServer, sqlnorm.Generic, sqlnorm.ClickHouse} {
			got, want := Classify(d, stmt), classify(d, stmt)
			if got != want {
				t.Fatalf("%s %q: %q with the shortcut, %q without", d, stmt, got, want)
			}
			if want != None {
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
		for _, d := range []sqlnorm.Dialect{sqlnorm.PostgreSQL, sqlnorm.MySQL, sqlnorm.SQLServer, sqlnorm.Generic, sqlnorm.ClickHouse} {
			if got, want := Classify(d, stmt), classify(d, stmt); got != want {
				t.Fatalf("%s %q: %q with the shortcut, %q without", d, stmt, got, want)
			}
		}
	})
}
