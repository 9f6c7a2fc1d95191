package graphqlapi

// endpointMetrics: request metrics per endpoint, with the trend against the previous period.

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi/sdlexec"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type EndpointMetric struct {
	Endpoint             string // the route
	Label                string // "METHOD route"
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
	rows, err := tx.Query(ctx, selectEndpointsSQL, tid, endpoint, service)
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
	minUs                                                      rollup.MinUs
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
		resp_bytes_sum, resp_bytes_n, CASE WHEN lat_pack IS NULL THEN lat_idx END, CASE WHEN lat_pack IS NULL THEN lat_cnt END, lat_pack, min_us`
	sql, args := rollup.RangeUnion(cols, perfdb.EndpointDailyTable, perfdb.EndpointHourlyTable, "bucket", where, tid, extra, ss)
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
		var minUs *int64
		fast := rollup.RawInts(rows, iv[:])
		if fast {
			minUs, fast = rollup.RawNullInt(rows, 15)
		}
		if fast {
			win, k = int32(iv[0]), int32(iv[1])
			v.requests, v.errors, v.s4, v.s5, v.sumUs, v.maxUs = iv[2], iv[3], iv[4], iv[5], iv[6], iv[7]
			v.rqs, v.rqn, v.rss, v.rsn = iv[8], iv[9], iv[10], iv[11]
		} else if err := rows.Scan(&win, &k, &v.requests, &v.errors, &v.s4, &v.s5, &v.sumUs, &v.maxUs, &v.rqs, &v.rqn, &v.rss, &v.rsn, nil, nil, nil, &minUs); err != nil {
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
		a.minUs.Add(minUs)
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
				mx := float64(a.maxUs) // no quantile outside the group's [min, max]
				a.q = h.QuantilesWithin(a.minUs.Bound(), &mx, 0.5, 0.95, 0.99)
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
	tenant, w, limit, err := r.beginList(ctx, op, 2, rangeArgs{args.TimeRange, args.From, args.To}, args.Limit, r.cfg.Limits.MaxLimit)
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
		if sdlexec.HasSelectedField(ctx, "trend") {
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
			m := &EndpointMetric{Endpoint: e.route, Label: endpointName(e.method, e.route), Method: e.method, Route: e.route,
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
