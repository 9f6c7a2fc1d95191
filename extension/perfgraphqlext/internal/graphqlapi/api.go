// Package graphqlapi is the GraphQL API of the perfgraphql extension: the schema
// (schema.graphql, the documented contract, served as is through sdlexec), its resolvers,
// and the limits of a request. It runs no SQL of its own: it reads through the read model
// (internal/rollup and internal/rollup/reads) and maps the rows to its types; the extension
// shell authenticates the caller and hands the request over with its tenant.
package graphqlapi

import (
	"context"
	_ "embed"
	"errors"
	"time"

	"github.com/graphql-go/graphql"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi/sdlexec"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

//go:embed schema.graphql
var schemaSDL string

// SDL is schema.graphql, the documented contract that the API serves.
func SDL() string { return schemaSDL }

// Config is what the API takes of the extension's configuration.
type Config struct {
	// ApdexTarget T of the health score: requests up to T are satisfied, up to 4T tolerating.
	ApdexTarget time.Duration
	Limits      Limits
	// MinuteRollups is how long minute rollups are kept: a window edge within it is read at
	// minute resolution, an older one is rounded out to its hour.
	MinuteRollups time.Duration
	// TraceURL is dashboard.trace_url: a trace viewer's address with {trace_id} in it, "" when unset.
	TraceURL string
	// AlertRules are perfgraphql.alerting.rules (alertRules lists those of the caller's tenant).
	AlertRules []alerting.Rule
}

// Limits bound what one request may cost (the extension's limits.* keys).
type Limits struct {
	MaxDepth       int // field nesting
	MaxQueryLength int // bytes of query text
	MaxParallelism int // root fields resolved at once
	MaxSelections  int // fields after fragment expansion
	MaxCost        int // cost units (limits.go)
	MaxLimit       int // cap of every limit argument and list
	MaxPoints      int // points of one time series
	RequestTimeout time.Duration
}

// API answers GraphQL requests.
type API struct {
	schema graphql.Schema
	cfg    Config
	logger *zap.Logger
	docs   *sdlexec.DocCache
}

// New builds the API over st; now is the clock of the relative ranges (LAST_HOUR...).
// Subscriptions hear of changes from hub.
func New(cfg Config, st *rollup.Store, hub *livehub.Hub, logger *zap.Logger, now func() time.Time) (*API, error) {
	r := &resolver{st: st, cfg: cfg, logger: logger, now: now}
	s, err := sdlexec.Build(schemaSDL, sdlexec.Roots{Query: r, Subscription: &subscriptions{r: r, hub: hub},
		Cancelled: func(ctx context.Context, field string, err error) error { return publicError(ctx, nil, field, err) }})
	if err != nil {
		return nil, err
	}
	return &API{schema: s, cfg: cfg, logger: logger, docs: sdlexec.NewDocCache(256)}, nil
}

// Do runs one request for tenant, which the caller took from the request's credentials:
// no argument of the request can change it.
func (a *API) Do(ctx context.Context, tenant, query, operation string, vars map[string]any) *graphql.Result {
	l := a.cfg.Limits
	ctx, cancel := context.WithTimeout(ctx, l.RequestTimeout)
	defer cancel()
	ctx = sdlexec.WithParallelism(withBudget(withTenant(ctx, tenant), l.MaxCost), l.MaxParallelism)
	ctx, stale := rollup.WithStaleness(ctx)
	res := sdlexec.Exec(ctx, &a.schema, a.queryLimits(), a.docs, query, operation, vars)
	// an answer that read the database says where from and how stale (schema.graphql)
	if rep := stale.Report(); rep != nil {
		if res.Extensions == nil {
			res.Extensions = map[string]any{}
		}
		res.Extensions["staleness"] = rep
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		a.logger.Warn("perfgraphql request timed out", zap.Duration("timeout", l.RequestTimeout))
	}
	return res
}

// queryLimits are the limits checked on a request's text and document before it runs.
func (a *API) queryLimits() sdlexec.Limits {
	l := a.cfg.Limits
	return sdlexec.Limits{MaxQueryLength: l.MaxQueryLength, MaxDepth: l.MaxDepth, MaxSelections: l.MaxSelections}
}

type tenantKey struct{}

type anonymousKey struct{}

// WithAnonymous marks a request served as the anonymous tenant (no credentials), which the
// viewer field reports so that the dashboard can offer to sign in.
func WithAnonymous(ctx context.Context, anonymous bool) context.Context {
	return context.WithValue(ctx, anonymousKey{}, anonymous)
}

func withTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

func tenantFrom(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tenantKey{}).(string)
	return t, ok && t != ""
}
