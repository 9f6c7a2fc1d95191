package perfgraphqlext

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/graph-gophers/graphql-go"
	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
)

// resolver is the root of the GraphQL schema (schema.graphql).
type resolver struct {
	st     *store
	cfg    *Config
	logger *zap.Logger
	now    func() time.Time
}

type rangeArgs struct {
	TimeRange *string
	From      *DateTime
	To        *DateTime
}

// begin checks the tenant, resolves the window and charges the request's budget.
func (r *resolver) begin(ctx context.Context, field string, base int, ra rangeArgs) (string, timeWindow, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return "", timeWindow{}, userErrorf("unauthenticated")
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
	return float64(r.cfg.Health.ApdexTarget) / float64(time.Millisecond)
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
}

type summaryRow struct {
	requests, failed                      int64
	avg, p50, p95, p99, max, rps, errRate *float64
	apdex                                 float64
	queries                               int64
	avgQ, p95Q                            *float64
	slow                                  int64
	cpu, memAvg, memMax, lag, pool        *float64
	score                                 float64
	status                                string
}

func (r *resolver) summary(ctx context.Context, tx pgx.Tx, tid int16, w timeWindow, svc *int32) (summaryRow, error) {
	var s summaryRow
	var failedQ int64
	var rf, rt time.Time
	err := tx.QueryRow(ctx, `SELECT range_from, range_to, total_requests, failed_requests, avg_response_time_ms,
		p50_response_time_ms, p95_response_time_ms, p99_response_time_ms, max_response_time_ms, requests_per_second,
		error_rate, apdex, total_queries, failed_queries, avg_query_time_ms, p95_query_time_ms, slow_query_count,
		avg_cpu_usage_percent, avg_memory_usage_mb, max_memory_usage_mb, avg_event_loop_lag_ms,
		connection_pool_utilization, health_score, status
		FROM perf_summary_range($1, $2, $3, $4, $5)`, tid, w.From, w.To, r.apdexMs(), svc).Scan(
		&rf, &rt, &s.requests, &s.failed, &s.avg, &s.p50, &s.p95, &s.p99, &s.max, &s.rps, &s.errRate, &s.apdex,
		&s.queries, &failedQ, &s.avgQ, &s.p95Q, &s.slow, &s.cpu, &s.memAvg, &s.memMax, &s.lag, &s.pool, &s.score, &s.status)
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		svc, err := serviceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		cur, err := r.summary(ctx, tx, tid, w, svc)
		if err != nil {
			return err
		}
		prev, err := r.summary(ctx, tx, tid, w.Prev(), svc)
		if err != nil {
			return err
		}
		o := &PerformanceOverview{
			HealthScore: cur.score, Status: cur.status, Apdex: cur.apdex,
			AvgResponseTimeMs: f64(cur.avg), P50ResponseTimeMs: f64(cur.p50), P95ResponseTimeMs: f64(cur.p95),
			P99ResponseTimeMs: f64(cur.p99), MaxResponseTimeMs: f64(cur.max),
			TotalRequests: float64(cur.requests), FailedRequests: float64(cur.failed),
			RequestsPerSecond: f64(cur.rps), ErrorRate: f64(cur.errRate),
			TotalQueries: float64(cur.queries), AvgQueryTimeMs: f64(cur.avgQ), P95QueryTimeMs: f64(cur.p95Q),
			SlowQueryCount:            i32(cur.slow),
			ConnectionPoolUtilization: f64(cur.pool), AvgCpuUsagePercent: f64(cur.cpu),
			AvgMemoryUsageMB: f64(cur.memAvg), MaxMemoryUsageMB: f64(cur.memMax), AvgEventLoopLagMs: f64(cur.lag),
			PerformanceTrend: trendOf(cur.score, prev.score, prev.requests),
			// Bottlenecks come from the optimization engine (a later component); until it
			// reports, the list is empty rather than invented.
			TopBottlenecks: []*PerformanceBottleneck{},
			RangeFrom:      DateTime{w.From}, RangeTo: DateTime{w.To},
		}
		if prev.requests > 0 {
			ps := prev.score
			o.PreviousHealthScore = &ps
		}
		out = o
		return nil
	})
	return out, publicError(ctx, r.logger, op, err)
}

// ---------------------------------------------------------------------------------------
// slowQueries, shared by endpointDetail.topQueries

