package plandetect

import (
	"strings"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
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
		an := indexadvisor.AnalyzeStatement("SELECT * FROM " + c.rel + " " + c.alias + " WHERE " + clause)
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
