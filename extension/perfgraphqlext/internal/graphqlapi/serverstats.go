package graphqlapi

// The server side of a statement (pg_stat_statements of the monitored databases, read by
// reads.StatementServerStats) and the state of the monitored databases.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

// ServerStatementStats is what one database's server executed for a fingerprint in a range.
type ServerStatementStats struct {
	DbNamespace       string
	Calls             float64
	TotalTimeMs       float64
	MeanTimeMs        *float64
	Rows              float64
	SharedBlksHit     float64
	SharedBlksRead    float64
	SharedBlksDirtied float64
	SharedBlksWritten float64
	CacheHitRatio     *float64
	TempBlksRead      float64
	TempBlksWritten   float64
	WalBytes          *float64
	FirstHour         DateTime
	LastHour          DateTime
}

// serverStats maps the per-database server statistics of fingerprint fp over w.
func serverStats(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64) ([]*ServerStatementStats, error) {
	rows, err := reads.StatementServerStats(ctx, tx, tid, w, fp)
	if err != nil {
		return nil, err
	}
	out := []*ServerStatementStats{}
	for _, x := range rows {
		s := ServerStatementStats{DbNamespace: x.DbNamespace, Calls: float64(x.Calls), TotalTimeMs: x.TotalTimeMs, Rows: float64(x.Rows),
			SharedBlksHit: float64(x.Hit), SharedBlksRead: float64(x.Read), SharedBlksDirtied: float64(x.Dirtied),
			SharedBlksWritten: float64(x.Written), TempBlksRead: float64(x.TempRead), TempBlksWritten: float64(x.TempWritten),
			FirstHour: DateTime{x.FirstHour}, LastHour: DateTime{x.LastHour}}
		if x.Calls > 0 {
			m := s.TotalTimeMs / float64(x.Calls)
			s.MeanTimeMs = &m
		}
		if x.Hit+x.Read > 0 {
			r := float64(x.Hit) / float64(x.Hit+x.Read)
			s.CacheHitRatio = &r
		}
		if x.WalBytes != nil {
			v := float64(*x.WalBytes)
			s.WalBytes = &v
		}
		out = append(out, &s)
	}
	return out, nil
}

// MonitoredDatabase is the state of one of the tenant's targets at its last check.
type MonitoredDatabase struct {
	DbNamespace         string
	Status              string
	Reachable           bool
	ServerVersion       *int32
	HasPgStatStatements bool
	HasAutoExplain      bool
	HasHypopg           bool
	Error               *string
	CheckedAt           DateTime
	LastSnapshotAt      *DateTime
	Statements          *int32
}

// Statuses of a monitored database.
const (
	dbStatusOK          = "OK"          // snapshotted, nothing to report
	dbStatusDegraded    = "DEGRADED"    // snapshotted, with a warning (error says what)
	dbStatusUnavailable = "UNAVAILABLE" // reachable, but its statistics cannot be read
	dbStatusUnreachable = "UNREACHABLE" // did not answer
)

func (r *resolver) MonitoredDatabases(ctx context.Context, _ struct{}) ([]*MonitoredDatabase, error) {
	const op = "monitoredDatabases"
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	if err := charge(ctx, op, 1, rollup.Window{}); err != nil {
		return nil, err
	}
	out := []*MonitoredDatabase{}
	err := r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		dbs, err := reads.MonitoredDatabases(ctx, tx, tid)
		for _, x := range dbs {
			m := MonitoredDatabase{DbNamespace: x.DbNamespace, Reachable: x.Reachable, ServerVersion: x.ServerVersion,
				HasPgStatStatements: x.HasPgStatStatements, HasAutoExplain: x.HasAutoExplain, HasHypopg: x.HasHypopg,
				Error: x.Error, CheckedAt: DateTime{x.CheckedAt}, Statements: x.Statements}
			if x.LastSnapshotAt != nil {
				m.LastSnapshotAt = &DateTime{*x.LastSnapshotAt}
			}
			switch {
			case !m.Reachable:
				m.Status = dbStatusUnreachable
			case !m.HasPgStatStatements:
				m.Status = dbStatusUnavailable
			case m.Error != nil:
				m.Status = dbStatusDegraded
			default:
				m.Status = dbStatusOK
			}
			out = append(out, &m)
		}
		return err
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}
