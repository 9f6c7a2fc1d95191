package reads

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// QueryAgg is one listed fingerprint's rows of a window summed: calls, errors, total and max
// execution (µs), rows returned (sum and count), the latest bucket at or over the threshold,
// the calls at or over it and the p50/p95/p99 (µs) of the merged histogram (nil when it has no
// sample), with the names of the statement and of its busiest endpoint and service.
type QueryAgg struct {
	Fingerprint, Calls, Errors, SumUs, MaxUs, RowsSum, RowsN int64
	LastSlow                                                 *time.Time
	SlowCount                                                int64
	Q                                                        []*float64
	Statement, Endpoint                                      Names
	Service                                                  string
}

// SlowQueries lists fingerprints of [w] with max execution >= thresholdUs, optionally only
// for the given endpoints, ordered by orderBy ("max" or "total"), at most limit. It reads the
// rollup tables directly (rollup.RangeUnion) in three steps: the candidate fingerprints (for "max", only the
// rows with max_us >= threshold, served by the (tenant_id, max_us) indexes of migration
// 00004), then the rows of the candidates only, summed and their histograms merged in Go,
// then the names of what is listed.
func SlowQueries(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32,
	endpointIDs []int32, thresholdUs int64, limit int, orderBy string) ([]*QueryAgg, error) {
	const daily, hourly = perfdb.QueryDailyTable, perfdb.QueryHourlyTable
	out := []*QueryAgg{}
	ss, err := rollup.Splits(ctx, tx, tid, w)
	if err != nil || limit <= 0 {
		return out, err
	}
	var conds []string
	var extra []any
	if svc != nil {
		extra = append(extra, *svc)
		conds = append(conds, fmt.Sprintf("service_id = $%d", len(extra)+1))
	}
	if endpointIDs != nil {
		extra = append(extra, endpointIDs)
		conds = append(conds, fmt.Sprintf("endpoint_id = ANY($%d)", len(extra)+1))
	}
	thr := strconv.FormatInt(max(thresholdUs, 0), 10) // an integer: safe to inline, and planned with its value

	// 1. candidates
	var cands []int64
	if orderBy == "total" {
		sql, args := rollup.RangeUnion("fingerprint, sum_us, max_us", daily, hourly, "bucket", strings.Join(conds, " AND "), tid, extra, ss)
		rows, err := tx.Query(ctx, `SELECT fingerprint FROM (`+sql+`) r GROUP BY fingerprint HAVING max(max_us) >= `+thr+`
			ORDER BY sum(sum_us) DESC, fingerprint LIMIT `+strconv.Itoa(limit), args...)
		if err != nil {
			return nil, err
		}
		cands, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return nil, err
		}
	} else {
		sql, args := rollup.RangeUnion("fingerprint, max_us", daily, hourly, "bucket",
			strings.Join(append([]string{"max_us >= " + thr}, conds...), " AND "), tid, extra, ss)
		rows, err := tx.Query(ctx, `SELECT fingerprint, max(max_us) FROM (`+sql+`) r GROUP BY fingerprint ORDER BY 2 DESC`, args...)
		if err != nil {
			return nil, err
		}
		var last int64 = -1
		for rows.Next() {
			var fp, m int64
			if err := rows.Scan(&fp, &m); err != nil {
				rows.Close()
				return nil, err
			}
			if len(cands) >= limit && m < last { // ties at the boundary are ordered by total time below
				break
			}
			cands, last = append(cands, fp), m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(cands) == 0 {
		return out, nil
	}

	// 2. the candidates' rows: sums, histograms, busiest (endpoint, service)
	type fpAgg struct {
		fp, calls, errs, sumUs, maxUs, rowsSum, rowsN int64
		lastSlow                                      *time.Time
		h                                             rollup.Hist
		minUs                                         rollup.MinUs
	}
	type epKey struct {
		fp      int64
		ep, svc int32
	}
	aggs := map[int64]*fpAgg{}
	defer func() {
		for _, a := range aggs {
			a.h.Release()
		}
	}()
	epCalls := map[epKey]int64{}
	{
		ex := append(append([]any{}, extra...), cands)
		sql, args := rollup.RangeUnion("fingerprint, endpoint_id, service_id, bucket, calls, errors, sum_us, max_us, rows_sum, rows_n, lat_idx, lat_cnt, min_us",
			daily, hourly, "bucket", strings.Join(append(conds, fmt.Sprintf("fingerprint = ANY($%d)", len(ex)+1)), " AND "), tid, ex, ss)
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var win int32
			var k epKey
			var bucket time.Time
			var calls, errs, sumUs, maxUs, rowsSum, rowsN int64
			var minUs *int64
			if err := rows.Scan(&win, &k.fp, &k.ep, &k.svc, &bucket, &calls, &errs, &sumUs, &maxUs, &rowsSum, &rowsN, nil, nil, &minUs); err != nil {
				rows.Close()
				return nil, err
			}
			a := aggs[k.fp]
			if a == nil {
				a = &fpAgg{fp: k.fp}
				aggs[k.fp] = a
			}
			a.calls += calls
			a.errs += errs
			a.sumUs += sumUs
			a.maxUs = max(a.maxUs, maxUs)
			a.minUs.Add(minUs)
			a.rowsSum += rowsSum
			a.rowsN += rowsN
			if maxUs >= thresholdUs && (a.lastSlow == nil || bucket.After(*a.lastSlow)) {
				b := bucket
				a.lastSlow = &b
			}
			if err := a.h.AddColumns(rows, 11, 12); err != nil {
				rows.Close()
				return nil, err
			}
			epCalls[k] += calls
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	list := make([]*fpAgg, 0, len(aggs))
	for _, a := range aggs {
		if a.maxUs >= thresholdUs {
			list = append(list, a)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if orderBy != "total" && a.maxUs != b.maxUs {
			return a.maxUs > b.maxUs
		}
		if a.sumUs != b.sumUs {
			return a.sumUs > b.sumUs
		}
		return a.fp < b.fp
	})
	if len(list) > limit {
		list = list[:limit]
	}
	best := map[int64]epKey{}
	bestN := map[int64]int64{}
	for k, n := range epCalls {
		b, ok := best[k.fp]
		if !ok || n > bestN[k.fp] || (n == bestN[k.fp] && (k.ep < b.ep || k.ep == b.ep && k.svc < b.svc)) {
			best[k.fp], bestN[k.fp] = k, n
		}
	}

	// 3. names
	fps := make([]int64, len(list))
	var epIDs, svcIDs []int64
	for i, a := range list {
		fps[i] = a.fp
		if k, ok := best[a.fp]; ok {
			epIDs, svcIDs = append(epIDs, int64(k.ep)), append(svcIDs, int64(k.svc))
		}
	}
	meta, err := QueryNames(ctx, tx, tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		q := &QueryAgg{Fingerprint: a.fp, Calls: a.calls, Errors: a.errs, SumUs: a.sumUs, MaxUs: a.maxUs,
			RowsSum: a.rowsSum, RowsN: a.rowsN, LastSlow: a.lastSlow, Statement: meta[[2]int64{0, a.fp}]}
		if k, ok := best[a.fp]; ok {
			q.Endpoint, q.Service = meta[[2]int64{1, int64(k.ep)}], meta[[2]int64{2, int64(k.svc)}].A
		}
		q.SlowCount = a.h.CountGE(float64(thresholdUs))
		mx := float64(a.maxUs) // no quantile outside the group's [min, max]
		q.Q = a.h.QuantilesWithin(a.minUs.Bound(), &mx, 0.5, 0.95, 0.99)
		out = append(out, q)
	}
	return out, nil
}

// Names are the texts of a statement (summary, normalized text, operation, collection, db
// system), an endpoint (method, route) or a service (name), by kind 0, 1 and 2.
type Names struct{ A, B, C, D, E string }

// QueryNames are the texts of the fingerprints, endpoints and services of a statement list,
// keyed by (kind, id): what slowQueries and topQueries both show.
func QueryNames(ctx context.Context, tx pgx.Tx, tid int32, fps, epIDs, svcIDs []int64) (map[[2]int64]Names, error) {
	meta := map[[2]int64]Names{}
	rows, err := tx.Query(ctx, slowQueryNamesSQL, tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id int64
		var n Names
		if err := rows.Scan(&kind, &id, &n.A, &n.B, &n.C, &n.D, &n.E); err != nil {
			return nil, err
		}
		meta[[2]int64{kind, id}] = n
	}
	return meta, rows.Err()
}
