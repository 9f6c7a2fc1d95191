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
			q = `SELECT date_bin($4::interval, m.ts, '2000-01-01 00:00:00+00') b,
			        avg(cpu_usage_percent), max(cpu_usage_percent),
			        avg(memory_used_bytes) / 1048576.0, max(memory_used_bytes) / 1048576.0, max(memory_total_bytes) / 1048576.0,
			        avg(heap_used_bytes) / 1048576.0, max(heap_total_bytes) / 1048576.0,
			        avg(event_loop_lag_ms), avg(active_connections), count(DISTINCT m.instance_id)
			    FROM system_resource_metrics m
			    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
			    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($5::integer IS NULL OR i.service_id = $5)
			    GROUP BY 1 ORDER BY 1`
		} else { // hourly rollups
			q = `SELECT date_bin($4::interval, bucket, '2000-01-01 00:00:00+00') b,
			        sum(cpu_sum) / nullif(sum(cpu_n), 0), max(cpu_max),
			        sum(mem_sum) / nullif(sum(mem_n), 0) / 1048576.0, max(mem_max) / 1048576.0, max(mem_total_max) / 1048576.0,
			        sum(heap_sum) / nullif(sum(heap_n), 0) / 1048576.0, max(heap_total_max) / 1048576.0,
			        sum(lag_sum) / nullif(sum(lag_n), 0), sum(conn_sum) / nullif(sum(conn_n), 0), count(DISTINCT instance_id)
			    FROM perf_resource_hourly
			    WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($5::integer IS NULL OR service_id = $5)
			    GROUP BY 1 ORDER BY 1`
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
