package graphqlapi

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
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
	w, err := resolveWindow(r.now(), ra.TimeRange, ra.From, ra.To)
	if err != nil {
		return "", w, fmt.Errorf("%s: %w", field, err)
	}
	if err := charge(ctx, field, base, w); err != nil {
		return "", w, err
	}
	return tenant, w, nil
}

func (r *resolver) apdexMs() float64 {
	return float64(r.cfg.ApdexTarget) / float64(time.Millisecond)
}

// fingerprints are unsigned 64-bit values stored as signed bigint
func fpHex(v int64) string { return fmt.Sprintf("%016x", uint64(v)) }

func parseFingerprint(s string) (int64, error) {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "0x")
	if len(s) == 0 || len(s) > 16 {
		return 0, userErrorf("fingerprint %q must be 1 to 16 hex digits", s)
	}
	u, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, userErrorf("fingerprint %q is not hexadecimal", s)
	}
	return int64(u), nil
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

// ---------------------------------------------------------------------------------------
// performanceOverview

type PerformanceOverview struct {
	HealthScore               float64
	Status                    string
	Apdex                     float64
	AvgResponseTimeMs         float64
	P50ResponseTimeMs         float64
	P95ResponseTimeMs         float64
	P99ResponseTimeMs         float64
	MaxResponseTimeMs         float64
	TotalRequests             float64
	FailedRequests            float64
	RequestsPerSecond         float64
	ErrorRate                 float64
	TotalQueries              float64
	AvgQueryTimeMs            float64
	P95QueryTimeMs            float64
	SlowQueryCount            int32
	ConnectionPoolUtilization float64
	AvgCpuUsagePercent        float64
	AvgMemoryUsageMB          float64
	MaxMemoryUsageMB          float64
	AvgEventLoopLagMs         float64
	PerformanceTrend          string
	PreviousHealthScore       *float64
	TopBottlenecks            []*PerformanceBottleneck
	RangeFrom                 DateTime
	RangeTo                   DateTime
}

type PerformanceBottleneck struct {
	Type              string
	Severity          string
	Description       string
	Impact            string
	Recommendation    string
	AffectedEndpoints []string
	RecommendationId  *string // issue 6
	Fingerprints      []string
	ExampleTraceIds   []string
}

// summaryAndPrev is summary of w and of the equal period before (one statement for both
// when all services are read).
func (r *resolver) summaryAndPrev(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32) (cur, prev rollup.Summary, err error) {
	if svc == nil {
		s, err := rollup.Summaries(ctx, tx, tid, r.apdexMs(), r.now(), w, w.Prev())
		if err != nil {
			return cur, prev, err
		}
		return s[0], s[1], nil
	}
	if cur, err = r.summary(ctx, tx, tid, w, svc); err != nil {
		return cur, prev, err
	}
	prev, err = r.summary(ctx, tx, tid, w.Prev(), svc)
	return cur, prev, err
}

func (r *resolver) summary(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32) (rollup.Summary, error) {
	if svc == nil {
		// all services: the per-tenant rollups merged in Go (rollup_read.go), same formulas
		s, err := rollup.Summaries(ctx, tx, tid, r.apdexMs(), r.now(), w)
		if err != nil {
			return rollup.Summary{}, err
		}
		return s[0], nil
	}
	var s rollup.Summary
	var failedQ int64
	var rf, rt time.Time
	err := tx.QueryRow(ctx, `SELECT range_from, range_to, total_requests, failed_requests, avg_response_time_ms,
		p50_response_time_ms, p95_response_time_ms, p99_response_time_ms, max_response_time_ms, requests_per_second,
		error_rate, apdex, total_queries, failed_queries, avg_query_time_ms, p95_query_time_ms, slow_query_count,
		avg_cpu_usage_percent, avg_memory_usage_mb, max_memory_usage_mb, avg_event_loop_lag_ms,
		connection_pool_utilization, health_score, status
		FROM perf_summary_range($1, $2, $3, $4, $5)`, tid, w.From, w.To, r.apdexMs(), svc).Scan(
		&rf, &rt, &s.Requests, &s.Failed, &s.Avg, &s.P50, &s.P95, &s.P99, &s.Max, &s.RPS, &s.ErrRate, &s.Apdex,
		&s.Queries, &failedQ, &s.AvgQ, &s.P95Q, &s.Slow, &s.CPU, &s.MemAvg, &s.MemMax, &s.Lag, &s.Pool, &s.Score, &s.Status)
	return s, err
}

func trendOf(score, prevScore float64, prevRequests int64) string {
	d := score - prevScore
	switch {
	case prevRequests == 0:
		return "STABLE"
	case d <= -20 || (d <= -5 && score < 50):
		return "CRITICAL"
	case d <= -5:
		return "DEGRADING"
	case d >= 5:
		return "IMPROVING"
	}
	return "STABLE"
}

