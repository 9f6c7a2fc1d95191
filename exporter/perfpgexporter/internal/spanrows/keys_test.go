package spanrows

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every semconv attribute that the converter's code reads is one that the exporter keeps
// before its queue: a key read in Convert but not listed in SpanAttributeKeys would be
// dropped before Convert sees it.
func TestSemconvKeysAreKept(t *testing.T) {
	fset := token.NewFileSet()
	vocab, err := parser.ParseFile(fset, filepath.Join("..", "..", "..", "..", "internal", "semconv", "semconv.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// the values of each semconv name: a string constant, or a list of strings and constants
	exprs := map[string]ast.Expr{}
	for _, decl := range vocab.Decls {
		if gen, ok := decl.(*ast.GenDecl); ok {
			for _, spec := range gen.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for i, name := range vs.Names {
						exprs[name.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var values func(e ast.Expr) []string
	values = func(e ast.Expr) []string {
		switch e := e.(type) {
		case *ast.BasicLit:
			s, _ := strconv.Unquote(e.Value)
			return []string{s}
		case *ast.Ident:
			return values(exprs[e.Name])
		case *ast.CompositeLit:
			var out []string
			for _, elt := range e.Elts {
				out = append(out, values(elt)...)
			}
			return out
		}
		t.Fatalf("semconv.go: unexpected %T", e)
		return nil
	}

	kept := append(SpanAttributeKeys("fp"), ResourceAttributeKeys()...)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			sel, ok := node.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, isIdent := sel.X.(*ast.Ident); !isIdent || x.Name != "semconv" {
				return true
			}
			expr, ok := exprs[sel.Sel.Name]
			if !ok {
				t.Fatalf("%s: semconv.%s not found in semconv.go", file, sel.Sel.Name)
			}
			for _, key := range values(expr) {
				n++
				if !slices.Contains(kept, key) && sel.Sel.Name != "DBQueryFingerprint" {
					t.Errorf("%s reads %q (semconv.%s), which SpanAttributeKeys / ResourceAttributeKeys do not keep", file, key, sel.Sel.Name)
				}
			}
			return true
		})
	}
	if n < 20 {
		t.Fatalf("found only %d keys read by the converter", n)
	}
	if !slices.Contains(kept, "fp") {
		t.Error("SpanAttributeKeys does not keep the configured fingerprint attribute")
	}
}
