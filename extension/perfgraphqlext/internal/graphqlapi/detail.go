package graphqlapi

// queryDetail and endpointDetail: one statement shape or one endpoint over time (package reads).

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type EndpointShare struct {
	Endpoint    string
	Service     string
	Count       int32
	TotalTimeMs float64
}

type QueryDetail struct {
	QueryHash       string
	Summary         string
	Operation       string
	Collection      string
	DbSystem        string
	NormalizedQuery string
	FirstSeen       DateTime
	LastSeen        DateTime
	TotalCalls      int32
	ErrorCount      int32
	ExecutionTimes
	AvgRowsReturned   *float64
	Endpoints         []*EndpointShare
	TimeSeries        []*TimePoint
	ServerStats       []*ServerStatementStats
	Plans             []*QueryPlan
	PlanChanges       []*QueryPlanChange
	GenericPlanStatus []*GenericPlanStatus
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
	tenant, w, iv, err := r.beginDetail(ctx, op, rangeArgs{args.TimeRange, args.From, args.To}, args.Interval)
	if err != nil {
		return nil, err
	}
	var out *QueryDetail
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		d := &QueryDetail{QueryHash: fpHex(fp), Endpoints: []*EndpointShare{}}
		st, err := reads.StatementOf(ctx, tx, tid, fp)
		if err != nil || st == nil {
			return err // unknown in this tenant: null
		}
		d.Summary, d.Operation, d.Collection, d.DbSystem, d.NormalizedQuery = st.Summary, st.Operation, st.Collection, st.DbSystem, st.Normalized
		d.FirstSeen, d.LastSeen = DateTime{st.FirstSeen}, DateTime{st.LastSeen}
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		t, err := reads.StatementTotalsOf(ctx, tx, tid, w, fp, svc)
		if err != nil {
			return err
		}
		d.TotalCalls, d.ErrorCount = i32(t.Calls), i32(t.Errors)
		d.ExecutionTimes = executionTimes(t.Calls, t.SumUs, t.MaxUs, t.Q)
		if t.RowsN > 0 {
			v := float64(t.RowsSum) / float64(t.RowsN)
			d.AvgRowsReturned = &v
		}
		eps, err := reads.StatementEndpoints(ctx, tx, tid, w, fp, svc, r.cfg.Limits.MaxLimit)
		if err != nil {
			return err
		}
		for _, e := range eps {
			s := &EndpointShare{Service: e.Service, Count: i32(e.Calls), TotalTimeMs: float64(e.SumUs) / 1000}
			if e.Route != "" {
				s.Endpoint = endpointName(e.Method, e.Route)
			}
			d.Endpoints = append(d.Endpoints, s)
		}
		where := "fingerprint = $5"
		if svc != nil { // the series of one service (an integer id, safe to inline)
			where += fmt.Sprintf(" AND service_id = %d", *svc)
		}
		if d.ServerStats, err = serverStats(ctx, tx, tid, w, fp); err != nil {
			return err
		}
		if err := queryPlans(ctx, tx, tid, w, fp, int32(r.cfg.Limits.MaxLimit), d); err != nil {
			return err
		}
		out = d // with an error the field is null all the same
		d.TimeSeries, err = timePoints(reads.Series(ctx, tx, rollupTable(perfdb.QueryHourlyTable, perfdb.QueryMinutelyTable, iv), "calls", where, tid, w, iv, fp))
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
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
	tenant, w, iv, err := r.beginDetail(ctx, op, rangeArgs{args.TimeRange, args.From, args.To}, args.Interval)
	if err != nil {
		return nil, err
	}
	var out *EndpointDetail
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		sel, err := reads.SelectEndpoints(ctx, tx, tid, &args.Endpoint, args.Service)
		if err != nil || len(sel) == 0 {
			return err // unknown in this tenant: null
		}
		ids := make([]int32, len(sel))
		services := map[string]bool{}
		var svcNames []string
		for i, e := range sel {
			ids[i] = e.ID
			if !services[e.Service] {
				services[e.Service] = true
				svcNames = append(svcNames, e.Service)
			}
		}
		m := &EndpointMetric{Endpoint: sel[0].Route, Label: endpointName(sel[0].Method, sel[0].Route), Method: sel[0].Method,
			Route: sel[0].Route, SpanKind: sel[0].Kind, Service: strings.Join(svcNames, ",")}
		aggs, err := reads.EndpointAggs(ctx, tx, tid, []rollup.Window{w, w.Prev()}, ids, true)
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
		out = d // with an error the field is null all the same
		d.TimeSeries, err = timePoints(reads.Series(ctx, tx, rollupTable(perfdb.EndpointHourlyTable, perfdb.EndpointMinutelyTable, iv), "requests", "endpoint_id = ANY($5)", tid, w, iv, ids))
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
}

// beginDetail is begin for the detail queries (cost 3) and their series' interval.
func (r *resolver) beginDetail(ctx context.Context, op string, ra rangeArgs, interval *string) (string, rollup.Window, time.Duration, error) {
	tenant, w, err := r.begin(ctx, op, 3, ra)
	if err != nil {
		return "", w, 0, err
	}
	iv, err := detailInterval(interval, w, r.cfg.Limits.MaxPoints)
	if err != nil {
		return "", w, 0, fmt.Errorf("%s: %w", op, err)
	}
	return tenant, w, iv, nil
}
