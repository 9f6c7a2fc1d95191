// Package sdlexec serves a GraphQL schema written in SDL with github.com/graphql-go/graphql:
// Build binds the SDL's root fields to the exported methods of Go values and the fields of
// result objects to Go struct fields, and Exec / Subscribe run a request under limits on
// its text and document (length, depth, selections) and on how many root fields resolve at
// once. It knows nothing of the API it serves.
package sdlexec

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/kinds"
	"github.com/graphql-go/graphql/language/parser"
)

// Roots are the Go values an SDL is bound to.
type Roots struct {
	// Query's exported methods answer the fields of the query type.
	Query any
	// Subscription's exported methods answer the fields of the subscription type (nil when
	// the SDL has none).
	Subscription any
	// Cancelled is the error of a root field whose request ended (err is its ctx.Err())
	// before the field could start; nil answers err itself.
	Cancelled func(ctx context.Context, field string, err error) error
}

// Build turns schema.graphql (the documented contract) into the served
// graphql-go/graphql schema, so the two cannot drift: types, fields, arguments and
// descriptions all come from the SDL. Root fields are bound to root's exported methods of
// the same name (performanceOverview -> PerformanceOverview(ctx, args struct{...})); the
// fields of result objects are read from the Go structs' fields of the same name (case
// insensitive, as graphql.DefaultResolveFn does, with the field's index cached per type).
//
// Subscription fields are bound to the Subscription root's methods the same way; such a
// method returns the channel of events (chan any) that graphql-go's ExecuteSubscription
// reads, and each event is the field's value (an error event is the field's error).
func Build(sdl string, r Roots) (graphql.Schema, error) {
	doc, err := parser.Parse(parser.ParseParams{Source: sdl, Options: parser.ParseOptions{NoSource: true}})
	if err != nil {
		return graphql.Schema{}, fmt.Errorf("schema.graphql: %w", err)
	}
	b := &schemaBuilder{types: map[string]graphql.Type{
		"String": graphql.String, "Int": graphql.Int, "Float": graphql.Float,
		"Boolean": graphql.Boolean, "ID": graphql.ID,
	}, objects: map[string]*ast.ObjectDefinition{}}
	queryName, subName := "Query", ""
	for _, def := range doc.Definitions {
		switch d := def.(type) {
		case *ast.SchemaDefinition:
			for _, op := range d.OperationTypes {
				switch op.Operation {
				case "query":
					queryName = op.Type.Name.Value
				case "subscription":
					subName = op.Type.Name.Value
				default:
					return graphql.Schema{}, fmt.Errorf("schema.graphql: %s operations are not served", op.Operation)
				}
			}
		case *ast.ScalarDefinition:
			if d.Name.Value != "DateTime" { // the only custom scalar (dateTimeScalar)
				return graphql.Schema{}, fmt.Errorf("schema.graphql: scalar %s has no Go implementation", d.Name.Value)
			}
			b.types[d.Name.Value] = dateTimeScalar(desc(d.Description))
		case *ast.EnumDefinition:
			values := graphql.EnumValueConfigMap{}
			for _, v := range d.Values {
				values[v.Name.Value] = &graphql.EnumValueConfig{Value: v.Name.Value, Description: desc(v.Description)}
			}
			b.types[d.Name.Value] = graphql.NewEnum(graphql.EnumConfig{Name: d.Name.Value, Values: values, Description: desc(d.Description)})
		case *ast.ObjectDefinition:
			b.objects[d.Name.Value] = d
		default:
			return graphql.Schema{}, fmt.Errorf("schema.graphql: %s definitions are not served", def.GetKind())
		}
	}
	resolvers, err := rootResolvers(r.Query, r.Cancelled)
	if err != nil {
		return graphql.Schema{}, err
	}
	b.root = queryName
	b.rootResolvers = resolvers
	if subName != "" {
		if b.subResolvers, err = rootResolvers(r.Subscription, r.Cancelled); err != nil {
			return graphql.Schema{}, err
		}
		b.sub = subName
	}
	for name := range b.objects {
		b.object(name)
	}
	if b.err != nil {
		return graphql.Schema{}, b.err
	}
	for name := range resolvers {
		if !hasField(b.objects[queryName], name) {
			return graphql.Schema{}, fmt.Errorf("schema.graphql: resolver %s has no field in type %s", name, queryName)
		}
	}
	query, _ := b.types[queryName].(*graphql.Object)
	if query == nil {
		return graphql.Schema{}, fmt.Errorf("schema.graphql: no type %s", queryName)
	}
	var all []graphql.Type
	for _, t := range b.types {
		all = append(all, t)
	}
	cfg := graphql.SchemaConfig{Query: query, Types: all}
	if subName != "" {
		for name := range b.subResolvers {
			if !hasField(b.objects[subName], name) {
				return graphql.Schema{}, fmt.Errorf("schema.graphql: subscription resolver %s has no field in type %s", name, subName)
			}
		}
		if cfg.Subscription, _ = b.types[subName].(*graphql.Object); cfg.Subscription == nil {
			return graphql.Schema{}, fmt.Errorf("schema.graphql: no type %s", subName)
		}
	}
	return graphql.NewSchema(cfg)
}

