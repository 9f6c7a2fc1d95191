package sdlexec

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
)

func TestQueryLimitsOnTheParsedDocument(t *testing.T) {
	l := Limits{MaxQueryLength: 1 << 20, MaxDepth: 3, MaxSelections: 10}
	for name, tc := range map[string]struct{ q, want string }{
		"flat":             {`{ a b c }`, ""},
		"depth 3":          {`{ a { b { c } } }`, ""},
		"depth 4":          {`{ a { b { c { d } } } }`, "max_depth"},
		"depth by spread":  {`{ a { ...F } } fragment F on T { b { c { d } } }`, "max_depth"},
		"depth by inline":  {`{ a { ... on T { b { c { d } } } } }`, "max_depth"},
		"10 selections":    {`{ ` + strings.Repeat("x ", 10) + `}`, ""},
		"11 selections":    {`{ ` + strings.Repeat("x ", 11) + `}`, "max_selections"},
		"spreads multiply": {`{ ...A ...A } fragment A on Q { ...B ...B } fragment B on Q { x y z }`, "max_selections"},
		"fragment cycle":   {`{ ...A } fragment A on Q { x ...B } fragment B on Q { y ...A }`, ""},
	} {
		doc, err := parser.Parse(parser.ParseParams{Source: tc.q})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := l.check(doc)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: check = %q, want %q", name, got, tc.want)
		}
	}
}

// Root fields run concurrently, never more than limits.max_parallelism at once.
func TestInParallelBoundsConcurrentRootFields(t *testing.T) {
	ctx := WithParallelism(context.Background(), 2)
	var running, peak atomic.Int32
	var thunks []func() (any, error)
	for i := 0; i < 8; i++ {
		th, err := inParallel(ctx, "f", func() (any, error) {
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(10 * time.Millisecond)
			running.Add(-1)
			return i, nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		thunks = append(thunks, th.(func() (any, error)))
	}
	for i, th := range thunks {
		if v, err := th(); err != nil || v != i {
			t.Errorf("thunk %d = %v, %v", i, v, err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency %d, want 2", p)
	}
}

// Documents are kept by their text, at most max of them.
func TestDocCache(t *testing.T) {
	c := NewDocCache(2)
	parse := func(q string) *ast.Document {
		d, err := parser.Parse(parser.ParseParams{Source: q})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := parse("{ a }"), parse("{ b }")
	c.put("{ a }", a)
	c.put("{ b }", b)
	if c.get("{ a }") != a || c.get("{ b }") != b || c.get("{ c }") != nil {
		t.Fatal("get does not return what was put")
	}
	c.put("{ c }", parse("{ c }")) // full: emptied first
	if c.get("{ a }") != nil || c.get("{ c }") == nil {
		t.Fatal("a full cache is not emptied before the next document")
	}
}
