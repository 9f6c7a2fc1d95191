package graphqlapi

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// rawSeriesMaxHours bounds the windows served at intervals under an hour (trafficSeries over
// all endpoints, the pool samples); longer windows need the hourly rollups.
const rawSeriesMaxHours = 8

// TrafficSeries is the tenant's request series over all endpoints (or one service's):
// requests, errors and latency percentiles per interval, from the same endpoint rollups and
// mergeable histograms as endpointDetail.timeSeries: hourly at an interval of an hour or more,
// the minute rollups at a finer one (1m..30m, windows of at most 8 h within their retention).
// Not from the request log: sealing may thin it (retention.raw_spans), the rollups are the
// record. Added for the dashboard's "latency and throughput over time" chart; additive, no
// other resolver depends on it.
func (r *resolver) TrafficSeries(ctx context.Context, args struct {
	Service   *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Interval  *string
}) ([]*TimePoint, error) {
	const op = "trafficSeries"
	tenant, w, err := r.begin(ctx, op, 3, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	if args.Interval != nil && intervals[*args.Interval] > 0 && intervals[*args.Interval] < time.Hour && w.Hours() > rawSeriesMaxHours {
		return nil, userErrorf("%s: intervals under 1h are served for ranges of at most %d hours", op, rawSeriesMaxHours)
	}
	iv, err := detailInterval(args.Interval, w, r.cfg.Limits.MaxPoints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := []*TimePoint{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		sel, err := reads.SelectEndpoints(ctx, tx, tid, nil, args.Service)
		if err != nil || len(sel) == 0 {
			return err
		}
		ids := make([]int32, len(sel))
		for i, e := range sel {
			ids[i] = e.ID
		}
		out, err = timePoints(reads.Series(ctx, tx, rollupTable(perfdb.EndpointHourlyTable, perfdb.EndpointMinutelyTable, iv), "requests", "endpoint_id = ANY($5)", tid, w, iv, ids))
		return err
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}
