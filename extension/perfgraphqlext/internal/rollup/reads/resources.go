package reads

// Resource usage over time, connection pool state (the minute samples and the hourly pool
// rollups), and the state of the monitored databases.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// Resources is one interval of resource usage (means and maxima over the instances).
type Resources struct {
	At                                                           time.Time
	Cpu, MaxCpu, MemUsedMB, MaxMemUsedMB, MemTotalMB, HeapUsedMB *float64
	HeapTotalMB, EventLoopLagMs, ActiveConnections               *float64
	Instances                                                    int64
}

// ResourceSeries reads the resource usage of service svc (nil: all) over w in bins of iv:
// from the minute samples under an hour, else from the hourly rollups.
func ResourceSeries(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, iv time.Duration, svc *int32) ([]Resources, error) {
	var q string
	if iv < time.Hour { // minute samples
		q = resourcesRawSQL
	} else { // hourly rollups
		q = resourcesHourlySQL
	}
	rows, err := tx.Query(ctx, q, tid, w.From, w.To, iv, svc)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Resources{}
	for rows.Next() {
		var m Resources
		if err := rows.Scan(&m.At, &m.Cpu, &m.MaxCpu, &m.MemUsedMB, &m.MaxMemUsedMB,
			&m.MemTotalMB, &m.HeapUsedMB, &m.HeapTotalMB, &m.EventLoopLagMs, &m.ActiveConnections, &m.Instances); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MonitoredDatabase is one of the tenant's targets at its last check.
type MonitoredDatabase struct {
	DbNamespace                                               string
	Reachable, HasPgStatStatements, HasAutoExplain, HasHypopg bool
	ServerVersion, Statements                                 *int32
	Error                                                     *string
	CheckedAt                                                 time.Time
	LastSnapshotAt                                            *time.Time
}

// MonitoredDatabases reads the tenant's targets.
func MonitoredDatabases(ctx context.Context, tx pgx.Tx, tid int32) ([]MonitoredDatabase, error) {
	rows, err := tx.Query(ctx, monitoredDatabasesSQL, tid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MonitoredDatabase
	for rows.Next() {
		var m MonitoredDatabase
		if err := rows.Scan(&m.DbNamespace, &m.Reachable, &m.ServerVersion, &m.HasPgStatStatements, &m.HasAutoExplain, &m.HasHypopg,
			&m.Error, &m.CheckedAt, &m.LastSnapshotAt, &m.Statements); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Pools is the pool state of a window: the current connections (the latest sample of each
// instance and pool within the last hour before end, summed), utilization (%) and wait (ms)
// over the window, each pool, and the history.
type Pools struct {
	Used, Idle, Max, Pending                int64
	AvgUtil, PeakUtil, AvgWaitMs, MaxWaitMs *float64
	Pools                                   []Pool
	History                                 []PoolPoint
}

// Pool is one service, instance and pool over the window.
type Pool struct {
	Service, Instance, PoolName                                  string
	AvgUsed, MaxUsed, AvgIdle, MaxConnections, AvgUtil, PeakUtil *float64
	MaxPending, AvgWaitMs                                        *float64
}

// PoolPoint is one interval of the history: used, idle and pending summed over instances and
// pools.
type PoolPoint struct {
	At                                  time.Time
	Util, Active, Idle, Pending, WaitMs *float64
}

// PoolState reads the pools of service svc (nil: all) over w, at most limit of them, with
// the history in bins of iv. raw reads the minute samples instead of the hourly rollups (a
// window with a partial hour); the history is read from them too under an hour.
func PoolState(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, end time.Time, svc *int32, raw bool, iv time.Duration, limit int) (*Pools, error) {
	out := &Pools{Pools: []Pool{}, History: []PoolPoint{}}
	err := tx.QueryRow(ctx, poolCurrentSQL, tid, w.From, end, w.To, svc).Scan(&out.Used, &out.Idle, &out.Max, &out.Pending)
	if err != nil {
		return nil, err
	}
	summarySQL, perPoolSQL := poolSummarySQL, poolPerPoolSQL
	if raw {
		summarySQL, perPoolSQL = poolSummaryRawSQL, poolPerPoolRawSQL
	}
	err = tx.QueryRow(ctx, summarySQL,
		tid, w.From, w.To, svc).Scan(&out.AvgUtil, &out.PeakUtil, &out.AvgWaitMs, &out.MaxWaitMs)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, perPoolSQL, tid, w.From, w.To, svc, limit)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p Pool
		if err := rows.Scan(&p.Service, &p.Instance, &p.PoolName, &p.AvgUsed, &p.MaxUsed, &p.AvgIdle, &p.MaxConnections,
			&p.AvgUtil, &p.PeakUtil, &p.MaxPending, &p.AvgWaitMs); err != nil {
			rows.Close()
			return nil, err
		}
		out.Pools = append(out.Pools, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hist := poolHistorySQL
	if iv < time.Hour || raw {
		hist = poolHistoryRawSQL
	}
	rows, err = tx.Query(ctx, hist, tid, w.From, w.To, svc, iv)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p PoolPoint
		if err := rows.Scan(&p.At, &p.Util, &p.Active, &p.Idle, &p.Pending, &p.WaitMs); err != nil {
			return nil, err
		}
		out.History = append(out.History, p)
	}
	return out, rows.Err()
}
