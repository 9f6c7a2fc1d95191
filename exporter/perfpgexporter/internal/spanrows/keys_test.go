package spanrows

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"
)

// Every attribute key named in semconv.go is one that the exporter keeps before its queue:
// a key added there but not to SpanAttributeKeys would be dropped before Convert sees it.
func TestSemconvKeysAreKept(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "semconv.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	kept := append(SpanAttributeKeys(), ResourceAttributeKeys()...)
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		if lit, ok := node.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			key, _ := strconv.Unquote(lit.Value)
			n++
			if !slices.Contains(kept, key) {
				t.Errorf("semconv.go reads %q, which SpanAttributeKeys / ResourceAttributeKeys do not keep", key)
			}
		}
		return true
	})
	if n < 20 {
		t.Fatalf("found only %d keys in semconv.go", n)
	}
}
