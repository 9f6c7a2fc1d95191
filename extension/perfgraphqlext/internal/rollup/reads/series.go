package reads

// Time series of the hourly (or minute) rollups and of the request log.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// Point is one interval of a series: its start, the count and errors, total and max (µs), and
// the p50/p95/p99 (µs; nil or shorter when there is no sample).
type Point struct {
	Bucket                      time.Time
	Count, Errors, SumUs, MaxUs int64
	Q                           []*float64
}

// Series bins the hourly rows of table (perf_query_hourly or perf_endpoint_hourly) that
// match where ($1 tenant, $2..$3 window, $4 interval, $5 the filter argument).
func Series(ctx context.Context, tx pgx.Tx, table, countCol, where string, tid int32, w rollup.Window, iv time.Duration, filter any) ([]Point, error) {
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
	return scanPoints(rows)
}

// scanPoints reads rows of (bucket, requests, errors, sum µs, max µs, [p50, p95, p99] µs).
func scanPoints(rows pgx.Rows) ([]Point, error) {
	defer rows.Close()
	out := []Point{}
	for rows.Next() {
		var p Point
		if err := rows.Scan(&p.Bucket, &p.Count, &p.Errors, &p.SumUs, &p.MaxUs, &p.Q); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// LastData is when the tenant (or service svc, when not nil) last had a request: read from
// the request log since rawSince (what the rollups may not hold yet), else from the rollups
// (nil when never).
func LastData(ctx context.Context, tx pgx.Tx, tid int32, svc *int32, rawSince time.Time) (*time.Time, error) {
	var last *time.Time
	err := tx.QueryRow(ctx, lastDataSQL, tid, svc, rawSince).Scan(&last)
	return last, err
}