func (r *resolver) PerformanceOverview(ctx context.Context, args struct {
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
}) (*PerformanceOverview, error) {
	const op = "performanceOverview"
	tenant, w, err := r.begin(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	var out *PerformanceOverview
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		cur, prev, err := r.summaryAndPrev(ctx, tx, tid, w, svc)
		if err != nil {
			return err
		}
		o := &PerformanceOverview{
			HealthScore: cur.Score, Status: cur.Status, Apdex: cur.Apdex,
			AvgResponseTimeMs: f64(cur.Avg), P50ResponseTimeMs: f64(cur.P50), P95ResponseTimeMs: f64(cur.P95),
			P99ResponseTimeMs: f64(cur.P99), MaxResponseTimeMs: f64(cur.Max),
			TotalRequests: float64(cur.Requests), FailedRequests: float64(cur.Failed),
			RequestsPerSecond: f64(cur.RPS), ErrorRate: f64(cur.ErrRate),
			TotalQueries: float64(cur.Queries), AvgQueryTimeMs: f64(cur.AvgQ), P95QueryTimeMs: f64(cur.P95Q),
			SlowQueryCount:            i32(cur.Slow),
			ConnectionPoolUtilization: f64(cur.Pool), AvgCpuUsagePercent: f64(cur.CPU),
			AvgMemoryUsageMB: f64(cur.MemAvg), MaxMemoryUsageMB: f64(cur.MemMax), AvgEventLoopLagMs: f64(cur.Lag),
			PerformanceTrend: trendOf(cur.Score, prev.Score, prev.Requests),
			// Bottlenecks come from the optimization engine (issue 6), filled below.
			TopBottlenecks: []*PerformanceBottleneck{},
			RangeFrom:      DateTime{w.From}, RangeTo: DateTime{w.To},
		}
		if prev.Requests > 0 {
			ps := prev.Score
			o.PreviousHealthScore = &ps
		}
		if o.TopBottlenecks, err = topBottlenecks(ctx, tx, tid, w, args.Service); err != nil { // issue 6
			return err
		}
		out = o
		return nil
	})
	return out, publicError(ctx, r.logger, op, err)
}

// ---------------------------------------------------------------------------------------
// slowQueries, shared by endpointDetail.topQueries

type QueryPerformanceMetric struct {
	ID                   string
	QueryHash            string
	QueryPreview         string
	ExecutionTimeMs      int32
	RowsReturned         int32
	Endpoint             string
	Service              string
	Timestamp            DateTime
	OccurrenceCount      int32
	SlowCount            int32
	ErrorCount           int32
	AvgExecutionTimeMs   float64
	P50ExecutionTimeMs   float64
	P95ExecutionTimeMs   float64
	P99ExecutionTimeMs   float64
	MaxExecutionTimeMs   float64
	TotalExecutionTimeMs float64
	Summary              string
	NormalizedQuery      string
	Operation            string
	Collection           string
	DbSystem             string
}

