package graphqlapi

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// resolver is the root of the GraphQL schema (schema.graphql).
type resolver struct {
	st     *rollup.Store
	cfg    Config
	logger *zap.Logger
	now    func() time.Time
}

type rangeArgs struct {
	TimeRange *string
	From      *DateTime
	To        *DateTime
}

// begin checks the tenant, resolves the window and charges the request's budget.
func (r *resolver) begin(ctx context.Context, field string, base int, ra rangeArgs) (string, rollup.Window, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return "", rollup.Window{}, userErrorf("unauthenticated")
	}
	now := r.now()
	w, err := resolveWindow(now, now.Add(-r.cfg.MinuteRollups), ra.TimeRange, ra.From, ra.To)
	if err != nil {
		return "", w, fmt.Errorf("%s: %w", field, err)
	}
	if err := charge(ctx, field, base, w); err != nil {
		return "", w, err
	}
	return tenant, w, nil
}

// beginList is begin for a field that returns a list, with its limit argument checked
// (default def, at most limits.max_limit).
func (r *resolver) beginList(ctx context.Context, field string, base int, ra rangeArgs, limitArg *int32, def int) (string, rollup.Window, int, error) {
	tenant, w, err := r.begin(ctx, field, base, ra)
	if err != nil {
		return "", w, 0, err
	}
	limit, err := capLimit(field, limitArg, def, r.cfg.Limits.MaxLimit)
	if err != nil {
		return "", w, 0, err
	}
	return tenant, w, limit, nil
}

func (r *resolver) apdexMs() float64 {
	return float64(r.cfg.ApdexTarget) / float64(time.Millisecond)
}

// fpHex formats a stored fingerprint (the unsigned 64-bit value kept in a signed bigint) as
// sqlnorm writes it everywhere: 16 lower-case hex digits.
func fpHex(v int64) string { return sqlnorm.FormatFingerprint(uint64(v)) }

// parseFingerprint reads a fingerprint argument with sqlnorm's parser. The API has always
// also taken surrounding spaces, a 0x prefix and leading zeros left out; those are normalized
// to sqlnorm's 16 digits here, so clients that relied on them keep working.
func parseFingerprint(s string) (int64, error) {
	digits := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "0x")
	if n := len(digits); n > 0 && n < 16 {
		digits = strings.Repeat("0", 16-n) + digits
	}
	u, err := sqlnorm.ParseFingerprint(digits)
	if err != nil {
		return 0, userErrorf("fingerprint %q must be 1 to 16 hex digits", strings.TrimSpace(s))
	}
	return int64(u), nil
}

// ExecutionTimes are the execution-time fields (ms) that QueryDetail and SlowQueryMetric
// share; the resolver finds them as promoted fields.
type ExecutionTimes struct {
	AvgExecutionTimeMs   float64
	P50ExecutionTimeMs   float64
	P95ExecutionTimeMs   float64
	P99ExecutionTimeMs   float64
	MaxExecutionTimeMs   float64
	TotalExecutionTimeMs float64
}

// executionTimes computes them from the merged totals (µs) and the p50/p95/p99 (µs, nil when
// there is no sample; none when q is not those three).
func executionTimes(calls, sumUs, maxUs int64, q []*float64) ExecutionTimes {
	t := ExecutionTimes{MaxExecutionTimeMs: float64(maxUs) / 1000, TotalExecutionTimeMs: float64(sumUs) / 1000}
	if calls > 0 {
		t.AvgExecutionTimeMs = float64(sumUs) / 1000 / float64(calls)
	}
	if len(q) == 3 {
		t.P50ExecutionTimeMs, t.P95ExecutionTimeMs, t.P99ExecutionTimeMs = f64(q[0])/1000, f64(q[1])/1000, f64(q[2])/1000
	}
	return t
}

func endpointName(method, route string) string {
	if method == "" {
		return route
	}
	return method + " " + route
}

func f64(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

func i32(v int64) int32 {
	if v > math.MaxInt32 {
		return math.MaxInt32
	}
	if v < math.MinInt32 {
		return math.MinInt32
	}
	return int32(v)
}