type QueryPerformanceMetric struct {
	ID                   graphql.ID
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
// for the given endpoints, ordered by orderBy ("max" or "total").
func (r *resolver) queryMetrics(ctx context.Context, tx pgx.Tx, tid int16, w timeWindow, svc *int32,
	endpointIDs []int32, thresholdUs int64, limit int, orderBy string) ([]*QueryPerformanceMetric, error) {
	order := "max(max_us) DESC, sum(sum_us) DESC, fingerprint"
	outerOrder := "f.max_us DESC, f.sum_us DESC, f.fingerprint"
	if orderBy == "total" {
		order = "sum(sum_us) DESC, fingerprint"
		outerOrder = "f.sum_us DESC, f.fingerprint"
	}
	rows, err := tx.Query(ctx, `
		WITH r AS MATERIALIZED (
			SELECT * FROM perf_query_range($1, $2, $3)
			WHERE ($4::integer IS NULL OR service_id = $4) AND ($7::integer[] IS NULL OR endpoint_id = ANY($7))),
		f AS (
			SELECT fingerprint, sum(calls)::bigint calls, sum(errors)::bigint errors, sum(sum_us)::bigint sum_us,
			       max(max_us)::bigint max_us, sum(rows_sum)::bigint rows_sum, sum(rows_n)::bigint rows_n,
			       max(bucket) FILTER (WHERE max_us >= $5) last_slow
			FROM r GROUP BY fingerprint HAVING max(max_us) >= $5
			ORDER BY `+order+` LIMIT $6),
		h AS (
			SELECT r.fingerprint, u.i, sum(u.c)::bigint c
			FROM r JOIN f USING (fingerprint), unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2),
		hq AS (
			SELECT fingerprint, perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}') q,
			       coalesce(sum(c) FILTER (WHERE perf_hist_value(i) >= $5), 0)::bigint slow
			FROM h GROUP BY 1),
		ep AS (
			SELECT DISTINCT ON (fingerprint) fingerprint, endpoint_id, service_id FROM (
				SELECT r.fingerprint, r.endpoint_id, r.service_id, sum(r.calls) n FROM r JOIN f USING (fingerprint) GROUP BY 1, 2, 3) x
			ORDER BY fingerprint, n DESC, endpoint_id)
		SELECT f.fingerprint, f.calls, f.errors, f.sum_us, f.max_us, f.rows_sum, f.rows_n, f.last_slow, hq.q, hq.slow,
		       coalesce(qf.summary, ''), coalesce(qf.normalized_text, ''), coalesce(qf.operation, ''),
		       coalesce(qf.collection, ''), coalesce(qf.db_system, ''),
		       coalesce(e.method, ''), coalesce(e.route, ''), coalesce(s.name, '')
		FROM f JOIN hq USING (fingerprint) LEFT JOIN ep USING (fingerprint)
		LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = f.fingerprint
		LEFT JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = ep.endpoint_id
		LEFT JOIN perf_services s ON s.tenant_id = $1 AND s.service_id = ep.service_id
		ORDER BY `+outerOrder, tid, w.From, w.To, svc, thresholdUs, limit, endpointIDs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*QueryPerformanceMetric{}
	for rows.Next() {
		var fp, calls, errs, sumUs, maxUs, rowsSum, rowsN, slow int64
		var lastSlow *time.Time
		var q []*float64
		m := &QueryPerformanceMetric{}
		var method, route string
		if err := rows.Scan(&fp, &calls, &errs, &sumUs, &maxUs, &rowsSum, &rowsN, &lastSlow, &q, &slow,
			&m.Summary, &m.NormalizedQuery, &m.Operation, &m.Collection, &m.DbSystem, &method, &route, &m.Service); err != nil {
			return nil, err
		}
		m.QueryHash = fpHex(fp)
		m.ID = graphql.ID(m.QueryHash)
		m.QueryPreview = m.NormalizedQuery
		if rs := []rune(m.QueryPreview); len(rs) > 500 {
			m.QueryPreview = string(rs[:500])
		}
		m.ExecutionTimeMs = i32(int64(math.Round(float64(maxUs) / 1000)))
		m.RowsReturned = -1
		if rowsN > 0 {
			m.RowsReturned = i32(int64(math.Round(float64(rowsSum) / float64(rowsN))))
		}
		if route != "" {
			m.Endpoint = endpointName(method, route)
		}
		if lastSlow != nil {
			m.Timestamp = DateTime{*lastSlow}
		} else {
			m.Timestamp = DateTime{w.From}
		}
		m.OccurrenceCount, m.SlowCount, m.ErrorCount = i32(calls), i32(slow), i32(errs)
		if calls > 0 {
			m.AvgExecutionTimeMs = float64(sumUs) / 1000 / float64(calls)
		}
		if len(q) == 3 {
			m.P50ExecutionTimeMs, m.P95ExecutionTimeMs, m.P99ExecutionTimeMs = f64(q[0])/1000, f64(q[1])/1000, f64(q[2])/1000
		}
		m.MaxExecutionTimeMs = float64(maxUs) / 1000
		m.TotalExecutionTimeMs = float64(sumUs) / 1000
		out = append(out, m)
	}
	return out, rows.Err()
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		svc, err := serviceID(ctx, tx, tid, args.Service)
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
func selectEndpoints(ctx context.Context, tx pgx.Tx, tid int16, endpoint, service *string) ([]endpointSel, error) {
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

// endpointAggs aggregates the endpoint rollups of w per key (groupAll: one key 0 for all).
func endpointAggs(ctx context.Context, tx pgx.Tx, tid int16, w timeWindow, ids []int32, groupAll bool) (map[int32]*endpointAgg, error) {
	key := "endpoint_id"
	if groupAll {
		key = "0"
	}
	rows, err := tx.Query(ctx, `
		WITH r AS MATERIALIZED (SELECT *, `+key+` AS k FROM perf_endpoint_range($1, $2, $3) WHERE endpoint_id = ANY($4)),
		a AS (SELECT k, sum(requests)::bigint req, sum(errors)::bigint err, sum(status_4xx)::bigint s4, sum(status_5xx)::bigint s5,
		             sum(sum_us)::bigint su, max(max_us)::bigint mx, sum(req_bytes_sum)::bigint rqs, sum(req_bytes_n)::bigint rqn,
		             sum(resp_bytes_sum)::bigint rss, sum(resp_bytes_n)::bigint rsn FROM r GROUP BY k),
		h AS (SELECT k, u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2),
		hq AS (SELECT k, perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}') q FROM h GROUP BY k)
		SELECT a.*, hq.q FROM a LEFT JOIN hq USING (k)`, tid, w.From, w.To, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int32]*endpointAgg{}
	for rows.Next() {
		var k int32
		a := &endpointAgg{}
		if err := rows.Scan(&k, &a.requests, &a.errors, &a.s4, &a.s5, &a.sumUs, &a.maxUs, &a.rqs, &a.rqn, &a.rss, &a.rsn, &a.q); err != nil {
			return nil, err
		}
		out[k] = a
	}
	return out, rows.Err()
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

func fillEndpointMetric(m *EndpointMetric, a, prev *endpointAgg, w timeWindow, now time.Time) {
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		sel, err := selectEndpoints(ctx, tx, tid, args.Endpoint, args.Service)
		if err != nil || len(sel) == 0 {
			return err
		}
		ids := make([]int32, len(sel))
		for i, e := range sel {
			ids[i] = e.id
		}
		cur, err := endpointAggs(ctx, tx, tid, w, ids, false)
		if err != nil {
			return err
		}
		prev, err := endpointAggs(ctx, tx, tid, w.Prev(), ids, false)
		if err != nil {
			return err
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		svc, err := serviceID(ctx, tx, tid, args.Service)
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		svc, err := serviceID(ctx, tx, tid, args.Service)
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
	ID                graphql.ID
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
		rows, err := tx.Query(ctx, `SELECT id, category, priority, title, description, impact, effort, recommendation,
			implementation, estimated_savings, affected_endpoints, evidence::text, first_detected, last_detected
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
			if err := rows.Scan(&id, &x.Category, &x.Priority, &x.Title, &x.Description, &x.Impact, &x.Effort, &x.Recommendation,
				&x.Implementation, &x.EstimatedSavings, &x.AffectedEndpoints, &x.Evidence, &first, &last); err != nil {
				return err
			}
			if _, ok := priorityRank[x.Priority]; !ok {
				x.Priority = "LOW"
			}
			x.ID, x.FirstDetected, x.LastDetected = graphql.ID(id), DateTime{first}, DateTime{last}
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
func series(ctx context.Context, tx pgx.Tx, table, countCol, where string, tid int16, w timeWindow, iv time.Duration, filter any) ([]*TimePoint, error) {
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
			p.P50Ms, p.P95Ms, p.P99Ms = msPtr(q[0]), msPtr(q[1]), msPtr(q[2])
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func msPtr(us *float64) *float64 {
	if us == nil {
		return nil
	}
	v := *us / 1000
	return &v
}

func detailInterval(arg *string, w timeWindow, maxPoints int) (time.Duration, error) {
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
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
		svc, err := serviceID(ctx, tx, tid, args.Service)
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
	err = r.st.read(ctx, tenant, func(tx pgx.Tx, tid int16) error {
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
		cur, err := endpointAggs(ctx, tx, tid, w, ids, true)
		if err != nil {
			return err
		}
		prev, err := endpointAggs(ctx, tx, tid, w.Prev(), ids, true)
		if err != nil {
			return err
		}
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
