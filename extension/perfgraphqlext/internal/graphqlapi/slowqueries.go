package graphqlapi

// slowQueries; queryMetrics also serves endpointDetail.topQueries.

import (
	"context"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
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

// queryMetrics maps reads.SlowQueries (fingerprints of [w] with max execution >= thresholdUs,
// optionally only for the given endpoints, ordered by orderBy: "max" or "total").
func (r *resolver) queryMetrics(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, svc *int32,
	endpointIDs []int32, thresholdUs int64, limit int, orderBy string) ([]*QueryPerformanceMetric, error) {
	list, err := reads.SlowQueries(ctx, tx, tid, w, svc, endpointIDs, thresholdUs, limit, orderBy)
	if err != nil {
		return nil, err
	}
	out := []*QueryPerformanceMetric{}
	for _, a := range list {
		m := &QueryPerformanceMetric{}
		n := a.Statement
		m.Summary, m.NormalizedQuery, m.Operation, m.Collection, m.DbSystem = n.A, n.B, n.C, n.D, n.E
		m.QueryHash = fpHex(a.Fingerprint)
		m.ID = string(m.QueryHash)
		m.QueryPreview = m.NormalizedQuery
		if rs := []rune(m.QueryPreview); len(rs) > 500 {
			m.QueryPreview = string(rs[:500])
		}
		m.ExecutionTimeMs = i32(int64(math.Round(float64(a.MaxUs) / 1000)))
		m.RowsReturned = -1
		if a.RowsN > 0 {
			m.RowsReturned = i32(int64(math.Round(float64(a.RowsSum) / float64(a.RowsN))))
		}
		if a.Endpoint.B != "" {
			m.Endpoint = endpointName(a.Endpoint.A, a.Endpoint.B)
		}
		m.Service = a.Service
		if a.LastSlow != nil {
			m.Timestamp = DateTime{*a.LastSlow}
		} else {
			m.Timestamp = DateTime{w.From}
		}
		m.OccurrenceCount, m.SlowCount, m.ErrorCount = i32(a.Calls), i32(a.SlowCount), i32(a.Errors)
		m.ExecutionTimes = executionTimes(a.Calls, a.SumUs, a.MaxUs, a.Q)
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
