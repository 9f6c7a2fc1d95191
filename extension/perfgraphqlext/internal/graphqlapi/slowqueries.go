package graphqlapi

// slowQueries; queryMetrics also serves endpointDetail.topQueries.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type QueryPerformanceMetric struct {
	ID              string
	QueryHash       string
	QueryPreview    string
	ExecutionTimeMs int32
	RowsReturned    int32
	Endpoint        string
	Service         string
	Timestamp       DateTime
	OccurrenceCount int32
	SlowCount       int32
	ErrorCount      int32
	ExecutionTimes
	Summary         string
	NormalizedQuery string
	Operation       string
	Collection      string
	DbSystem        string
}

// queryMetrics lists fingerprints of [w] with max execution >= thresholdUs, optionally only
// for the given endpoints, ordered by orderBy ("max" or "total"). It reads the rollup tables
// directly (rollup_read.go) in three steps: the candidate fingerprints (for "max", only the
// rows with max_us >= threshold, served by the (tenant_id, max_us) indexes of migration
// 00004), then the rows of the candidates only, summed and their histograms merged in Go,
// then the names of what is listed.
func (r *resolver) queryMetrics(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32,
	endpointIDs []int32, thresholdUs int64, limit int, orderBy string) ([]*QueryPerformanceMetric, error) {
	const daily, hourly = perfdb.QueryDailyTable, perfdb.QueryHourlyTable
	out := []*QueryPerformanceMetric{}
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
	meta, err := queryNames(ctx, tx, tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}

	for _, a := range list {
		m := &QueryPerformanceMetric{}
		if n, ok := meta[[2]int64{0, a.fp}]; ok {
			m.Summary, m.NormalizedQuery, m.Operation, m.Collection, m.DbSystem = n.a, n.b, n.c, n.d, n.e
		}
		m.QueryHash = fpHex(a.fp)
		m.ID = string(m.QueryHash)
		m.QueryPreview = m.NormalizedQuery
		if rs := []rune(m.QueryPreview); len(rs) > 500 {
			m.QueryPreview = string(rs[:500])
		}
		m.ExecutionTimeMs = i32(int64(math.Round(float64(a.maxUs) / 1000)))
		m.RowsReturned = -1
		if a.rowsN > 0 {
			m.RowsReturned = i32(int64(math.Round(float64(a.rowsSum) / float64(a.rowsN))))
		}
		if k, ok := best[a.fp]; ok {
			if n, ok := meta[[2]int64{1, int64(k.ep)}]; ok && n.b != "" {
				m.Endpoint = endpointName(n.a, n.b)
			}
			m.Service = meta[[2]int64{2, int64(k.svc)}].a
		}
		if a.lastSlow != nil {
			m.Timestamp = DateTime{*a.lastSlow}
		} else {
			m.Timestamp = DateTime{w.From}
		}
		m.OccurrenceCount, m.SlowCount, m.ErrorCount = i32(a.calls), i32(a.h.CountGE(float64(thresholdUs))), i32(a.errs)
		mx := float64(a.maxUs) // no quantile outside the group's [min, max]
		m.ExecutionTimes = executionTimes(a.calls, a.sumUs, a.maxUs, a.h.QuantilesWithin(a.minUs.Bound(), &mx, 0.5, 0.95, 0.99))
		out = append(out, m)
	}
	return out, nil
}

func (r *resolver) SlowQueries(ctx context.Context, args struct {
	Service   *string
	Threshold *int32
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Limit     *int32
}) ([]*QueryPerformanceMetric, error) {
	const op = "slowQueries"
	tenant, w, limit, err := r.beginList(ctx, op, 2, rangeArgs{args.TimeRange, args.From, args.To}, args.Limit, 100)
	if err != nil {
		return nil, err
	}
	threshold := int64(1000)
	if args.Threshold != nil {
		if *args.Threshold < 0 {
			return nil, userErrorf("%s: threshold must be 0 or more milliseconds, got %d", op, *args.Threshold)
		}
		threshold = int64(*args.Threshold)
	}
	var out []*QueryPerformanceMetric
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		out, err = r.queryMetrics(ctx, tx, tid, w, svc, nil, threshold*1000, limit, "max")
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
}

// queryNames are the texts of the fingerprints, endpoints and services of a statement list
// (slowQueryNamesSQL), keyed by (kind, id): what slowQueries and topQueries both show.
type names struct{ a, b, c, d, e string }

func queryNames(ctx context.Context, tx pgx.Tx, tid int32, fps, epIDs, svcIDs []int64) (map[[2]int64]names, error) {
	meta := map[[2]int64]names{}
	rows, err := tx.Query(ctx, slowQueryNamesSQL, tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id int64
		var n names
		if err := rows.Scan(&kind, &id, &n.a, &n.b, &n.c, &n.d, &n.e); err != nil {
			return nil, err
		}
		meta[[2]int64{kind, id}] = n
	}
	return meta, rows.Err()
}
