package graphqlapi

// resourceUtilization: resource usage over time (reads.ResourceSeries).

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

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
		rows, err := reads.ResourceSeries(ctx, tx, tid, w, iv, svc)
		for _, x := range rows {
			out = append(out, &ResourceMetric{Timestamp: DateTime{x.At}, CpuUsagePercent: x.Cpu, MaxCpuUsagePercent: x.MaxCpu,
				MemoryUsedMB: x.MemUsedMB, MaxMemoryUsedMB: x.MaxMemUsedMB, MemoryTotalMB: x.MemTotalMB, HeapUsedMB: x.HeapUsedMB,
				HeapTotalMB: x.HeapTotalMB, EventLoopLagMs: x.EventLoopLagMs, ActiveConnections: x.ActiveConnections, Instances: i32(x.Instances)})
		}
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
}
