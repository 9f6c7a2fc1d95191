package rollup

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// The read path of the rollups. A window [From, To) (minute resolution) is read from the
// daily rollups for the whole UTC days that are consolidated (perf_rollup_state), from the
// hourly rollups for the other whole hours, and from the minute rollups for the partial hours
// at its edges, like the SQL readers perf_*_range, but the split is computed here and the
// statements read the tables directly: no per-call planning of SQL functions, plain index
// range scans, and one statement for several windows. Histograms are merged in Go (Hist).

// DaySplit is a window split by the rollup level that serves each part: daily rows
// [D1, D2) (D1 = D2 when none), hourly rows [H1, D1) and [D2, H2), minute rows [From, H1)
// and [H2, To).
type DaySplit struct {
	From, H1, D1, D2, H2, To time.Time
}

func floorDay(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// SplitWindow mirrors perf_day_split: whole days inside w, up to dailyThrough (exclusive),
// whole hours around them, minutes at the edges.
func SplitWindow(w Window, dailyThrough *time.Time) DaySplit {
	w = w.rounded()
	from, to := w.From.UTC(), w.To.UTC()
	h1, h2 := CeilHour(from), FloorHour(to)
	if h1.After(h2) { // inside one hour: minute rows only
		return DaySplit{From: from, H1: to, D1: to, D2: to, H2: to, To: to}
	}
	a := floorDay(h1)
	if !a.Equal(h1) {
		a = a.Add(24 * time.Hour)
	}
	z := floorDay(h2)
	if dailyThrough == nil {
		z = time.Time{}
	} else if dailyThrough.Before(z) {
		z = dailyThrough.UTC()
	}
	if a.Before(z) {
		return DaySplit{From: from, H1: h1, D1: a, D2: z, H2: h2, To: to}
	}
	return DaySplit{From: from, H1: h1, D1: h2, D2: h2, H2: h2, To: to}
}

// Splits resolves the windows of one tenant against perf_rollup_state.
func Splits(ctx context.Context, tx pgx.Tx, tid int32, ws ...Window) ([]DaySplit, error) {
	var through *time.Time
	err := tx.QueryRow(ctx, sqlDailyThrough, tid).Scan(&through)
	if err != nil && err != pgx.ErrNoRows {
		return nil, err
	}
	out := make([]DaySplit, len(ws))
	for i, w := range ws {
		out[i] = SplitWindow(w, through)
	}
	return out, nil
}

// minutely is the minute rollup of each hourly rollup that has one.
var minutely = map[string]string{
	perfdb.EndpointHourlyTable: perfdb.EndpointMinutelyTable,
	perfdb.QueryHourlyTable:    perfdb.QueryMinutelyTable,
}

// RangeUnion builds one statement reading cols of every window of ss from the daily table
// (whole days), the hourly table (the other whole hours) and the hourly table's minute
// rollup (the edges), each row tagged with its window index as the first column. $1 is the
// tenant; extra are the arguments $2.. that where may use (where is ANDed to every branch;
// "" for none). bucket is the bucket column's name. The hourly table must have a minute
// rollup (the per-tenant rollups have none: Summaries reads their edges from the endpoint
// and query minute rows).
func RangeUnion(cols, daily, hourly, bucket, where string, tid int32, extra []any, ss []DaySplit) (string, []any) {
	minute, ok := minutely[hourly]
	if !ok {
		panic("rollup.RangeUnion: " + hourly + " has no minute rollup")
	}
	args := append([]any{tid}, extra...)
	ph := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if where != "" {
		where = " AND (" + where + ")"
	}
	var b strings.Builder
	for k, s := range ss {
		if k > 0 {
			b.WriteString("\nUNION ALL ")
		}
		from, h1, d1, d2, h2, to := ph(s.From), ph(s.H1), ph(s.D1), ph(s.D2), ph(s.H2), ph(s.To)
		fmt.Fprintf(&b, "SELECT %d AS win, %s FROM %s WHERE tenant_id = $1 AND %s >= %s AND %s < %s%s", k, cols, daily, bucket, d1, bucket, d2, where)
		for _, r := range [][3]string{{hourly, h1, d1}, {hourly, d2, h2}, {minute, from, h1}, {minute, h2, to}} {
			fmt.Fprintf(&b, "\nUNION ALL SELECT %d, %s FROM %s WHERE tenant_id = $1 AND %s >= %s AND %s < %s%s", k, cols, r[0], bucket, r[1], bucket, r[2], where)
		}
	}
	return b.String(), args
}

var (
	//go:embed service_summary.sql
	sqlServiceSummary string
	//go:embed daily_through.sql
	sqlDailyThrough string
	//go:embed tenant_id.sql
	sqlTenantID string
	//go:embed service_id.sql
	sqlServiceID string
)

// tenantAgg is the merge of the rollups of one window: the per-tenant rollups
// (performance_metrics_cache / _daily), or those of one service.
type tenantAgg struct {
	requests, errors, sumUs, maxUs, qCalls, qErrors, qSlow, qSumUs int64
	cpuSum, memSum, lagSum, utilSum                                float64
	cpuN, memN, lagN, utilN                                        int64
	memMax                                                         *float64
	lat, errH, q                                                   Hist
}

// Summaries computes what perf_summary_range reports for each window, in one statement,
// merging the histograms in Go: of the tenant (svc nil, from the per-tenant rollups), or of
// one service (from its endpoint, query, resource and pool rollups, service_summary.sql).
// The formulas are applied here in both cases (summary, HealthScore): every answer of the
// API comes from this one implementation. now bounds requests_per_second.
func Summaries(ctx context.Context, tx pgx.Tx, tid int32, apdexMs float64, now time.Time, svc *int32, ws ...Window) ([]Summary, error) {
	var ss []DaySplit
	var rows pgx.Rows
	var err error
	if svc == nil {
		if ss, err = Splits(ctx, tx, tid, ws...); err != nil {
			return nil, err
		}
		sql, args := tenantUnion(tid, ss)
		rows, err = tx.Query(ctx, sql, args...)
	} else {
		from, to := make([]time.Time, len(ws)), make([]time.Time, len(ws))
		ss = make([]DaySplit, len(ws))
		for k, w := range ws {
			w = w.rounded()
			from[k], to[k] = w.From, w.To
			ss[k] = DaySplit{From: from[k], H1: to[k], D1: to[k], D2: to[k], H2: to[k], To: to[k]}
		}
		rows, err = tx.Query(ctx, sqlServiceSummary, tid, from, to, *svc)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	aggs := make([]tenantAgg, len(ws))
	// pgtype values (NULL: zero, not Valid) rather than pointers, declared once: a LAST_HOUR
	// reads thousands of minute rows, and the values allocated per column and row were most
	// of the time spent scanning them. Scan sets every one of them on each row.
	var k int
	var req, fail, su, mx, qn, qf, qs, qsu pgtype.Int8
	var cs, ms, ls, us float64
	var cn, mn, ln, un int64
	var mm pgtype.Float8
	dest := []any{&k, &req, &fail, &su, &mx, &qn, &qf, &qs, &qsu, &cs, &cn, &ms, &mn, &mm, &ls, &ln, &us, &un,
		nil, nil, nil, nil, nil, nil}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		a := &aggs[k]
		a.requests += req.Int64
		a.errors += fail.Int64
		a.sumUs += su.Int64
		a.maxUs = max(a.maxUs, mx.Int64)
		a.qCalls += qn.Int64
		a.qErrors += qf.Int64
		a.qSlow += qs.Int64
		a.qSumUs += qsu.Int64
		a.cpuSum, a.cpuN = a.cpuSum+cs, a.cpuN+cn
		a.memSum, a.memN = a.memSum+ms, a.memN+mn
		a.lagSum, a.lagN = a.lagSum+ls, a.lagN+ln
		a.utilSum, a.utilN = a.utilSum+us, a.utilN+un
		if mm.Valid && (a.memMax == nil || mm.Float64 > *a.memMax) {
			v := mm.Float64
			a.memMax = &v
		}
		if err := a.lat.AddColumns(rows, 18, 19); err != nil {
			return nil, err
		}
		if err := a.errH.AddColumns(rows, 20, 21); err != nil {
			return nil, err
		}
		if err := a.q.AddColumns(rows, 22, 23); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Summary, len(ws))
	for k := range ws {
		out[k] = aggs[k].summary(ss[k], apdexMs, now)
		aggs[k].lat.Release()
		aggs[k].errH.Release()
		aggs[k].q.Release()
	}
	return out, nil
}

// tenantCols are the columns Summaries reads of the per-tenant rollups.
const tenantCols = `total_requests, failed_requests, sum_response_us, max_response_us, total_queries, failed_queries,
		slow_query_count, sum_query_us, cpu_sum, cpu_n, mem_sum_mb, mem_n, max_memory_usage_mb, lag_sum, lag_n,
		pool_util_sum, pool_util_n, lat_idx, lat_cnt, err_idx, err_cnt, q_idx, q_cnt`

// tenantUnion reads the per-tenant rollups of each window like RangeUnion, in tenantCols'
// order: daily and hourly rows for the whole hours; the partial hours at the edges, which
// have no per-tenant minute rows, from the per-service minute rollup (requests, queries,
// histograms; one row per service and minute where the endpoint and query minute rows are
// thousands) and from the hourly resource and pool rollups of the edge hours
// (averages: resources are sampled per minute but kept per hour).
func tenantUnion(tid int32, ss []DaySplit) (string, []any) {
	args := []any{tid}
	ph := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var b strings.Builder
	for k, s := range ss {
		if k > 0 {
			b.WriteString("\nUNION ALL ")
		}
		from, h1, d1, d2, h2, to := ph(s.From), ph(s.H1), ph(s.D1), ph(s.D2), ph(s.H2), ph(s.To)
		fmt.Fprintf(&b, "SELECT %d AS win, %s FROM %s WHERE tenant_id = $1 AND hour_bucket >= %s AND hour_bucket < %s", k, tenantCols, perfdb.TenantDailyTable, d1, d2)
		for _, r := range [][2]string{{h1, d1}, {d2, h2}} {
			fmt.Fprintf(&b, "\nUNION ALL SELECT %d, %s FROM %s WHERE tenant_id = $1 AND hour_bucket >= %s AND hour_bucket < %s", k, tenantCols, perfdb.TenantHourlyTable, r[0], r[1])
		}
		fmt.Fprintf(&b, "\nUNION ALL SELECT %d, requests, errors, sum_us, max_us, q_calls, q_errors, q_slow, q_sum_us, "+
			"0::float8, 0::bigint, 0::float8, 0::bigint, NULL::float8, 0::float8, 0::bigint, 0::float8, 0::bigint, lat_idx, lat_cnt, err_idx, err_cnt, q_idx, q_cnt "+
			"FROM %s WHERE tenant_id = $1 AND ((bucket >= %s AND bucket < %s) OR (bucket >= %s AND bucket < %s))", k, perfdb.ServiceMinutelyTable, from, h1, h2, to)
		// resources and pools of the hours holding an edge
		fmt.Fprintf(&b, "\nUNION ALL SELECT %d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(sum(cpu_sum), 0)::float8, coalesce(sum(cpu_n), 0)::bigint, "+
			"coalesce(sum(mem_sum), 0)::float8 / 1048576, coalesce(sum(mem_n), 0)::bigint, max(mem_max)::float8 / 1048576, coalesce(sum(lag_sum), 0)::float8, coalesce(sum(lag_n), 0)::bigint, "+
			"0, 0, NULL, NULL, NULL, NULL, NULL, NULL FROM perf_resource_hourly WHERE tenant_id = $1 AND ((bucket >= perf_hour(%[2]s::timestamptz) AND bucket < %[3]s) OR (bucket >= %[4]s AND bucket < %[5]s))",
			k, from, h1, h2, to)
		fmt.Fprintf(&b, "\nUNION ALL SELECT %d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, 0, 0, coalesce(sum(util_sum), 0)::float8, coalesce(sum(util_n), 0)::bigint, "+
			"NULL, NULL, NULL, NULL, NULL, NULL FROM perf_pool_hourly WHERE tenant_id = $1 AND ((bucket >= perf_hour(%[2]s::timestamptz) AND bucket < %[3]s) OR (bucket >= %[4]s AND bucket < %[5]s))",
			k, from, h1, h2, to)
	}
	return b.String(), args
}

func ratio(sum float64, n int64) *float64 {
	if n == 0 {
		return nil
	}
	v := sum / float64(n)
	return &v
}

// summary: the formulas of perf_summary_range and perf_health (doc.go).
func (a *tenantAgg) summary(s DaySplit, apdexMs float64, now time.Time) Summary {
	r := Summary{Requests: a.requests, Failed: a.errors, Queries: a.qCalls, Slow: a.qSlow}
	r.Avg = ratio(float64(a.sumUs)/1000, a.requests)
	mxUs := float64(a.maxUs)
	pq := a.lat.QuantilesWithin(nil, &mxUs, 0.5, 0.95, 0.99)
	r.P50, r.P95, r.P99 = Ms(pq[0]), Ms(pq[1]), Ms(pq[2])
	mx := float64(a.maxUs) / 1000
	r.Max = &mx
	end := s.To
	if now.Before(end) {
		end = now
	}
	rps, er := 0.0, 0.0
	if secs := end.Sub(s.From).Seconds(); secs > 0 {
		rps = float64(a.requests) / secs
	}
	if a.requests > 0 {
		er = float64(a.errors) / float64(a.requests)
	}
	r.RPS, r.ErrRate = &rps, &er
	r.AvgQ = ratio(float64(a.qSumUs)/1000, a.qCalls)
	r.P95Q = Ms(a.q.Quantiles(0.95)[0])
	r.CPU = ratio(a.cpuSum, a.cpuN)
	r.MemAvg = ratio(a.memSum, a.memN)
	r.MemMax = a.memMax
	r.Lag = ratio(a.lagSum, a.lagN)
	r.Pool = ratio(a.utilSum, a.utilN)
	tu := apdexMs * 1000
	sat := a.lat.CountLE(tu) - a.errH.CountLE(tu)
	tol := a.lat.CountLE(4*tu) - a.errH.CountLE(4*tu)
	r.Score, r.Status, r.Apdex = HealthScore(a.requests, a.errors, sat, tol, r.Pool, r.CPU)
	return r
}

// Summary is the health and KPIs of one window (the columns of perf_summary_range).
type Summary struct {
	Requests, Failed                      int64
	Avg, P50, P95, P99, Max, RPS, ErrRate *float64
	Apdex                                 float64
	Queries                               int64
	AvgQ, P95Q                            *float64
	Slow                                  int64
	CPU, MemAvg, MemMax, Lag, Pool        *float64
	Score                                 float64
	Status                                string
}

// Ms converts microseconds to milliseconds (nil stays nil).
func Ms(us *float64) *float64 {
	if us == nil {
		return nil
	}
	v := *us / 1000
	return &v
}

func orZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
