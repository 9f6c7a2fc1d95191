package sdlexec

import (
	"context"
	"fmt"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
)

// Subscribe runs the subscription operation of doc (a document Prepare returned, whose
// operation OperationOf tells a subscription): it streams the field's results until ctx
// ends or the field's channel closes, then closes the returned channel. An operation that
// does not select exactly one field is refused before it runs.
func Subscribe(ctx context.Context, schema *graphql.Schema, doc *ast.Document, operation string, vars map[string]any) (<-chan *graphql.Result, []gqlerrors.FormattedError) {
	op := OperationOf(doc, operation)
	if op == nil || op.Operation != ast.OperationTypeSubscription {
		return nil, errorResult("the operation is not a subscription").Errors
	}
	if n := len(op.SelectionSet.Selections); n != 1 {
		return nil, []gqlerrors.FormattedError{gqlerrors.NewFormattedError(fmt.Sprintf("a subscription selects exactly one field, got %d", n))}
	}
	if _, isField := op.SelectionSet.Selections[0].(*ast.Field); !isField {
		return nil, []gqlerrors.FormattedError{gqlerrors.NewFormattedError("a subscription selects exactly one field, not a fragment")}
	}
	in := graphql.ExecuteSubscription(graphql.ExecuteParams{Schema: *schema, AST: doc, OperationName: operation, Args: vars,
		Context: ctx})
	out := make(chan *graphql.Result)
	go func() {
		defer close(out)
		defer func() {
			// graphql-go's sender blocks until read: drain it so it can see ctx and return
			for range in {
			}
		}()
		for res := range in {
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Send passes an event of a subscription method to graphql-go, or gives up (false) when
// the subscription ends.
func Send(ctx context.Context, out chan any, v any) bool {
	select {
	case out <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

// OperationOf is the operation a request runs: the named one, or the only one.
func OperationOf(doc *ast.Document, name string) *ast.OperationDefinition {
	var found *ast.OperationDefinition
	n := 0
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		n++
		if name == "" || op.Name != nil && op.Name.Value == name {
			found = op
		}
	}
	if name == "" && n != 1 {
		return nil
	}
	return found
}
