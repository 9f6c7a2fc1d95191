package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/pgstat"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
)

// serverStatsState is the leader's memory of the targets' snapshots. Nothing in it is needed
// to continue: the previous snapshot of each target is in the database.
type serverStatsState struct {
	snap   *pgstat.Snapshotter
	last   time.Time
	forgot bool                   // removed targets were forgotten once since this replica led
	status map[targets.Key]string // last status logged per target, to log changes only
}

type serverStatsMetrics struct {
	up         metric.Int64Gauge
	pgss       metric.Int64Gauge
	statements metric.Int64Gauge
	duration   metric.Float64Histogram
}

func newServerStatsMetrics(m metric.Meter) (serverStatsMetrics, error) {
	var sm serverStatsMetrics
	var err, e error
	sm.up, e = m.Int64Gauge("otelcol_perfgraphql_target_up",
		metric.WithDescription("1 when the monitored database (attributes tenant, db_namespace) answered its last check, else 0"))
	err = errors.Join(err, e)
	sm.pgss, e = m.Int64Gauge("otelcol_perfgraphql_target_pg_stat_statements",
		metric.WithDescription("1 when the monitored database's pg_stat_statements could be read at its last check, else 0"))
	err = errors.Join(err, e)
	sm.statements, e = m.Int64Gauge("otelcol_perfgraphql_target_statements",
		metric.WithDescription("pg_stat_statements entries of the monitored database at its last snapshot"), metric.WithUnit("{statement}"))
	err = errors.Join(err, e)
	sm.duration, e = m.Float64Histogram("otelcol_perfgraphql_pgss_snapshot_duration",
		metric.WithDescription("Duration of one pg_stat_statements snapshot of one monitored database (read, delta, store)"), metric.WithUnit("s"))
	err = errors.Join(err, e)
	return sm, err
}

// snapshotServerStats snapshots every target when the interval is due. A target that is down
// or lacks pg_stat_statements is reported in its status (GraphQL monitoredDatabases), the
// metrics and, when that changes, the log; only a failure to store is an error of the tick.
func (s *Scheduler) snapshotServerStats(ctx context.Context, now time.Time, res *TickResult) error {
	st := &s.serverStats
	if len(s.cfg.Targets) == 0 && st.forgot || s.conn.IsClosed() {
		return nil
	}
	if !st.last.IsZero() && now.Sub(st.last) < s.cfg.ServerStatsInterval {
		return nil
	}
	st.last = now
	if st.snap == nil {
		st.snap = &pgstat.Snapshotter{Retention: s.cfg.Retention.HourlyRollups, Logger: s.logger}
		st.status = map[targets.Key]string{}
	}
	var errs []error
	if !st.forgot {
		if err := pgstat.Forget(ctx, s.conn, s.cfg.Targets); err != nil {
			errs = append(errs, err)
		} else {
			st.forgot = true
		}
	}
	m := s.metrics.serverStats
	for _, t := range s.cfg.Targets {
		r, err := st.snap.Snapshot(ctx, s.conn, t, now)
		res.ServerStats = append(res.ServerStats, r)
		attrs := metric.WithAttributes(attribute.String("tenant", t.Tenant), attribute.String("db_namespace", t.DBNamespace))
		m.up.Record(ctx, b2i(r.Reachable), attrs)
		m.pgss.Record(ctx, b2i(r.Snapshotted), attrs)
		if r.Snapshotted {
			m.statements.Record(ctx, int64(r.Entries), attrs)
			m.duration.Record(ctx, r.Duration.Seconds(), attrs)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("server statistics of %q (tenant %q): %w", t.DBNamespace, t.Tenant, err))
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "server_stats")))
			if s.conn.IsClosed() {
				break
			}
			continue
		}
		if r.Status != st.status[t.Key()] {
			st.status[t.Key()] = r.Status
			if r.Status != "" {
				s.logger.Warn("perfgraphql: monitored database not fully available", zap.String("tenant", t.Tenant),
					zap.String("db_namespace", t.DBNamespace), zap.String("status", r.Status), zap.NamedError("cause", r.Err))
			} else {
				s.logger.Info("perfgraphql: monitored database available", zap.String("tenant", t.Tenant), zap.String("db_namespace", t.DBNamespace))
			}
		}
	}
	return errors.Join(errs...)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