// queryMetrics lists fingerprints of [w] with max execution >= thresholdUs, optionally only
// for the given endpoints, ordered by orderBy ("max" or "total"). It reads the rollup tables
// directly (rollup_read.go) in three steps: the candidate fingerprints (for "max", only the
// rows with max_us >= threshold, served by the (tenant_id, max_us) indexes of migration
// 00004), then the rows of the candidates only, summed and their histograms merged in Go,
// then the names of what is listed.
func (r *resolver) queryMetrics(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32,
	endpointIDs []int32, thresholdUs int64, limit int, orderBy string) ([]*QueryPerformanceMetric, error) {
	const daily, hourly = "perf_query_daily", "perf_query_hourly"
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
		sql, args := rollup.RangeUnion("fingerprint, endpoint_id, service_id, bucket, calls, errors, sum_us, max_us, rows_sum, rows_n, lat_idx, lat_cnt",
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
			if err := rows.Scan(&win, &k.fp, &k.ep, &k.svc, &bucket, &calls, &errs, &sumUs, &maxUs, &rowsSum, &rowsN, nil, nil); err != nil {
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
	type names struct{ a, b, c, d, e string }
	meta := map[[2]int64]names{}
	rows, err := tx.Query(ctx, `
		SELECT 0, fingerprint, summary, normalized_text, operation, collection, db_system
		  FROM query_fingerprints WHERE tenant_id = $1 AND fingerprint = ANY($2)
		UNION ALL
		SELECT 1, endpoint_id, method, route, '', '', '' FROM perf_endpoints WHERE tenant_id = $1 AND endpoint_id = ANY($3::bigint[])
		UNION ALL
		SELECT 2, service_id, name, '', '', '', '' FROM perf_services WHERE tenant_id = $1 AND service_id = ANY($4::bigint[])`,
		tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var kind, id int64
		var n names
		if err := rows.Scan(&kind, &id, &n.a, &n.b, &n.c, &n.d, &n.e); err != nil {
			rows.Close()
			return nil, err
		}
		meta[[2]int64{kind, id}] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
		if a.calls > 0 {
			m.AvgExecutionTimeMs = float64(a.sumUs) / 1000 / float64(a.calls)
		}
		q := a.h.Quantiles(0.5, 0.95, 0.99)
		m.P50ExecutionTimeMs, m.P95ExecutionTimeMs, m.P99ExecutionTimeMs = f64(q[0])/1000, f64(q[1])/1000, f64(q[2])/1000
		m.MaxExecutionTimeMs = float64(a.maxUs) / 1000
		m.TotalExecutionTimeMs = float64(a.sumUs) / 1000
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
	tenant, w, err := r.begin(ctx, op, 2, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	limit, err := capLimit(op, args.Limit, 100, r.cfg.Limits.MaxLimit)
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

// ---------------------------------------------------------------------------------------
// endpointMetrics

type EndpointMetric struct {
	Endpoint             string
	Method               string
	Route                string
	Service              string
	SpanKind             string
	TotalRequests        int32
	SuccessfulRequests   int32
	FailedRequests       int32
	ClientErrors         int32
	ServerErrors         int32
	ErrorRate            float64
	RequestsPerSecond    float64
	AvgResponseTimeMs    float64
	P50ResponseTimeMs    float64
	P95ResponseTimeMs    float64
	P99ResponseTimeMs    float64
	MaxResponseTimeMs    float64
	AvgRequestSizeBytes  *float64
	AvgResponseSizeBytes *float64
	Trend                string

	ids []int32
}

type endpointSel struct {
	id                           int32
	method, route, kind, service string
}

// selectEndpoints returns the tenant's endpoints matching the filters.
func selectEndpoints(ctx context.Context, tx pgx.Tx, tid int32, endpoint, service *string) ([]endpointSel, error) {
	rows, err := tx.Query(ctx, `SELECT e.endpoint_id, e.method, e.route, e.span_kind, s.name
		FROM perf_endpoints e JOIN perf_services s ON s.tenant_id = e.tenant_id AND s.service_id = e.service_id
		WHERE e.tenant_id = $1 AND ($2::text IS NULL OR e.route = $2 OR e.method || ' ' || e.route = $2)
		  AND ($3::text IS NULL OR s.name = $3)
		ORDER BY e.endpoint_id`, tid, endpoint, service)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (endpointSel, error) {
		var e endpointSel
		err := row.Scan(&e.id, &e.method, &e.route, &e.kind, &e.service)
		return e, err
	})
}

type endpointAgg struct {
	requests, errors, s4, s5, sumUs, maxUs, rqs, rqn, rss, rsn int64
	q                                                          []*float64
}

// endpointAggs aggregates the endpoint rollups of each window of ws per key (groupAll: one
// key 0 for all), in one statement. Rows are summed and their histograms merged in Go (rollup.Hist),
// from the packed histogram (migrations 00004 and 00006) unless it is absent (a count beyond
// int4): the arrays are then read. (Summing in SQL with string_agg of the packed histograms
// sent fewer rows but took 20x longer in PostgreSQL: it detoasts the arrays it carries.)
func endpointAggs(ctx context.Context, tx pgx.Tx, tid int32, ws []rollup.Window, ids []int32, groupAll bool) ([]map[int32]*endpointAgg, error) {
	ss, err := rollup.Splits(ctx, tx, tid, ws...)
	if err != nil {
		return nil, err
	}
	// a long id list (every endpoint of the tenant) is filtered here rather than probed in SQL
	where, extra := "endpoint_id = ANY($2)", []any{ids}
	want := map[int32]bool{}
	if len(ids) > 32 {
		where, extra = "", nil
		for _, id := range ids {
			want[id] = true
		}
	}
	const cols = `endpoint_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, req_bytes_sum, req_bytes_n,
		resp_bytes_sum, resp_bytes_n, CASE WHEN lat_pack IS NULL THEN lat_idx END, CASE WHEN lat_pack IS NULL THEN lat_cnt END, lat_pack`
	sql, args := rollup.RangeUnion(cols, "perf_endpoint_daily", "perf_endpoint_hourly", "bucket", where, tid, extra, ss)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct{ win, k int32 }
	out := make([]map[int32]*endpointAgg, len(ws))
	for i := range out {
		out[i] = map[int32]*endpointAgg{}
	}
	hists := map[key]*rollup.Hist{}
	for rows.Next() {
		var win, k int32
		var v endpointAgg
		var iv [12]int64
		if rollup.RawInts(rows, iv[:]) {
			win, k = int32(iv[0]), int32(iv[1])
			v.requests, v.errors, v.s4, v.s5, v.sumUs, v.maxUs = iv[2], iv[3], iv[4], iv[5], iv[6], iv[7]
			v.rqs, v.rqn, v.rss, v.rsn = iv[8], iv[9], iv[10], iv[11]
		} else if err := rows.Scan(&win, &k, &v.requests, &v.errors, &v.s4, &v.s5, &v.sumUs, &v.maxUs, &v.rqs, &v.rqn, &v.rss, &v.rsn, nil, nil, nil); err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[k] {
			continue
		}
		if groupAll {
			k = 0
		}
		a := out[win][k]
		if a == nil {
			a = &endpointAgg{}
			out[win][k] = a
			hists[key{win, k}] = &rollup.Hist{}
		}
		a.requests += v.requests
		a.errors += v.errors
		a.s4 += v.s4
		a.s5 += v.s5
		a.sumUs += v.sumUs
		a.maxUs = max(a.maxUs, v.maxUs)
		a.rqs += v.rqs
		a.rqn += v.rqn
		a.rss += v.rss
		a.rsn += v.rsn
		if err := hists[key{win, k}].AddPackedOrColumns(rows, 14, 12, 13); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for win, m := range out {
		for k, a := range m {
			if h := hists[key{int32(win), k}]; h.Count() > 0 {
				a.q = h.Quantiles(0.5, 0.95, 0.99)
			}
		}
	}
	for _, h := range hists {
		h.Release()
	}
	return out, nil
}

// endpointTrend compares p95 and error rate with the previous period.
func endpointTrend(cur, prev *endpointAgg) string {
	if prev == nil || prev.requests == 0 || cur == nil || cur.requests == 0 {
		return "STABLE"
	}
	ratio := 1.0
	if len(cur.q) == 3 && len(prev.q) == 3 && f64(prev.q[1]) > 0 {
		ratio = f64(cur.q[1]) / f64(prev.q[1])
	}
	dErr := float64(cur.errors)/float64(cur.requests) - float64(prev.errors)/float64(prev.requests)
	switch {
	case ratio >= 2 || dErr >= 0.10:
		return "CRITICAL"
	case ratio >= 1.2 || dErr >= 0.02:
		return "DEGRADING"
	case ratio <= 0.8 && dErr <= 0:
		return "IMPROVING"
	}
	return "STABLE"
}

func fillEndpointMetric(m *EndpointMetric, a, prev *endpointAgg, w rollup.Window, now time.Time) {
	m.Trend = endpointTrend(a, prev)
	if a == nil {
		return
	}
	m.TotalRequests, m.FailedRequests = i32(a.requests), i32(a.errors)
	m.SuccessfulRequests = i32(a.requests - a.errors)
	m.ClientErrors, m.ServerErrors = i32(a.s4), i32(a.s5)
	if a.requests > 0 {
		m.ErrorRate = float64(a.errors) / float64(a.requests)
		m.AvgResponseTimeMs = float64(a.sumUs) / 1000 / float64(a.requests)
	}
	end := w.To
	if now.Before(end) {
		end = now
	}
	if secs := end.Sub(w.From).Seconds(); secs > 0 {
		m.RequestsPerSecond = float64(a.requests) / secs
	}
	if len(a.q) == 3 {
		m.P50ResponseTimeMs, m.P95ResponseTimeMs, m.P99ResponseTimeMs = f64(a.q[0])/1000, f64(a.q[1])/1000, f64(a.q[2])/1000
	}
	m.MaxResponseTimeMs = float64(a.maxUs) / 1000
	if a.rqn > 0 {
		v := float64(a.rqs) / float64(a.rqn)
		m.AvgRequestSizeBytes = &v
	}
	if a.rsn > 0 {
		v := float64(a.rss) / float64(a.rsn)
		m.AvgResponseSizeBytes = &v
	}
}

func (r *resolver) EndpointMetrics(ctx context.Context, args struct {
	Endpoint  *string
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Limit     *int32
}) ([]*EndpointMetric, error) {
	const op = "endpointMetrics"
	tenant, w, err := r.begin(ctx, op, 2, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	limit, err := capLimit(op, args.Limit, r.cfg.Limits.MaxLimit, r.cfg.Limits.MaxLimit)
	if err != nil {
		return nil, err
	}
	out := []*EndpointMetric{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		sel, err := selectEndpoints(ctx, tx, tid, args.Endpoint, args.Service)
		if err != nil || len(sel) == 0 {
			return err
		}
		ids := make([]int32, len(sel))
		for i, e := range sel {
			ids[i] = e.id
		}
		// the previous period only serves the trend: not read when trend is not asked for
		ws := []rollup.Window{w}
		if hasSelectedField(ctx, "trend") {
			ws = append(ws, w.Prev())
		}
		aggs, err := endpointAggs(ctx, tx, tid, ws, ids, false)
		if err != nil {
			return err
		}
		cur, prev := aggs[0], map[int32]*endpointAgg(nil)
		if len(aggs) > 1 {
			prev = aggs[1]
		}
		for _, e := range sel {
			a := cur[e.id]
			if a == nil || a.requests == 0 {
				continue
			}
			m := &EndpointMetric{Endpoint: endpointName(e.method, e.route), Method: e.method, Route: e.route,
				Service: e.service, SpanKind: e.kind}
			fillEndpointMetric(m, a, prev[e.id], w, r.now())
			out = append(out, m)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].TotalRequests > out[j].TotalRequests })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, publicError(ctx, r.logger, op, err)
}

// ---------------------------------------------------------------------------------------
// resourceUtilization

type ResourceMetric struct {
	Timestamp          DateTime
	CpuUsagePercent    *float64
	MaxCpuUsagePercent *float64
	MemoryUsedMB       *float64
	MaxMemoryUsedMB    *float64
	MemoryTotalMB      *float64
	HeapUsedMB         *float64
	HeapTotalMB        *float64
	EventLoopLagMs     *float64
	ActiveConnections  *float64
	Instances          int32
}

func (r *resolver) ResourceUtilization(ctx context.Context, args struct {
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Interval  *string
}) ([]*ResourceMetric, error) {
	const op = "resourceUtilization"
	tenant, w, err := r.begin(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	def := 5 * time.Minute
	if w.Hours() > 48 {
		def = time.Hour
	}
	iv, err := resolveInterval(args.Interval, w, time.Minute, def, r.cfg.Limits.MaxPoints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := []*ResourceMetric{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		var q string
		if iv < time.Hour { // minute samples
			q = `SELECT date_bin($4::interval, m.ts, '2000-01-01 00:00:00+00') b,
			        avg(cpu_usage_percent), max(cpu_usage_percent),
			        avg(memory_used_bytes) / 1048576.0, max(memory_used_bytes) / 1048576.0, max(memory_total_bytes) / 1048576.0,
			        avg(heap_used_bytes) / 1048576.0, max(heap_total_bytes) / 1048576.0,
			        avg(event_loop_lag_ms), avg(active_connections), count(DISTINCT m.instance_id)
			    FROM system_resource_metrics m
			    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
			    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($5::integer IS NULL OR i.service_id = $5)
			    GROUP BY 1 ORDER BY 1`
		} else { // hourly rollups
			q = `SELECT date_bin($4::interval, bucket, '2000-01-01 00:00:00+00') b,
			        sum(cpu_sum) / nullif(sum(cpu_n), 0), max(cpu_max),
			        sum(mem_sum) / nullif(sum(mem_n), 0) / 1048576.0, max(mem_max) / 1048576.0, max(mem_total_max) / 1048576.0,
			        sum(heap_sum) / nullif(sum(heap_n), 0) / 1048576.0, max(heap_total_max) / 1048576.0,
			        sum(lag_sum) / nullif(sum(lag_n), 0), sum(conn_sum) / nullif(sum(conn_n), 0), count(DISTINCT instance_id)
			    FROM perf_resource_hourly
			    WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($5::integer IS NULL OR service_id = $5)
			    GROUP BY 1 ORDER BY 1`
		}
		rows, err := tx.Query(ctx, q, tid, w.From, w.To, iv, svc)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := &ResourceMetric{}
			var ts time.Time
			var n int64
			if err := rows.Scan(&ts, &m.CpuUsagePercent, &m.MaxCpuUsagePercent, &m.MemoryUsedMB, &m.MaxMemoryUsedMB,
				&m.MemoryTotalMB, &m.HeapUsedMB, &m.HeapTotalMB, &m.EventLoopLagMs, &m.ActiveConnections, &n); err != nil {
				return err
			}
			m.Timestamp, m.Instances = DateTime{ts}, i32(n)
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, publicError(ctx, r.logger, op, err)
}

// ---------------------------------------------------------------------------------------
// databasePoolMetrics

type DatabasePoolMetrics struct {
	CurrentConnections     int32
	IdleConnections        int32
	MaxConnections         int32
	PendingRequests        int32
	UtilizationPercent     float64
	AvgUtilizationPercent  *float64
	PeakUtilizationPercent *float64
	AvgWaitTimeMs          *float64
	MaxWaitTimeMs          *float64
	Pools                  []*PoolMetric
	UtilizationHistory     []*PoolUtilizationPoint
}

type PoolMetric struct {
	Service                string
	Instance               string
	PoolName               string
	AvgUsed                *float64
	MaxUsed                *float64
	AvgIdle                *float64
	MaxConnections         *float64
	AvgUtilizationPercent  *float64
	PeakUtilizationPercent *float64
	MaxPendingRequests     *float64
	AvgWaitTimeMs          *float64
}

type PoolUtilizationPoint struct {
	Timestamp          DateTime
	UtilizationPercent *float64
	ActiveConnections  *float64
	IdleConnections    *float64
	PendingRequests    *float64
	WaitTimeMs         *float64
}

func (r *resolver) DatabasePoolMetrics(ctx context.Context, args struct {
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
}) (*DatabasePoolMetrics, error) {
	const op = "databasePoolMetrics"
	tenant, w, err := r.begin(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	out := &DatabasePoolMetrics{Pools: []*PoolMetric{}, UtilizationHistory: []*PoolUtilizationPoint{}}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		// current: the latest sample of each instance and pool within the last hour of the range
		end := w.To
		if now := r.now(); now.Before(end) {
			end = now
		}
		var used, idle, mx, pending int64
		err = tx.QueryRow(ctx, `SELECT coalesce(sum(used), 0)::bigint, coalesce(sum(idle), 0)::bigint,
			coalesce(sum(max), 0)::bigint, coalesce(sum(pending_requests), 0)::bigint FROM (
				SELECT DISTINCT ON (m.instance_id, m.pool_name) m.used, m.idle, m.max, m.pending_requests
				FROM db_pool_metrics m LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
				WHERE m.tenant_id = $1 AND m.ts >= greatest($2::timestamptz, $3::timestamptz - interval '1 hour') AND m.ts < $4::timestamptz
				  AND ($5::integer IS NULL OR i.service_id = $5)
				ORDER BY m.instance_id, m.pool_name, m.ts DESC) x`, tid, w.From, end, w.To, svc).Scan(&used, &idle, &mx, &pending)
		if err != nil {
			return err
		}
		out.CurrentConnections, out.IdleConnections, out.MaxConnections, out.PendingRequests = i32(used), i32(idle), i32(mx), i32(pending)
		if mx > 0 {
			out.UtilizationPercent = 100 * float64(used) / float64(mx)
		}
		err = tx.QueryRow(ctx, `SELECT sum(util_sum) / nullif(sum(util_n), 0), max(util_max),
			sum(wait_sum) / nullif(sum(wait_n), 0), max(wait_max)
			FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR service_id = $4)`,
			tid, w.From, w.To, svc).Scan(&out.AvgUtilizationPercent, &out.PeakUtilizationPercent, &out.AvgWaitTimeMs, &out.MaxWaitTimeMs)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT coalesce(s.name, ''), coalesce(i.host_name || '/' || i.service_instance_id, ''), p.pool_name,
			sum(used_sum) / nullif(sum(used_n), 0), max(used_max), sum(idle_sum) / nullif(sum(idle_n), 0), max(max_max),
			sum(util_sum) / nullif(sum(util_n), 0), max(util_max), max(pending_max), sum(wait_sum) / nullif(sum(wait_n), 0)
			FROM perf_pool_hourly p
			LEFT JOIN perf_instances i ON i.tenant_id = p.tenant_id AND i.instance_id = p.instance_id
			LEFT JOIN perf_services s ON s.tenant_id = p.tenant_id AND s.service_id = p.service_id
			WHERE p.tenant_id = $1 AND p.bucket >= $2 AND p.bucket < $3 AND ($4::integer IS NULL OR p.service_id = $4)
			GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT $5`, tid, w.From, w.To, svc, r.cfg.Limits.MaxLimit)
		if err != nil {
			return err
		}
		for rows.Next() {
			p := &PoolMetric{}
			if err := rows.Scan(&p.Service, &p.Instance, &p.PoolName, &p.AvgUsed, &p.MaxUsed, &p.AvgIdle, &p.MaxConnections,
				&p.AvgUtilizationPercent, &p.PeakUtilizationPercent, &p.MaxPendingRequests, &p.AvgWaitTimeMs); err != nil {
				rows.Close()
				return err
			}
			out.Pools = append(out.Pools, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// hourly history; used/idle/pending are summed over instances and pools
		rows, err = tx.Query(ctx, `SELECT bucket, sum(util_sum) / nullif(sum(util_n), 0),
			sum(used_sum / nullif(used_n, 0)), sum(idle_sum / nullif(idle_n, 0)), sum(pending_sum / nullif(pending_n, 0)),
			sum(wait_sum) / nullif(sum(wait_n), 0)
			FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR service_id = $4)
			GROUP BY bucket ORDER BY bucket`, tid, w.From, w.To, svc)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := &PoolUtilizationPoint{}
			var ts time.Time
			if err := rows.Scan(&ts, &p.UtilizationPercent, &p.ActiveConnections, &p.IdleConnections, &p.PendingRequests, &p.WaitTimeMs); err != nil {
				return err
			}
			p.Timestamp = DateTime{ts}
			out.UtilizationHistory = append(out.UtilizationHistory, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------
// recommendations

type Recommendation struct {
	ID                string
	Category          string
	Priority          string
	Title             string
	Description       string
	Impact            string
	Effort            string
	Recommendation    string
	Implementation    string
	EstimatedSavings  string
	AffectedEndpoints []string
	Evidence          string
	FirstDetected     DateTime
	LastDetected      DateTime
	// optimization engine (issue 6)
	Kind            string
	Status          string
	ResolvedAt      *DateTime
	Fingerprints    []string
	ExampleTraceIds []string
	Figures         []*EvidenceFigure
	Rule            string
	Statement       *string
	Validation      *IndexValidation
}

var priorityRank = map[string]int{"LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}

func (r *resolver) Recommendations(ctx context.Context, args struct {
	TimeRange   *string
	From        *DateTime
	To          *DateTime
	Category    *string
	MinPriority *string
	Limit       *int32
}) ([]*Recommendation, error) {
	const op = "recommendations"
	tenant, w, err := r.begin(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	limit, err := capLimit(op, args.Limit, 100, r.cfg.Limits.MaxLimit)
	if err != nil {
		return nil, err
	}
	minRank := 1
	if args.MinPriority != nil {
		minRank = priorityRank[*args.MinPriority]
	}
	out := []*Recommendation{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		rows, err := tx.Query(ctx, `SELECT id, category, priority, title, description, impact, effort, recommendation,
			implementation, estimated_savings, affected_endpoints, evidence::text, first_detected, last_detected,
			kind, status, resolved_at, runs
			FROM perf_recommendations
			WHERE tenant_id = $1 AND last_detected >= $2 AND first_detected < $3 AND ($4::text IS NULL OR category = $4)
			  AND CASE priority WHEN 'CRITICAL' THEN 4 WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END >= $5
			ORDER BY CASE priority WHEN 'CRITICAL' THEN 4 WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END DESC, last_detected DESC, id
			LIMIT $6`, tid, w.From, w.To, args.Category, minRank, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			x := &Recommendation{}
			var id string
			var first, last time.Time
			var resolved *time.Time
			var runs int32
			if err := rows.Scan(&id, &x.Category, &x.Priority, &x.Title, &x.Description, &x.Impact, &x.Effort, &x.Recommendation,
				&x.Implementation, &x.EstimatedSavings, &x.AffectedEndpoints, &x.Evidence, &first, &last,
				&x.Kind, &x.Status, &resolved, &runs); err != nil {
				return err
			}
			fillRecommendation(x, resolved, runs) // issue 6
			if _, ok := priorityRank[x.Priority]; !ok {
				x.Priority = "LOW"
			}
			x.ID, x.FirstDetected, x.LastDetected = string(id), DateTime{first}, DateTime{last}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, publicError(ctx, r.logger, op, err)
}

// ---------------------------------------------------------------------------------------
// time series of hourly rollups, shared by the detail queries

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

func detailInterval(arg *string, w rollup.Window, maxPoints int) (time.Duration, error) {
	def := time.Hour
	if w.Hours() > 48 {
		def = 24 * time.Hour
	}
	return resolveInterval(arg, w, time.Hour, def, maxPoints)
}

// ---------------------------------------------------------------------------------------
// queryDetail

type EndpointShare struct {
	Endpoint    string
	Service     string
	Count       int32
	TotalTimeMs float64
}

type QueryDetail struct {
	QueryHash            string
	Summary              string
	Operation            string
	Collection           string
	DbSystem             string
	NormalizedQuery      string
	FirstSeen            DateTime
	LastSeen             DateTime
	TotalCalls           int32
	ErrorCount           int32
	AvgExecutionTimeMs   float64
	P50ExecutionTimeMs   float64
	P95ExecutionTimeMs   float64
	P99ExecutionTimeMs   float64
	MaxExecutionTimeMs   float64
	TotalExecutionTimeMs float64
	AvgRowsReturned      *float64
	Endpoints            []*EndpointShare
	TimeSeries           []*TimePoint
}

func (r *resolver) QueryDetail(ctx context.Context, args struct {
	Fingerprint string
	Service     *string
	TimeRange   *string
	From        *DateTime
	To          *DateTime
	Interval    *string
}) (*QueryDetail, error) {
	const op = "queryDetail"
	fp, err := parseFingerprint(args.Fingerprint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	tenant, w, err := r.begin(ctx, op, 3, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	iv, err := detailInterval(args.Interval, w, r.cfg.Limits.MaxPoints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out *QueryDetail
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		d := &QueryDetail{QueryHash: fpHex(fp), Endpoints: []*EndpointShare{}}
		var first, last time.Time
		err := tx.QueryRow(ctx, `SELECT summary, operation, collection, db_system, normalized_text, first_seen, last_seen
			FROM query_fingerprints WHERE tenant_id = $1 AND fingerprint = $2`, tid, fp).
			Scan(&d.Summary, &d.Operation, &d.Collection, &d.DbSystem, &d.NormalizedQuery, &first, &last)
		if err == pgx.ErrNoRows {
			return nil // unknown in this tenant: null
		}
		if err != nil {
			return err
		}
		d.FirstSeen, d.LastSeen = DateTime{first}, DateTime{last}
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		var calls, errs, su, mx, rs, rn int64
		var q []*float64
		err = tx.QueryRow(ctx, `
			WITH r AS MATERIALIZED (SELECT * FROM perf_query_range($1, $2, $3) WHERE fingerprint = $4 AND ($5::integer IS NULL OR service_id = $5)),
			h AS (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1)
			SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(errors), 0)::bigint, coalesce(sum(sum_us), 0)::bigint,
			       coalesce(max(max_us), 0)::bigint, coalesce(sum(rows_sum), 0)::bigint, coalesce(sum(rows_n), 0)::bigint,
			       (SELECT perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}') FROM h)
			FROM r`, tid, w.From, w.To, fp, svc).Scan(&calls, &errs, &su, &mx, &rs, &rn, &q)
		if err != nil {
			return err
		}
		d.TotalCalls, d.ErrorCount = i32(calls), i32(errs)
		if calls > 0 {
			d.AvgExecutionTimeMs = float64(su) / 1000 / float64(calls)
		}
		if len(q) == 3 {
			d.P50ExecutionTimeMs, d.P95ExecutionTimeMs, d.P99ExecutionTimeMs = f64(q[0])/1000, f64(q[1])/1000, f64(q[2])/1000
		}
		d.MaxExecutionTimeMs, d.TotalExecutionTimeMs = float64(mx)/1000, float64(su)/1000
		if rn > 0 {
			v := float64(rs) / float64(rn)
			d.AvgRowsReturned = &v
		}
		rows, err := tx.Query(ctx, `SELECT coalesce(e.method, ''), coalesce(e.route, ''), coalesce(s.name, ''), sum(r.calls)::bigint, sum(r.sum_us)::bigint
			FROM perf_query_range($1, $2, $3) r
			LEFT JOIN perf_endpoints e ON e.tenant_id = r.tenant_id AND e.endpoint_id = r.endpoint_id
			LEFT JOIN perf_services s ON s.tenant_id = r.tenant_id AND s.service_id = r.service_id
			WHERE r.fingerprint = $4 AND ($5::integer IS NULL OR r.service_id = $5)
			GROUP BY 1, 2, 3 ORDER BY 5 DESC LIMIT $6`, tid, w.From, w.To, fp, svc, r.cfg.Limits.MaxLimit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var method, route string
			var n, t int64
			s := &EndpointShare{}
			if err := rows.Scan(&method, &route, &s.Service, &n, &t); err != nil {
				rows.Close()
				return err
			}
			if route != "" {
				s.Endpoint = endpointName(method, route)
			}
			s.Count, s.TotalTimeMs = i32(n), float64(t)/1000
			d.Endpoints = append(d.Endpoints, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		where := "fingerprint = $5"
		if svc != nil { // the series of one service (an integer id, safe to inline)
			where += fmt.Sprintf(" AND service_id = %d", *svc)
		}
		d.TimeSeries, err = series(ctx, tx, "perf_query_hourly", "calls", where, tid, w, iv, fp)
		if err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------
// endpointDetail

type EndpointDetail struct {
	Metric     *EndpointMetric
	TopQueries []*QueryPerformanceMetric
	TimeSeries []*TimePoint
}

func (r *resolver) EndpointDetail(ctx context.Context, args struct {
	Endpoint  string
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Interval  *string
}) (*EndpointDetail, error) {
	const op = "endpointDetail"
	if strings.TrimSpace(args.Endpoint) == "" {
		return nil, userErrorf("%s: endpoint must not be empty", op)
	}
	tenant, w, err := r.begin(ctx, op, 3, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	iv, err := detailInterval(args.Interval, w, r.cfg.Limits.MaxPoints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out *EndpointDetail
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		sel, err := selectEndpoints(ctx, tx, tid, &args.Endpoint, args.Service)
		if err != nil || len(sel) == 0 {
			return err // unknown in this tenant: null
		}
		ids := make([]int32, len(sel))
		services := map[string]bool{}
		var svcNames []string
		for i, e := range sel {
			ids[i] = e.id
			if !services[e.service] {
				services[e.service] = true
				svcNames = append(svcNames, e.service)
			}
		}
		m := &EndpointMetric{Endpoint: endpointName(sel[0].method, sel[0].route), Method: sel[0].method,
			Route: sel[0].route, SpanKind: sel[0].kind, Service: strings.Join(svcNames, ",")}
		aggs, err := endpointAggs(ctx, tx, tid, []rollup.Window{w, w.Prev()}, ids, true)
		if err != nil {
			return err
		}
		cur, prev := aggs[0], aggs[1]
		fillEndpointMetric(m, cur[0], prev[0], w, r.now())
		d := &EndpointDetail{Metric: m}
		d.TopQueries, err = r.queryMetrics(ctx, tx, tid, w, nil, ids, 0, 20, "total")
		if err != nil {
			return err
		}
		d.TimeSeries, err = series(ctx, tx, "perf_endpoint_hourly", "requests", "endpoint_id = ANY($5)", tid, w, iv, ids)
		if err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------
// optimization engine output (issue 6): evidence fields and topBottlenecks

type EvidenceFigure struct {
	Name  string
	Value float64
	Unit  string
}

type IndexValidation struct {
	Status      string
	Message     string
	Index       *string
	DbNamespace *string
	CostBefore  *float64
	CostAfter   *float64
	IndexUsed   bool
	PlanBefore  *string
	PlanAfter   *string
}

var bottleneckTypes = map[string]bool{"SLOW_QUERY": true, "N_PLUS_ONE": true, "HIGH_CPU": true, "MEMORY_LEAK": true,
	"EVENT_LOOP_LAG": true, "CONNECTION_POOL": true, "HIGH_ERROR_RATE": true, "SLOW_ENDPOINT": true}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// fillRecommendation derives the typed evidence fields and the status from a stored row.
func fillRecommendation(x *Recommendation, resolved *time.Time, runs int32) {
	var ev optimizer.Evidence
	_ = json.Unmarshal([]byte(x.Evidence), &ev) // rows written before issue 6 may hold any JSON
	x.Fingerprints, x.ExampleTraceIds, x.Rule = nonNil(ev.Fingerprints), nonNil(ev.ExampleTraceIDs), ev.Rule
	x.Statement = strPtr(ev.Statement)
	x.Figures = make([]*EvidenceFigure, 0, len(ev.Figures))
	for _, f := range ev.Figures {
		x.Figures = append(x.Figures, &EvidenceFigure{Name: f.Name, Value: f.Value, Unit: f.Unit})
	}
	if v := ev.Validation; v != nil {
		x.Validation = &IndexValidation{Status: v.Status, Message: v.Message, Index: strPtr(v.Index), DbNamespace: strPtr(v.DBNamespace),
			CostBefore: v.CostBefore, CostAfter: v.CostAfter, IndexUsed: v.IndexUsed, PlanBefore: strPtr(v.PlanBefore), PlanAfter: strPtr(v.PlanAfter)}
	}
	if !bottleneckTypes[x.Kind] {
		x.Kind = map[string]string{"QUERY": "SLOW_QUERY", "CODE": "N_PLUS_ONE", "CACHE": "SLOW_ENDPOINT", "POOL": "CONNECTION_POOL",
			"ERROR": "HIGH_ERROR_RATE"}[x.Category]
		if x.Kind == "" {
			x.Kind = "SLOW_ENDPOINT"
		}
	}
	switch {
	case x.Status == "RESOLVED":
		x.Status = "RESOLVED"
		if resolved != nil {
			x.ResolvedAt = &DateTime{*resolved}
		}
	case runs <= 1:
		x.Status = "NEW"
	default:
		x.Status = "ONGOING"
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// topBottlenecks: the 5 worst ACTIVE recommendations reported during the window; with a
// service, only those whose evidence names that service (optimizer.Evidence.Services).
func topBottlenecks(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, service *string) ([]*PerformanceBottleneck, error) {
	rows, err := tx.Query(ctx, `SELECT id, category, kind, priority, title, description, impact, recommendation, affected_endpoints, evidence::text
		FROM perf_recommendations
		WHERE tenant_id = $1 AND status = 'ACTIVE' AND last_detected >= $2 AND first_detected < $3
		  AND ($4::text IS NULL OR evidence->'services' ? $4::text)
		ORDER BY array_position(ARRAY['LOW','MEDIUM','HIGH','CRITICAL'], priority) DESC NULLS LAST, score DESC, id
		LIMIT 5`, tid, w.From, w.To, service)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*PerformanceBottleneck{}
	for rows.Next() {
		var id, category, title, evidence string
		x := &PerformanceBottleneck{}
		if err := rows.Scan(&id, &category, &x.Type, &x.Severity, &title, &x.Description, &x.Impact, &x.Recommendation,
			&x.AffectedEndpoints, &evidence); err != nil {
			return nil, err
		}
		rec := &Recommendation{Category: category, Kind: x.Type, Evidence: evidence}
		fillRecommendation(rec, nil, 2)
		x.Type = rec.Kind
		if _, ok := priorityRank[x.Severity]; !ok {
			x.Severity = "LOW"
		}
		x.Description = title + ": " + x.Description
		gid := string(id)
		x.RecommendationId, x.Fingerprints, x.ExampleTraceIds = &gid, rec.Fingerprints, rec.ExampleTraceIds
		x.AffectedEndpoints = nonNil(x.AffectedEndpoints)
		out = append(out, x)
	}
	return out, rows.Err()
}
