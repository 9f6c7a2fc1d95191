package perfgraphqlext

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// schema.graphql is the documented contract of the API: the schema the running server
// serves (read by introspection, as the explorer and any client read it) must equal it
// type by type, field by field and argument by argument, descriptions included.
func TestServedSchemaIsSchemaGraphql(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	url := startExt(t, dsn, nil, "acme")
	const typeRef = `kind name ofType { kind name ofType { kind name ofType { kind name } } }`
	d := mustData(t, query(t, url, "token-acme", `{ __schema { queryType { name } mutationType { name } subscriptionType { name }
		types { name kind description
			fields { name description type { `+typeRef+` } args { name description defaultValue type { `+typeRef+` } } }
			enumValues { name description } } } }`, nil))
	served := map[string]string{}
	s := d["__schema"].(map[string]any)
	if s["queryType"].(map[string]any)["name"] != "Query" || s["mutationType"] != nil ||
		s["subscriptionType"] == nil || s["subscriptionType"].(map[string]any)["name"] != "Subscription" {
		t.Errorf("operation types: %v", s)
	}
	for _, ty := range s["types"].([]any) {
		m := ty.(map[string]any)
		name := m["name"].(string)
		if strings.HasPrefix(name, "__") || builtinScalar[name] {
			continue
		}
		served[name] = introspectedType(m)
	}
	want := sdlTypes(t)
	for name, w := range want {
		if served[name] != w {
			t.Errorf("type %s\nserved:\n%s\nschema.graphql:\n%s", name, served[name], w)
		}
	}
	for name := range served {
		if _, ok := want[name]; !ok {
			t.Errorf("served type %s is not in schema.graphql", name)
		}
	}
}

var builtinScalar = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// introspectedType prints a type of the introspection answer in a canonical text:
// kind, description, then its fields (with args) or values, sorted by name.
func introspectedType(m map[string]any) string {
	var lines []string
	str := func(v any) string { s, _ := v.(string); return s }
	for _, f := range asList(m["fields"]) {
		f := f.(map[string]any)
		var args []string
		for _, a := range asList(f["args"]) {
			a := a.(map[string]any)
			args = append(args, fmt.Sprintf("%s: %s = %v %q", a["name"], refString(a["type"]), a["defaultValue"], str(a["description"])))
		}
		sort.Strings(args)
		lines = append(lines, fmt.Sprintf("%s(%s): %s %q", f["name"], strings.Join(args, ", "), refString(f["type"]), str(f["description"])))
	}
	for _, v := range asList(m["enumValues"]) {
		v := v.(map[string]any)
		lines = append(lines, fmt.Sprintf("%s %q", v["name"], str(v["description"])))
	}
	sort.Strings(lines)
	return fmt.Sprintf("%s %q\n", m["kind"], str(m["description"])) + strings.Join(lines, "\n")
}

func asList(v any) []any { l, _ := v.([]any); return l }

func refString(v any) string {
	m := v.(map[string]any)
	switch m["kind"] {
	case "NON_NULL":
		return refString(m["ofType"]) + "!"
	case "LIST":
		return "[" + refString(m["ofType"]) + "]"
	}
	return m["name"].(string)
}

// sdlTypes reads schema.graphql into the same canonical text.
func sdlTypes(t *testing.T) map[string]string {
	t.Helper()
	doc, err := parser.Parse(parser.ParseParams{Source: graphqlapi.SDL()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	desc := func(s *ast.StringValue) string {
		if s == nil {
			return ""
		}
		return s.Value
	}
	var ref func(ast.Type) string
	ref = func(ty ast.Type) string {
		switch ty := ty.(type) {
		case *ast.NonNull:
			return ref(ty.Type) + "!"
		case *ast.List:
			return "[" + ref(ty.Type) + "]"
		case *ast.Named:
			return ty.Name.Value
		}
		t.Fatalf("type node %T", ty)
		return ""
	}
	for _, def := range doc.Definitions {
		var lines []string
		switch d := def.(type) {
		case *ast.ScalarDefinition:
			out[d.Name.Value] = fmt.Sprintf("SCALAR %q\n", desc(d.Description))
		case *ast.EnumDefinition:
			for _, v := range d.Values {
				lines = append(lines, fmt.Sprintf("%s %q", v.Name.Value, desc(v.Description)))
			}
			sort.Strings(lines)
			out[d.Name.Value] = fmt.Sprintf("ENUM %q\n", desc(d.Description)) + strings.Join(lines, "\n")
		case *ast.ObjectDefinition:
			for _, f := range d.Fields {
				var args []string
				for _, a := range f.Arguments {
					args = append(args, fmt.Sprintf("%s: %s = %v %q", a.Name.Value, ref(a.Type), nil, desc(a.Description)))
				}
				sort.Strings(args)
				lines = append(lines, fmt.Sprintf("%s(%s): %s %q", f.Name.Value, strings.Join(args, ", "), ref(f.Type), desc(f.Description)))
			}
			sort.Strings(lines)
			out[d.Name.Value] = fmt.Sprintf("OBJECT %q\n", desc(d.Description)) + strings.Join(lines, "\n")
		}
	}
	return out
}
