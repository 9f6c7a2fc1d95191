package graphqlapi

// endpointMetrics: request metrics per endpoint, with the trend against the previous period.

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi/sdlexec"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
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

// endpointTrend compares p95 and error rate with the previous period.
func endpointTrend(cur, prev *reads.EndpointAgg) string {
	if prev == nil || prev.Requests == 0 || cur == nil || cur.Requests == 0 {
		return "STABLE"
	}
	ratio := 1.0
	if len(cur.Q) == 3 && len(prev.Q) == 3 && f64(prev.Q[1]) > 0 {
		ratio = f64(cur.Q[1]) / f64(prev.Q[1])
	}
	dErr := float64(cur.Errors)/float64(cur.Requests) - float64(prev.Errors)/float64(prev.Requests)
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

func fillEndpointMetric(m *EndpointMetric, a, prev *reads.EndpointAgg, w rollup.Window, now time.Time) {
	m.Trend = endpointTrend(a, prev)
	if a == nil {
		return
	}
	m.TotalRequests, m.FailedRequests = i32(a.Requests), i32(a.Errors)
	m.SuccessfulRequests = i32(a.Requests - a.Errors)
	m.ClientErrors, m.ServerErrors = i32(a.S4), i32(a.S5)
	if a.Requests > 0 {
		m.ErrorRate = float64(a.Errors) / float64(a.Requests)
		m.AvgResponseTimeMs = float64(a.SumUs) / 1000 / float64(a.Requests)
	}
	end := w.To
	if now.Before(end) {
		end = now
	}
	if secs := end.Sub(w.From).Seconds(); secs > 0 {
		m.RequestsPerSecond = float64(a.Requests) / secs
	}
	if len(a.Q) == 3 {
		m.P50ResponseTimeMs, m.P95ResponseTimeMs, m.P99ResponseTimeMs = f64(a.Q[0])/1000, f64(a.Q[1])/1000, f64(a.Q[2])/1000
	}
	m.MaxResponseTimeMs = float64(a.MaxUs) / 1000
	if a.ReqN > 0 {
		v := float64(a.ReqSum) / float64(a.ReqN)
		m.AvgRequestSizeBytes = &v
	}
	if a.RespN > 0 {
		v := float64(a.RespSum) / float64(a.RespN)
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
		sel, err := reads.SelectEndpoints(ctx, tx, tid, args.Endpoint, args.Service)
		if err != nil || len(sel) == 0 {
			return err
		}
		ids := make([]int32, len(sel))
		for i, e := range sel {
			ids[i] = e.ID
		}
		// the previous period only serves the trend: not read when trend is not asked for
		ws := []rollup.Window{w}
		if sdlexec.HasSelectedField(ctx, "trend") {
			ws = append(ws, w.Prev())
		}
		aggs, err := reads.EndpointAggs(ctx, tx, tid, ws, ids, false)
		if err != nil {
			return err
		}
		cur, prev := aggs[0], map[int32]*reads.EndpointAgg(nil)
		if len(aggs) > 1 {
			prev = aggs[1]
		}
		for _, e := range sel {
			a := cur[e.ID]
			if a == nil || a.Requests == 0 {
				continue
			}
			m := &EndpointMetric{Endpoint: e.Route, Label: endpointName(e.Method, e.Route), Method: e.Method, Route: e.Route,
				Service: e.Service, SpanKind: e.Kind}
			fillEndpointMetric(m, a, prev[e.ID], w, r.now())
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
