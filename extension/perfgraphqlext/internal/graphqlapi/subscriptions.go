package graphqlapi

// Subscriptions (type Subscription of schema.graphql): each one listens to its tenant's
// events in the hub (internal/livehub) and reads what changed with the same resolvers, the
// same tenant scoping and the same cost limit per read as a query.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi/sdlexec"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

// subscriptions holds the methods bound to the Subscription fields.
type subscriptions struct {
	r   *resolver
	hub *livehub.Hub
}

type AlertChange struct {
	ID        string
	State     string
	Rule      string
	ChangedAt DateTime
}

// read runs one read of a subscription as a request of its own: its own timeout and cost
// budget, the subscription's tenant.
func (s *subscriptions) read(ctx context.Context, fn func(ctx context.Context) (any, error)) any {
	l := s.r.cfg.Limits
	rctx, cancel := context.WithTimeout(ctx, l.RequestTimeout)
	defer cancel()
	v, err := fn(withBudget(rctx, l.MaxCost))
	if err != nil {
		return err
	}
	return v
}

func (s *subscriptions) Overview(ctx context.Context, args struct {
	Service   *string
	TimeRange *string
}) (chan any, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	overview := func(ctx context.Context) (any, error) {
		return s.r.PerformanceOverview(ctx, struct {
			Service   *string
			TimeRange *string
			From      *DateTime
			To        *DateTime
		}{Service: args.Service, TimeRange: args.TimeRange})
	}
	sub := s.hub.Subscribe(tenant) // before the first read: no change may fall between them
	first := s.read(ctx, overview)
	if err, ok := first.(error); ok { // a bad argument: the subscription does not start
		sub.Close()
		return nil, err
	}
	out := make(chan any)
	go func() {
		defer sub.Close()
		defer close(out)
		var last []byte
		push := func(v any) bool {
			key := overviewKey(v)
			if key != nil && bytes.Equal(key, last) {
				return true
			}
			last = key
			return sdlexec.Send(ctx, out, v)
		}
		if !push(first) {
			return
		}
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-sub.C:
				// the engine's run changes the top bottlenecks, the refresh everything else
				if ev.Kind != livehub.KindRefresh && ev.Kind != livehub.KindRecommendation {
					continue
				}
				// an engine run changes many recommendations at once: one read for all
				// the events already pending
				for drained := false; !drained; {
					select {
					case <-sub.C:
					default:
						drained = true
					}
				}
				if !push(s.read(ctx, overview)) {
					return
				}
			}
		}
	}()
	return out, nil
}

// overviewKey is what an overview is compared by to tell a change: all but its range,
// which moves with the clock. Errors have no key (each is sent).
func overviewKey(v any) []byte {
	o, ok := v.(*PerformanceOverview)
	if !ok || o == nil {
		return nil
	}
	c := *o
	c.RangeFrom, c.RangeTo = DateTime{}, DateTime{}
	b, err := json.Marshal(&c)
	if err != nil {
		return nil
	}
	return b
}

func (s *subscriptions) RecommendationChanged(ctx context.Context, _ struct{}) (chan any, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	const op = "recommendationChanged"
	return s.forward(ctx, tenant, livehub.KindRecommendation, func(ev livehub.Event) any {
		v := s.read(ctx, func(ctx context.Context) (any, error) {
			var x *Recommendation
			err := s.r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
				row, err := reads.RecommendationByID(ctx, tx, tid, ev.ID)
				if err == nil {
					x = recommendation(row)
				}
				return err
			})
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, nil // gone (pruned) before it was read: nothing to tell
			}
			return x, publicError(ctx, s.r.logger, op, err)
		})
		if v == nil || v == (*Recommendation)(nil) {
			return nil
		}
		return v
	}), nil
}

func (s *subscriptions) AlertChanged(ctx context.Context, _ struct{}) (chan any, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	return s.forward(ctx, tenant, livehub.KindAlert, func(ev livehub.Event) any {
		return &AlertChange{ID: ev.ID, State: ev.Detail["state"], Rule: ev.Detail["rule"], ChangedAt: DateTime{s.r.now()}}
	}), nil
}

// forward streams, until ctx ends, what toValue makes of each of the tenant's hub events of
// kind that name an object (nil: nothing to send for that event).
func (s *subscriptions) forward(ctx context.Context, tenant, kind string, toValue func(livehub.Event) any) chan any {
	sub := s.hub.Subscribe(tenant)
	out := make(chan any)
	go func() {
		defer sub.Close()
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-sub.C:
				if ev.Kind != kind || ev.ID == "" {
					continue
				}
				if v := toValue(ev); v != nil && !sdlexec.Send(ctx, out, v) {
					return
				}
			}
		}
	}()
	return out
}

// Subscribe starts one operation of a graphql-transport-ws subscribe message for tenant: a
// subscription streams its results until ctx ends or it completes; a query answers once.
// The returned channel is closed when the operation is over. Errors that stop the
// operation before it runs (parse, limits, validation) are returned instead.
func (a *API) Subscribe(ctx context.Context, tenant, query, operation string, vars map[string]any) (<-chan *graphql.Result, []gqlerrors.FormattedError) {
	doc, errs := sdlexec.Prepare(&a.schema, a.queryLimits(), a.docs, query)
	if errs != nil {
		return nil, errs
	}
	if op := sdlexec.OperationOf(doc, operation); op == nil || op.Operation != ast.OperationTypeSubscription {
		// in the background: the caller's read loop must keep reading (keepalive pongs)
		out := make(chan *graphql.Result, 1)
		go func() {
			defer close(out)
			out <- a.Do(ctx, tenant, query, operation, vars)
		}()
		return out, nil
	}
	return sdlexec.Subscribe(withTenant(ctx, tenant), &a.schema, doc, operation, vars)
}
