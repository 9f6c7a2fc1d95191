package rollup

import (
	"math"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The Go health score and trend (the source of truth, health.go) and the SQL functions
// perf_health and perf_trend (the rollup refresh, get_performance_summary) agree on every
// input of the table: the edges of each status and trend, no traffic, missing pool and
// CPU figures, saturation penalties, counts out of order.
func TestHealthAndTrendGoEqualsSQL(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	f := func(v float64) *float64 { return &v }
	for _, in := range []struct {
		requests, errors, sat, tol int64
		pool, cpu                  *float64
	}{
		{0, 0, 0, 0, nil, nil}, // NO_DATA
		{-1, 0, 0, 0, nil, nil},
		{0, 0, 0, 0, f(95), f(99)},
		{100, 0, 100, 100, nil, nil},
		{100, 0, 90, 100, nil, nil}, // 95: HEALTHY
		{100, 0, 80, 100, nil, nil}, // 90: the HEALTHY edge
		{100, 0, 79, 99, nil, nil},  // 89: DEGRADED
		{100, 0, 40, 100, nil, nil}, // 70: the DEGRADED edge
		{100, 0, 0, 100, nil, nil},  // 50: the UNHEALTHY edge
		{100, 0, 0, 99, nil, nil},   // 49.5: CRITICAL
		{100, 5, 95, 95, nil, nil},  // 5% errors: 10 points
		{100, 50, 50, 50, nil, nil}, // error penalty capped at 30
		{100, 0, 100, 100, f(85), f(79.99)},
		{100, 0, 100, 100, f(100), f(100)}, // saturation penalties capped at 20 each
		{100, 0, 100, 100, f(80), f(80)},
		{3, 1, 1, 2, f(92.5), f(81.25)},
		{100, 0, 60, 50, nil, nil}, // tolerating below satisfied (rounding of histograms)
		{100, 0, -3, 10, nil, nil}, // negative differences of histogram counts
		{7, 7, 0, 0, f(50), nil},
		{1000000, 12345, 654321, 900000, f(83.3), f(91.7)},
	} {
		score, status, apdex := HealthScore(in.requests, in.errors, in.sat, in.tol, in.pool, in.cpu)
		var sScore, sApdex float64
		var sStatus string
		if err := pool.QueryRow(t.Context(), `SELECT score, status, apdex FROM perf_health($1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::float8, $6::float8)`,
			in.requests, in.errors, in.sat, in.tol, in.pool, in.cpu).Scan(&sScore, &sStatus, &sApdex); err != nil {
			t.Fatal(err)
		}
		if score != sScore || status != sStatus || math.Abs(apdex-sApdex) > 1e-12 {
			t.Errorf("health%+v: Go %v %s %v, SQL %v %s %v", in, score, status, apdex, sScore, sStatus, sApdex)
		}
	}
	for _, in := range []struct {
		score, prev  float64
		prevRequests int64
	}{
		{80, 80, 0}, {10, 90, 0}, {80, 80, 10}, {80, 60, 10}, {80, 75, 10}, {80, 75.01, 10},
		{75, 80, 10}, {75.01, 80, 10}, {60, 80, 10}, {60, 80.01, 10}, {45, 50, 10}, {49.99, 54.98, 10},
		{55, 60, 10}, {0, 100, 1}, {100, 0, 1},
	} {
		var sql string
		if err := pool.QueryRow(t.Context(), `SELECT perf_trend($1::float8, $2::float8, $3::bigint)`, in.score, in.prev, in.prevRequests).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		if got := Trend(in.score, in.prev, in.prevRequests); got != sql {
			t.Errorf("trend%+v: Go %s, SQL %s", in, got, sql)
		}
	}
}
