package graphqlapi

// topQueries: statements ranked by load (rollup/load.go), as pg_stat_statements is read.

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

// maxLoadEndpoints bounds the endpoints listed per statement (the busiest by time).
const maxLoadEndpoints = 10

// QueryLoad is one statement of topQueries (schema.graphql).
type QueryLoad struct {
	QueryHash       string
	Summary         string
	NormalizedQuery string
	Operation       string
	Collection      string
	DbSystem        string
	Calls           float64
	Errors          float64
	TotalTimeMs     float64
	MeanTimeMs      float64
	P95TimeMs       *float64
	MaxTimeMs       float64
	RowsPerCall     *float64
	ShareOfDbTime   float64
	ShareScope      string
	CallsPerRequest *float64
	Endpoints       []*QueryLoadEndpoint
}

// QueryLoadEndpoint is the part of a statement's load issued under one endpoint.
type QueryLoadEndpoint struct {
	Endpoint        string
	Service         string
	Method          string
	Route           string
	Calls           float64
	TotalTimeMs     float64
	Requests        float64
	CallsPerRequest *float64
}

func (r *resolver) TopQueries(ctx context.Context, args struct {
	Service   *string
	Endpoint  *string
	Method    *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	OrderBy   *string
	Limit     *int32
}) ([]*QueryLoad, error) {
	const op = "topQueries"
	tenant, w, limit, err := r.beginList(ctx, op, 2, rangeArgs{args.TimeRange, args.From, args.To}, args.Limit, 20)
	if err != nil {
		return nil, err
	}
	order := rollup.OrderTotalTime
	if args.OrderBy != nil {
		order = *args.OrderBy
	}
	switch order {
	case rollup.OrderTotalTime, rollup.OrderCalls, rollup.OrderMeanTime, rollup.OrderP95Time, rollup.OrderRowsPerCall:
	default:
		return nil, userErrorf("%s: unknown orderBy %q", op, order)
	}
	out := []*QueryLoad{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		svc, err := rollup.ServiceID(ctx, tx, tid, args.Service)
		if err != nil {
			return err
		}
		var epIDs []int32
		if args.Endpoint != nil || args.Method != nil {
			sel, err := reads.SelectEndpoints(ctx, tx, tid, args.Endpoint, args.Service)
			if err != nil {
				return err
			}
			epIDs = []int32{}
			for _, e := range sel {
				if args.Method == nil || strings.EqualFold(e.Method, strings.TrimSpace(*args.Method)) {
					epIDs = append(epIDs, e.ID)
				}
			}
		}
		l, err := rollup.TopLoads(ctx, tx, tid, w, svc, epIDs, order, limit)
		if err != nil {
			return err
		}
		out, err = r.queryLoads(ctx, tx, tid, l, svc != nil)
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
}

// queryLoads names the statements, endpoints and services of l.
func (r *resolver) queryLoads(ctx context.Context, tx pgx.Tx, tid int32, l *rollup.Loads, ofService bool) ([]*QueryLoad, error) {
	out := make([]*QueryLoad, 0, len(l.Queries))
	if len(l.Queries) == 0 {
		return out, nil
	}
	var fps, epIDs, svcIDs []int64
	for _, q := range l.Queries {
		fps = append(fps, q.Fingerprint)
		for i, e := range q.Endpoints {
			if i >= maxLoadEndpoints {
				break
			}
			epIDs, svcIDs = append(epIDs, int64(e.EndpointID)), append(svcIDs, int64(e.ServiceID))
		}
	}
	meta, err := reads.QueryNames(ctx, tx, tid, fps, epIDs, svcIDs)
	if err != nil {
		return nil, err
	}
	scope := "TENANT"
	if ofService {
		scope = "SERVICE"
	}
	ms := func(us float64) float64 { return us / 1000 }
	for _, q := range l.Queries {
		m := &QueryLoad{QueryHash: fpHex(q.Fingerprint), Calls: float64(q.Calls), Errors: float64(q.Errors),
			TotalTimeMs: ms(float64(q.SumUs)), MeanTimeMs: ms(q.MeanUs()), MaxTimeMs: ms(float64(q.MaxUs)),
			RowsPerCall: q.RowsPerCall(), ShareOfDbTime: l.Share(q), ShareScope: scope, CallsPerRequest: q.CallsPerRequest(),
			Endpoints: []*QueryLoadEndpoint{}}
		if n, ok := meta[[2]int64{0, q.Fingerprint}]; ok {
			m.Summary, m.NormalizedQuery, m.Operation, m.Collection, m.DbSystem = n.A, n.B, n.C, n.D, n.E
		}
		if q.P95Us != nil {
			v := ms(*q.P95Us)
			m.P95TimeMs = &v
		}
		for i, e := range q.Endpoints {
			if i >= maxLoadEndpoints {
				break
			}
			x := &QueryLoadEndpoint{Service: meta[[2]int64{2, int64(e.ServiceID)}].A, Calls: float64(e.Calls),
				TotalTimeMs: ms(float64(e.SumUs)), Requests: float64(e.Requests), CallsPerRequest: e.CallsPerRequest()}
			if n, ok := meta[[2]int64{1, int64(e.EndpointID)}]; ok && e.EndpointID != 0 {
				x.Method, x.Route = n.A, n.B
				x.Endpoint = endpointName(n.A, n.B)
			}
			m.Endpoints = append(m.Endpoints, x)
		}
		out = append(out, m)
	}
	return out, nil
}
