package graphqlapi

// resourceUtilization: resource usage over time.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
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
		var q string
		if iv < time.Hour { // minute samples
			q = resourcesRawSQL
		} else { // hourly rollups
			q = resourcesHourlySQL
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
