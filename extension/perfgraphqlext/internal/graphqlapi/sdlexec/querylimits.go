package sdlexec

import (
	"context"
	"fmt"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
)

// Limits are the limits checked on the request text and its parsed document, before
// the spec's validation rules run (some of those are quadratic in the selections, so an
// oversized document is refused before it can cost that). Whatever else bounds a request
// (cost, list sizes, a timeout) is the caller's. The messages name the limits.* keys of
// the extension's configuration.
type Limits struct {
	MaxQueryLength int // bytes of query text
	MaxDepth       int // field nesting, fragments expanded
	MaxSelections  int // fields after fragment expansion
}

// Exec parses, checks, validates and executes one request. A document that passed is kept
// in docs (by its text), so a query sent again (the dashboard's, every few seconds) is
// executed without being parsed and validated again: validation does not depend on the
// variables, and execution only reads the document.
func Exec(ctx context.Context, schema *graphql.Schema, l Limits, docs *DocCache, query, operation string, vars map[string]any) *graphql.Result {
	doc, errs := Prepare(schema, l, docs, query)
	if errs != nil {
		return &graphql.Result{Errors: errs}
	}
	if op := OperationOf(doc, operation); op != nil && op.Operation == ast.OperationTypeSubscription {
		return errorResult("subscriptions are served over WebSocket on this endpoint (subprotocol graphql-transport-ws)")
	}
	return graphql.Execute(graphql.ExecuteParams{Schema: *schema, AST: doc, OperationName: operation, Args: vars, Context: ctx})
}

// Prepare is the document of query, parsed, checked against the limits and validated (or
// taken from docs), or the errors that refuse it.
func Prepare(schema *graphql.Schema, l Limits, docs *DocCache, query string) (*ast.Document, []gqlerrors.FormattedError) {
	if len(query) > l.MaxQueryLength {
		return nil, errorResult(fmt.Sprintf("query length %d bytes is over the maximum %d (limits.max_query_length)", len(query), l.MaxQueryLength)).Errors
	}
	doc := docs.get(query)
	if doc == nil {
		var err error
		doc, err = parser.Parse(parser.ParseParams{Source: source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"})})
		if err != nil {
			return nil, gqlerrors.FormatErrors(err)
		}
		if msg := l.check(doc); msg != "" {
			return nil, errorResult(msg).Errors
		}
		if vr := graphql.ValidateDocument(schema, doc, nil); !vr.IsValid {
			return nil, vr.Errors
		}
		docs.put(query, doc)
	}
	return doc, nil
}

// DocCache holds the documents of valid requests by their text, at most max of them
// (emptied when full: the working set of a dashboard is a few dozen queries).
type DocCache struct {
	mu   sync.Mutex
	docs map[string]*ast.Document
	max  int
}

// NewDocCache holds at most max documents.
func NewDocCache(max int) *DocCache { return &DocCache{docs: map[string]*ast.Document{}, max: max} }

func (c *DocCache) get(query string) *ast.Document {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[query]
}

func (c *DocCache) put(query string, doc *ast.Document) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.docs) >= c.max {
		clear(c.docs)
	}
	c.docs[query] = doc
}

func errorResult(msg string) *graphql.Result {
	return &graphql.Result{Errors: []gqlerrors.FormattedError{gqlerrors.NewFormattedError(msg)}}
}

// check measures every operation of doc; the walk stops as soon as a limit is passed, so
// its own cost is bounded by the limits, not by the document (fragments may multiply).
func (l Limits) check(doc *ast.Document) string {
	frags := map[string]*ast.FragmentDefinition{}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			frags[f.Name.Value] = f
		}
	}
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		w := &limitWalk{l: l, frags: frags, inFrag: map[string]bool{}}
		w.walk(op.SelectionSet, 1)
		if w.msg != "" {
			return w.msg
		}
	}
	return ""
}

type limitWalk struct {
	l          Limits
	frags      map[string]*ast.FragmentDefinition
	inFrag     map[string]bool // fragments on the current path (cycles are the validator's to report)
	selections int
	msg        string
}

func (w *limitWalk) walk(set *ast.SelectionSet, depth int) {
	if set == nil || w.msg != "" {
		return
	}
	for _, s := range set.Selections {
		switch s := s.(type) {
		case *ast.Field:
			w.selections++
			if w.selections > w.l.MaxSelections {
				w.msg = fmt.Sprintf("the query selects more than %d fields (limits.max_selections); split the request", w.l.MaxSelections)
				return
			}
			if depth > w.l.MaxDepth {
				w.msg = fmt.Sprintf("the query nests fields deeper than %d levels (limits.max_depth)", w.l.MaxDepth)
				return
			}
			w.walk(s.SelectionSet, depth+1)
		case *ast.InlineFragment:
			w.walk(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			f := w.frags[s.Name.Value]
			if f == nil || w.inFrag[f.Name.Value] {
				continue
			}
			w.inFrag[f.Name.Value] = true
			w.walk(f.SelectionSet, depth)
			delete(w.inFrag, f.Name.Value)
		}
		if w.msg != "" {
			return
		}
	}
}

type parallelismKey struct{}

// WithParallelism lets the root fields of one request run at most n at a time. graphql-go
// resolves fields one after another, but completes a field whose resolver returns a
// func() (any, error) only after all its siblings were started: inParallel uses that to
// run the (database-bound) root fields concurrently.
func WithParallelism(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, parallelismKey{}, make(chan struct{}, n))
}

// inParallel runs call in a goroutine once a slot of the request is free, and returns the
// thunk that waits for it; without a limit in ctx it runs call directly. A request that
// ends while the field waits for a slot answers cancelled's error (nil: ctx.Err()).
func inParallel(ctx context.Context, field string, call func() (any, error), cancelled func(ctx context.Context, field string, err error) error) (any, error) {
	slots, ok := ctx.Value(parallelismKey{}).(chan struct{})
	if !ok {
		return call()
	}
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		if cancelled == nil {
			return nil, ctx.Err()
		}
		return nil, cancelled(ctx, field, ctx.Err())
	}
	var res any
	var err error
	done := make(chan struct{})
	go func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s: internal error", field)
			}
			<-slots
			close(done)
		}()
		res, err = call()
	}()
	return func() (any, error) {
		<-done
		return res, err
	}, nil
}
