package graphqlapi

// performanceOverview: the health and KPIs of a range, with the top bottlenecks of the
// optimization engine.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

type PerformanceOverview struct {
	HealthScore               float64
	Status                    string
	HasData                   bool
	LastDataAt                *DateTime
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
	RecommendationId  *string
	Fingerprints      []string
	ExampleTraceIds   []string
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
		s, err := rollup.Summaries(ctx, tx, tid, r.apdexMs(), r.now(), svc, w, w.Prev())
		if err != nil {
			return err
		}
		cur, prev := s[0], s[1]
		o := &PerformanceOverview{
			HealthScore: cur.Score, Status: cur.Status, HasData: cur.Requests > 0, Apdex: cur.Apdex,
			AvgResponseTimeMs: f64(cur.Avg), P50ResponseTimeMs: f64(cur.P50), P95ResponseTimeMs: f64(cur.P95),
			P99ResponseTimeMs: f64(cur.P99), MaxResponseTimeMs: f64(cur.Max),
			TotalRequests: float64(cur.Requests), FailedRequests: float64(cur.Failed),
			RequestsPerSecond: f64(cur.RPS), ErrorRate: f64(cur.ErrRate),
			TotalQueries: float64(cur.Queries), AvgQueryTimeMs: f64(cur.AvgQ), P95QueryTimeMs: f64(cur.P95Q),
			SlowQueryCount:            i32(cur.Slow),
			ConnectionPoolUtilization: f64(cur.Pool), AvgCpuUsagePercent: f64(cur.CPU),
			AvgMemoryUsageMB: f64(cur.MemAvg), MaxMemoryUsageMB: f64(cur.MemMax), AvgEventLoopLagMs: f64(cur.Lag),
			PerformanceTrend: rollup.Trend(cur.Score, prev.Score, prev.Requests),
			// Bottlenecks come from the optimization engine, filled below.
			TopBottlenecks: []*PerformanceBottleneck{},
			RangeFrom:      DateTime{w.From}, RangeTo: DateTime{w.To},
		}
		if prev.Requests > 0 {
			ps := prev.Score
			o.PreviousHealthScore = &ps
		}
		last, err := reads.LastData(ctx, tx, tid, svc, r.now().Add(-lastDataRaw))
		if err != nil {
			return err
		}
		if last != nil {
			o.LastDataAt = &DateTime{*last}
		}
		if o.TopBottlenecks, err = topBottlenecks(ctx, tx, tid, w, args.Service); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, publicError(ctx, r.logger, op, err)
}

// lastDataRaw is how far back lastDataAt reads the request log itself: requests that the
// rollups may not hold yet (they are refreshed every scheduler.interval).
const lastDataRaw = 15 * time.Minute

func topBottlenecks(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, service *string) ([]*PerformanceBottleneck, error) {
	rows, err := reads.TopBottlenecks(ctx, tx, tid, w, service)
	if err != nil {
		return nil, err
	}
	out := []*PerformanceBottleneck{}
	for _, b := range rows {
		x := &PerformanceBottleneck{Type: b.Kind, Severity: b.Priority, Description: b.Description, Impact: b.Impact,
			Recommendation: b.Recommendation, AffectedEndpoints: b.AffectedEndpoints}
		rec := &Recommendation{Category: b.Category, Kind: x.Type, Evidence: b.Evidence}
		fillRecommendation(rec, nil, 2)
		x.Type = rec.Kind
		if optimizer.PriorityRank(x.Severity) == 0 {
			x.Severity = optimizer.Low
		}
		x.Description = b.Title + ": " + x.Description
		gid := string(b.ID)
		x.RecommendationId, x.Fingerprints, x.ExampleTraceIds = &gid, rec.Fingerprints, rec.ExampleTraceIds
		x.AffectedEndpoints = nonNil(x.AffectedEndpoints)
		out = append(out, x)
	}
	return out, nil
}
