package graphqlapi

// databasePoolMetrics: connection pool state.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

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
		var used, idle, mx, pending int64
		err = tx.QueryRow(ctx, poolCurrentSQL, tid, w.From, end, w.To, svc).Scan(&used, &idle, &mx, &pending)
		if err != nil {
			return err
		}
		out.CurrentConnections, out.IdleConnections, out.MaxConnections, out.PendingRequests = i32(used), i32(idle), i32(mx), i32(pending)
		if mx > 0 {
			out.UtilizationPercent = 100 * float64(used) / float64(mx)
		}
		// the hourly rollups answer whole hours only; a short window with a partial hour (the
		// recent minutes) is read from the minute samples
		raw := !wholeHours(w) && w.Hours() <= rawSeriesMaxHours
		summarySQL, perPoolSQL := poolSummarySQL, poolPerPoolSQL
		if raw {
			summarySQL, perPoolSQL = poolSummaryRawSQL, poolPerPoolRawSQL
		}
		err = tx.QueryRow(ctx, summarySQL,
			tid, w.From, w.To, svc).Scan(&out.AvgUtilizationPercent, &out.PeakUtilizationPercent, &out.AvgWaitTimeMs, &out.MaxWaitTimeMs)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, perPoolSQL, tid, w.From, w.To, svc, r.cfg.Limits.MaxLimit)
		if err != nil {
			return err
		}
		for rows.Next() {
			p := &PoolMetric{}
			if err := rows.Scan(&p.Service, &p.Instance, &p.PoolName, &p.AvgUsed, &p.MaxUsed, &p.AvgIdle, &p.MaxConnections,
				&p.AvgUtilizationPercent, &p.PeakUtilizationPercent, &p.MaxPendingRequests, &p.AvgWaitTimeMs); err != nil {
				rows.Close()
				return err
			}
			out.Pools = append(out.Pools, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// history: used/idle/pending are summed over instances and pools; under an hour
		// from the minute samples, else from the hourly rollups
		hist := poolHistorySQL
		if iv < time.Hour || raw {
			hist = poolHistoryRawSQL
		}
		rows, err = tx.Query(ctx, hist, tid, w.From, w.To, svc, iv)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := &PoolUtilizationPoint{}
			var ts time.Time
			if err := rows.Scan(&ts, &p.UtilizationPercent, &p.ActiveConnections, &p.IdleConnections, &p.PendingRequests, &p.WaitTimeMs); err != nil {
				return err
			}
			p.Timestamp = DateTime{ts}
			out.UtilizationHistory = append(out.UtilizationHistory, p)
		}
		return rows.Err()
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
