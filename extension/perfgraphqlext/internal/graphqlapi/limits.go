package graphqlapi

import (
	"context"
	"sync"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

type budgetKey struct{}

// budget is the cost allowance of one request. Every query field charges its cost before
// touching the database:
//
//	cost = base × span, span = 1 up to 24 h, 2 up to 7 days, 4 beyond;
//	base = 1 for performanceOverview, databasePoolMetrics, recommendations, resourceUtilization,
//	       2 for slowQueries, topQueries, endpointMetrics, and 3 for queryDetail, endpointDetail.
//
// With the default limits.max_cost (40) a request may hold, e.g., ten 30-day overviews.
type budget struct {
	mu   sync.Mutex
	left int
	max  int
}

func withBudget(ctx context.Context, max int) context.Context {
	return context.WithValue(ctx, budgetKey{}, &budget{left: max, max: max})
}

func charge(ctx context.Context, field string, base int, w rollup.Window) error {
	b, ok := ctx.Value(budgetKey{}).(*budget)
	if !ok {
		return nil
	}
	span := 1
	switch h := w.Hours(); {
	case h > 7*24+1:
		span = 4
	case h > 25:
		span = 2
	}
	cost := base * span
	b.mu.Lock()
	defer b.mu.Unlock()
	if cost > b.left {
		return userErrorf("%s: query cost limit exceeded (this field costs %d, %d of %d left); split the request", field, cost, b.left, b.max)
	}
	b.left -= cost
	return nil
}

// capLimit validates a limit argument: default def, at most max.
func capLimit(field string, arg *int32, def, max int) (int, error) {
	if arg == nil {
		return min(def, max), nil
	}
	if *arg < 1 {
		return 0, userErrorf("%s: limit must be at least 1, got %d", field, *arg)
	}
	if int(*arg) > max {
		return 0, userErrorf("%s: limit %d is over the maximum %d (limits.max_limit)", field, *arg, max)
	}
	return int(*arg), nil
}
