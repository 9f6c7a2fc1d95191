package graphqlapi

// Time series of the hourly (or minute) rollups, shared by the detail queries and trafficSeries.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

type TimePoint struct {
	Timestamp DateTime
	Count     int32
	Errors    int32
	AvgMs     *float64
	P50Ms     *float64
	P95Ms     *float64
	P99Ms     *float64
	MaxMs     *float64
}

// series bins the hourly rows of table (perf_query_hourly or perf_endpoint_hourly) that
// match where ($1 tenant, $2..$3 window, $4 interval, $5 the filter argument).
func series(ctx context.Context, tx pgx.Tx, table, countCol, where string, tid int32, w rollup.Window, iv time.Duration, filter any) ([]*TimePoint, error) {
	rows, err := tx.Query(ctx, `
		WITH r AS MATERIALIZED (
			SELECT date_bin($4::interval, bucket, '2000-01-01 00:00:00+00') b, `+countCol+` n, errors, sum_us, max_us, lat_idx, lat_cnt
			FROM `+table+` WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND `+where+`),
		a AS (SELECT b, sum(n)::bigint n, sum(errors)::bigint e, sum(sum_us)::bigint su, max(max_us)::bigint mx FROM r GROUP BY b),
		h AS (SELECT b, u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2),
		hq AS (SELECT b, perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}') q FROM h GROUP BY b)
		SELECT a.b, a.n, a.e, a.su, a.mx, hq.q FROM a LEFT JOIN hq USING (b) ORDER BY a.b`, tid, w.From, w.To, iv, filter)
	if err != nil {
		return nil, err
	}
	return scanTimePoints(rows)
}

// scanTimePoints reads rows of (bucket, requests, errors, sum µs, max µs, [p50, p95, p99] µs).
func scanTimePoints(rows pgx.Rows) ([]*TimePoint, error) {
	defer rows.Close()
	out := []*TimePoint{}
	for rows.Next() {
		var ts time.Time
		var n, e, su, mx int64
		var q []*float64
		if err := rows.Scan(&ts, &n, &e, &su, &mx, &q); err != nil {
			return nil, err
		}
		p := &TimePoint{Timestamp: DateTime{ts}, Count: i32(n), Errors: i32(e)}
		if n > 0 {
			avg, m := float64(su)/1000/float64(n), float64(mx)/1000
			p.AvgMs, p.MaxMs = &avg, &m
		}
		if len(q) == 3 {
			p.P50Ms, p.P95Ms, p.P99Ms = rollup.Ms(q[0]), rollup.Ms(q[1]), rollup.Ms(q[2])
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// detailInterval is the interval of a detail series: default 1h (1d beyond 2 days);
// intervals under an hour (read from the minute rollups) when the whole window is within
// their retention.
func detailInterval(arg *string, w rollup.Window, maxPoints int) (time.Duration, error) {
	def := time.Hour
	if w.Hours() > 48 {
		def = 24 * time.Hour
	}
	minimum := time.Hour
	if !w.MinuteSince.IsZero() && !w.From.Before(w.MinuteSince) {
		minimum = time.Minute
	}
	return resolveInterval(arg, w, minimum, def, maxPoints)
}

// rollupTable is the minute rollup for intervals under an hour, else the hourly one.
func rollupTable(hourly, minutely string, iv time.Duration) string {
	if iv < time.Hour {
		return minutely
	}
	return hourly
}