type schemaBuilder struct {
	types         map[string]graphql.Type
	objects       map[string]*ast.ObjectDefinition
	root          string
	rootResolvers map[string]graphql.FieldResolveFn
	sub           string
	subResolvers  map[string]graphql.FieldResolveFn
	err           error
}

func (b *schemaBuilder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("schema.graphql: "+format, args...)
	}
}

// object defines an object type once; its fields are a thunk, so types may refer to each
// other in any order.
func (b *schemaBuilder) object(name string) graphql.Type {
	if t, ok := b.types[name]; ok {
		return t
	}
	d := b.objects[name]
	fields := graphql.Fields{}
	obj := graphql.NewObject(graphql.ObjectConfig{Name: name, Description: desc(d.Description),
		Fields: graphql.FieldsThunk(func() graphql.Fields { return fields })})
	b.types[name] = obj
	for _, f := range d.Fields {
		field := &graphql.Field{Name: f.Name.Value, Type: b.typeOf(f.Type), Description: desc(f.Description)}
		if len(f.Arguments) > 0 {
			field.Args = graphql.FieldConfigArgument{}
			for _, a := range f.Arguments {
				in, ok := b.typeOf(a.Type).(graphql.Input)
				if !ok {
					b.fail("argument %s.%s(%s) is not an input type", name, f.Name.Value, a.Name.Value)
					continue
				}
				field.Args[a.Name.Value] = &graphql.ArgumentConfig{Type: in, Description: desc(a.Description)}
			}
		}
		switch {
		case name == b.root:
			if field.Resolve = b.rootResolvers[f.Name.Value]; field.Resolve == nil {
				b.fail("field %s.%s has no resolver method", name, f.Name.Value)
			}
		case name == b.sub:
			if field.Subscribe = b.subResolvers[f.Name.Value]; field.Subscribe == nil {
				b.fail("field %s.%s has no subscription method", name, f.Name.Value)
			}
			field.Resolve = subscriptionEvent
		default:
			field.Resolve = structField(f.Name.Value)
		}
		fields[f.Name.Value] = field
	}
	return obj
}

func (b *schemaBuilder) typeOf(t ast.Type) graphql.Output {
	switch t := t.(type) {
	case *ast.NonNull:
		return graphql.NewNonNull(b.typeOf(t.Type))
	case *ast.List:
		return graphql.NewList(b.typeOf(t.Type))
	case *ast.Named:
		if typ, ok := b.types[t.Name.Value]; ok {
			return typ.(graphql.Output)
		}
		if _, ok := b.objects[t.Name.Value]; ok {
			return b.object(t.Name.Value).(graphql.Output)
		}
		b.fail("unknown type %s", t.Name.Value)
		return graphql.String
	}
	b.fail("unexpected type node %s", t.GetKind())
	return graphql.String
}

func desc(s *ast.StringValue) string {
	if s == nil {
		return ""
	}
	return s.Value
}

func hasField(d *ast.ObjectDefinition, name string) bool {
	if d == nil {
		return false
	}
	for _, f := range d.Fields {
		if f.Name.Value == name {
			return true
		}
	}
	return false
}

// subscriptionEvent is the value of a subscription field: the event its channel sent.
func subscriptionEvent(p graphql.ResolveParams) (any, error) {
	if err, ok := p.Source.(error); ok {
		return nil, err
	}
	return p.Source, nil
}

// dateTimeScalar serializes RFC 3339 in UTC: a time.Time, or a Go type of the API's that
// embeds one (its UTC method). Any string input is accepted here and parsed by the
// resolver's argument binding (the type's UnmarshalGraphQL), so a bad date is a clear error
// that names the argument instead of the generic "invalid value".
func dateTimeScalar(description string) *graphql.Scalar {
	serialize := func(v any) any {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil
		}
		if t, ok := v.(interface{ UTC() time.Time }); ok {
			return t.UTC().Format(time.RFC3339)
		}
		return nil
	}
	parseValue := func(v any) any {
		if s, ok := v.(string); ok {
			return s
		}
		return nil
	}
	return graphql.NewScalar(graphql.ScalarConfig{Name: "DateTime", Description: description,
		Serialize: serialize, ParseValue: parseValue,
		ParseLiteral: func(v ast.Value) any {
			if v.GetKind() == kinds.StringValue {
				return v.GetValue()
			}
			return nil
		}})
}

