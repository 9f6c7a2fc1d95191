package graphqlapi

// The server side of a statement (pg_stat_statements of the monitored databases) and the
// state of the monitored databases.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
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

// serverStats reads the per-database server statistics of fingerprint fp over w.
func serverStats(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64) ([]*ServerStatementStats, error) {
	rows, err := tx.Query(ctx, serverStatsSQL, tid, w.From, w.To, fp)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*ServerStatementStats{}
	for rows.Next() {
		var s ServerStatementStats
		var calls, rws, hit, read, dirt, writ, tr, tw int64
		var wal *int64
		var first, last time.Time
		if err := rows.Scan(&s.DbNamespace, &calls, &s.TotalTimeMs, &rws, &hit, &read, &dirt, &writ, &tr, &tw, &wal, &first, &last); err != nil {
			return nil, err
		}
		s.Calls, s.Rows = float64(calls), float64(rws)
		s.SharedBlksHit, s.SharedBlksRead, s.SharedBlksDirtied, s.SharedBlksWritten = float64(hit), float64(read), float64(dirt), float64(writ)
		s.TempBlksRead, s.TempBlksWritten = float64(tr), float64(tw)
		if calls > 0 {
			m := s.TotalTimeMs / float64(calls)
			s.MeanTimeMs = &m
		}
		if hit+read > 0 {
			r := float64(hit) / float64(hit+read)
			s.CacheHitRatio = &r
		}
		if wal != nil {
			v := float64(*wal)
			s.WalBytes = &v
		}
		s.FirstHour, s.LastHour = DateTime{first}, DateTime{last}
		out = append(out, &s)
	}
	return out, rows.Err()
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
		rows, err := tx.Query(ctx, monitoredDatabasesSQL, tid)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m MonitoredDatabase
			var version, statements *int32
			var checked time.Time
			var snapAt *time.Time
			if err := rows.Scan(&m.DbNamespace, &m.Reachable, &version, &m.HasPgStatStatements, &m.HasAutoExplain, &m.HasHypopg,
				&m.Error, &checked, &snapAt, &statements); err != nil {
				return err
			}
			m.ServerVersion, m.Statements, m.CheckedAt = version, statements, DateTime{checked}
			if snapAt != nil {
				m.LastSnapshotAt = &DateTime{*snapAt}
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
		return rows.Err()
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}
