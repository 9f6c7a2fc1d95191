package reads

// Resource usage over time and the state of the monitored databases.

import (
	"context"
	_ "embed"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

var (
	//go:embed resources_raw.sql
	resourcesRawSQL string
	//go:embed resources_hourly.sql
	resourcesHourlySQL string
	//go:embed monitored_databases.sql
	monitoredDatabasesSQL string
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