var (
	ctxType   = reflect.TypeOf((*context.Context)(nil)).Elem()
	errorType = reflect.TypeOf((*error)(nil)).Elem()
)

// rootResolvers binds every exported method of root of the form
// M(ctx context.Context, args struct{...}) (T, error) to the field m. The fields of args
// are the field's arguments by name (TimeRange <- timeRange).
func rootResolvers(root any, cancelled func(ctx context.Context, field string, err error) error) (map[string]graphql.FieldResolveFn, error) {
	v := reflect.ValueOf(root)
	out := map[string]graphql.FieldResolveFn{}
	for i := 0; i < v.NumMethod(); i++ {
		m, fn := v.Type().Method(i), v.Method(i)
		ft := fn.Type()
		if ft.NumIn() != 2 || ft.In(0) != ctxType || ft.In(1).Kind() != reflect.Struct ||
			ft.NumOut() != 2 || ft.Out(1) != errorType {
			return nil, fmt.Errorf("resolver method %s: want (context.Context, struct) (T, error)", m.Name)
		}
		field := lowerFirst(m.Name)
		argsType := ft.In(1)
		names := make([]string, argsType.NumField())
		for j := range names {
			names[j] = lowerFirst(argsType.Field(j).Name)
		}
		out[field] = func(p graphql.ResolveParams) (any, error) {
			args := reflect.New(argsType).Elem()
			for j, name := range names {
				if raw, ok := p.Args[name]; ok && raw != nil {
					if err := setArg(args.Field(j), raw); err != nil {
						return nil, fmt.Errorf("%s: %s: %v", field, name, err)
					}
				}
			}
			ctx := context.WithValue(p.Context, selectionKey{}, p.Info)
			call := func() (any, error) {
				res := fn.Call([]reflect.Value{reflect.ValueOf(ctx), args})
				if err, _ := res[1].Interface().(error); err != nil {
					return nil, err
				}
				return res[0].Interface(), nil
			}
			return inParallel(ctx, field, call, cancelled)
		}
	}
	return out, nil
}

// setArg stores a coerced GraphQL argument value (string, int, bool, float) into a Go
// argument field (T or *T; a type with an UnmarshalGraphQL method, such as the API's
// DateTime, parses the value itself).
func setArg(dst reflect.Value, raw any) error {
	if dst.Kind() == reflect.Pointer {
		p := reflect.New(dst.Type().Elem())
		if err := setArg(p.Elem(), raw); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	if u, ok := dst.Addr().Interface().(interface{ UnmarshalGraphQL(any) error }); ok {
		return u.UnmarshalGraphQL(raw)
	}
	rv := reflect.ValueOf(raw)
	switch {
	case dst.Kind() == reflect.Int32 && rv.CanInt():
		dst.SetInt(rv.Int())
	case rv.Type().ConvertibleTo(dst.Type()) && rv.Kind() == dst.Kind():
		dst.Set(rv.Convert(dst.Type()))
	default:
		return fmt.Errorf("unexpected value of type %T", raw)
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

type selectionKey struct{}

// HasSelectedField tells a root resolver whether the request selects name directly under
// its field (fragments included), so it can skip reading what nobody asked for.
func HasSelectedField(ctx context.Context, name string) bool {
	info, ok := ctx.Value(selectionKey{}).(graphql.ResolveInfo)
	if !ok {
		return true
	}
	var has func(set *ast.SelectionSet) bool
	has = func(set *ast.SelectionSet) bool {
		if set == nil {
			return false
		}
		for _, s := range set.Selections {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name != nil && s.Name.Value == name {
					return true
				}
			case *ast.InlineFragment:
				if has(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if f, ok := info.Fragments[s.Name.Value].(*ast.FragmentDefinition); ok && has(f.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	for _, f := range info.FieldASTs {
		if has(f.SelectionSet) {
			return true
		}
	}
	return false
}

// structField reads the field name (case insensitive) of a struct or pointer to struct;
// the index of the Go field is looked up once per Go type instead of by a scan of the
// struct's fields per value (graphql.DefaultResolveFn).
func structField(name string) graphql.FieldResolveFn {
	var index sync.Map // reflect.Type -> []int (nil: no such field)
	return func(p graphql.ResolveParams) (any, error) {
		v := reflect.ValueOf(p.Source)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil, nil
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return graphql.DefaultResolveFn(p)
		}
		idx, ok := index.Load(v.Type())
		if !ok {
			var i []int
			if f, found := v.Type().FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) }); found {
				i = f.Index
			}
			idx, _ = index.LoadOrStore(v.Type(), i)
		}
		if idx.([]int) == nil {
			return nil, nil
		}
		return v.FieldByIndex(idx.([]int)).Interface(), nil
	}
}
