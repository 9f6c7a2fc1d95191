package graphqlapi

// resourceUtilization: resource usage over time (reads.ResourceSeries); databasePoolMetrics:
// connection pool state (reads.PoolState). Both read the resource samples the exporter
// stores from metrics.

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
	Interval  *string
}) (*DatabasePoolMetrics, error) {
	const op = "databasePoolMetrics"
	tenant, w, err := r.begin(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	iv, err := resolveInterval(args.Interval, w, time.Minute, time.Hour, r.cfg.Limits.MaxPoints)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
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
		// the hourly rollups answer whole hours only; a short window with a partial hour (the
		// recent minutes) is read from the minute samples
		raw := !wholeHours(w) && w.Hours() <= rawSeriesMaxHours
		st, err := reads.PoolState(ctx, tx, tid, w, end, svc, raw, iv, r.cfg.Limits.MaxLimit)
		if err != nil {
			return err
		}
		out.CurrentConnections, out.IdleConnections, out.MaxConnections, out.PendingRequests = i32(st.Used), i32(st.Idle), i32(st.Max), i32(st.Pending)
		if st.Max > 0 {
			out.UtilizationPercent = 100 * float64(st.Used) / float64(st.Max)
		}
		out.AvgUtilizationPercent, out.PeakUtilizationPercent, out.AvgWaitTimeMs, out.MaxWaitTimeMs = st.AvgUtil, st.PeakUtil, st.AvgWaitMs, st.MaxWaitMs
		for _, p := range st.Pools {
			out.Pools = append(out.Pools, &PoolMetric{Service: p.Service, Instance: p.Instance, PoolName: p.PoolName, AvgUsed: p.AvgUsed,
				MaxUsed: p.MaxUsed, AvgIdle: p.AvgIdle, MaxConnections: p.MaxConnections, AvgUtilizationPercent: p.AvgUtil,
				PeakUtilizationPercent: p.PeakUtil, MaxPendingRequests: p.MaxPending, AvgWaitTimeMs: p.AvgWaitMs})
		}
		// history: used/idle/pending summed over instances and pools
		for _, p := range st.History {
			out.UtilizationHistory = append(out.UtilizationHistory, &PoolUtilizationPoint{Timestamp: DateTime{p.At}, UtilizationPercent: p.Util,
				ActiveConnections: p.Active, IdleConnections: p.Idle, PendingRequests: p.Pending, WaitTimeMs: p.WaitMs})
		}
		return nil
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}

// wholeHours: the window starts and ends on an hour, so the hourly rollups answer it.
func wholeHours(w rollup.Window) bool {
	return w.From.Equal(rollup.FloorHour(w.From)) && w.To.Equal(rollup.FloorHour(w.To))
}
