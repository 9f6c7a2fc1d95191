// Package scheduler runs the perfgraphql extension's background work on every replica:
// partition maintenance, the incremental rollup refresh, retention and the optimization
// engine (internal/optimizer). A PostgreSQL session advisory lock makes exactly one replica
// do the work of a tick.
package scheduler

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/pgstat"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// schedulerLockID is the session advisory lock whose holder does the scheduler's work.
// ("otlperf\x03"; distinct from the migration lock.)
const schedulerLockID int64 = 0x6f74_6c70_6572_6603

var (
	//go:embed sql/tenants_to_refresh.sql
	sqlTenantsToRefresh string
	//go:embed sql/tenants_to_optimize.sql
	sqlTenantsToOptimize string
	//go:embed sql/mark_new_data.sql
	sqlMarkNewData string
	//go:embed sql/clear_judged.sql
	sqlClearJudged string
)

// Why the engine runs for a tenant (the trigger attribute of otelcol_perfgraphql_optimizer_runs;
// the values tenants_to_optimize.sql returns).
const (
	TriggerNewData  = "new_data"
	TriggerInterval = "interval"
)

// maintenanceEvery: how often a leader premakes partitions and applies retention, which all
// work on whole days.
const maintenanceEvery = 5 * time.Minute

// partitioned tables and the retention that applies to each
var retentionTables = []struct {
	table     string
	resources bool
}{
	{perfdb.APILogTable, false},
	{perfdb.QueryLogTable, false},
	{perfdb.ResourceMetricsTable, true},
	{perfdb.PoolMetricsTable, true},
}

// Config is what the scheduler takes of the extension's configuration.
type Config struct {
	DSN         string
	Interval    time.Duration // between ticks
	PremakeDays int           // partitions are created for today .. today+PremakeDays
	Retention   Retention
	Optimizer   optimizer.Config
	// Targets whose pg_stat_statements are snapshotted every ServerStatsInterval (pgstat.go).
	Targets             []targets.Target
	ServerStatsInterval time.Duration
	// GenericPlans of the targets' top statements (genericplans.go).
	GenericPlans GenericPlansConfig
	// Alerts evaluates the alert rules on each tick (alerting.go); nil: no rules.
	Alerts *alerting.Evaluator
}

// Retention is how long rows are kept (the extension's retention.* keys).
type Retention struct {
	Logs, Resources             time.Duration // daily partitions dropped when older
	HourlyRollups, DailyRollups time.Duration // rollup rows deleted by whole days
	MinuteRollups               time.Duration // minute rollup rows deleted by minute
	// LateDataHorizon (0: off): hours that ended longer ago are sealed (seal.go), their DB
	// spans thinned by RawSpans (keep_all, keep_interesting, keep_sample at RawSampleRate)
	// keeping those of requests / DB spans at least RawSlowRequest / RawSlowQuery slow.
	LateDataHorizon              time.Duration
	RawSpans                     string
	RawSampleRate                float64
	RawSlowRequest, RawSlowQuery time.Duration
}

// Scheduler runs partition maintenance and the incremental rollup refresh. All replicas
// tick; only the one holding the session advisory lock on its dedicated connection works,
// the others skip the tick. The holder keeps the lock until it stops or its connection breaks.
type Scheduler struct {
	cfg     Config
	logger  *zap.Logger
	metrics *Metrics
	now     func() time.Time

	mu      sync.Mutex // serializes ticks (the dedicated connection is not concurrency-safe)
	conn    *pgx.Conn
	holding bool
	// lastMaintenance: when this leader last premade and dropped partitions and expired
	// rollups without error (zero: not since it took the lock)
	lastMaintenance time.Time

	// optimization engine: runs on ticks for the tenants tenants_to_optimize.sql finds due;
	// what it has judged is in the database (perf_optimizer_pending, perf_optimizer_runs), so
	// a new leader goes on where the last one stopped
	opt *optimizer.Engine

	serverStats      serverStatsState // pgstat.go
	lastGenericPlans time.Time        // genericplans.go
	// seal.go: when hours were last sealed, and whether a tenant had more than one round sealed
	lastSeal    time.Time
	sealBacklog bool
}

// TickResult is what one tick did.
type TickResult struct {
	Leader            bool
	PartitionsCreated int
	PartitionsDropped int
	HoursRefreshed    int
	// Tenants whose rollups were refreshed: only those with dirty hours or a day to merge.
	Tenants int
	// RollupRowsDropped: hourly and daily rollup rows deleted after their retention.
	RollupRowsDropped int64
	// Recommendations reported by the optimization engine on this tick (0 when it did not run).
	OptimizerRan    bool
	Recommendations int
	// OptimizedTenants: tenants the optimization engine ran for on this tick; Triggers: how
	// many of them ran for each reason (TriggerNewData, TriggerInterval).
	OptimizedTenants int
	Triggers         map[string]int
	// ServerStats: the targets' snapshots taken on this tick (none when it was not due).
	ServerStats []pgstat.Result
	// GenericPlans: the targets' generic plan rounds of this tick (none when not due).
	GenericPlans []GenericPlanResult
	// PlanRowsPruned: plan, plan change and generic plan status rows past the hourly
	// rollups' retention, deleted on a generic plan round.
	PlanRowsPruned int64
	// Alerts: what the alert evaluation did on this tick.
	Alerts alerting.Result
	// Sealed: the hours sealed past the late-data horizon on this tick (seal.go).
	Sealed SealResult
}

// Metrics are the scheduler's self-telemetry.
type Metrics struct {
	refreshDuration metric.Float64Histogram
	hoursRefreshed  metric.Int64Counter
	created         metric.Int64Counter
	dropped         metric.Int64Counter
	ticks           metric.Int64Counter
	errors          metric.Int64Counter
	optimizerRuns   metric.Int64Counter
	detectorTime    metric.Float64Histogram
	serverStats     serverStatsMetrics // pgstat.go
	// genericPlanDuration: one target's generic plan round (genericplans.go)
	genericPlanDuration metric.Float64Histogram
}

// NewMetrics registers the scheduler's instruments.
func NewMetrics(mp metric.MeterProvider) (*Metrics, error) {
	m := mp.Meter(metadata.ScopeName)
	var err, e error
	sm := &Metrics{}
	sm.refreshDuration, e = m.Float64Histogram("otelcol_perfgraphql_refresh_duration",
		metric.WithDescription("Duration of refresh_performance_metrics_incremental per tenant"), metric.WithUnit("s"))
	err = errors.Join(err, e)
	for _, c := range []struct {
		dst              *metric.Int64Counter
		name, desc, unit string
	}{
		{&sm.hoursRefreshed, "otelcol_perfgraphql_refresh_hours", "Hour buckets re-aggregated by the rollup refresh", "{hour}"},
		{&sm.created, "otelcol_perfgraphql_partitions_created", "Daily partitions created ahead of time", "{partition}"},
		{&sm.dropped, "otelcol_perfgraphql_partitions_dropped", "Daily partitions dropped after their retention", "{partition}"},
		{&sm.ticks, "otelcol_perfgraphql_scheduler_ticks", "Scheduler ticks; role=leader did the work, role=standby skipped it (another replica holds the lock)", ""},
		{&sm.errors, "otelcol_perfgraphql_scheduler_errors", "Scheduler steps that failed (logged)", ""},
		{&sm.optimizerRuns, "otelcol_perfgraphql_optimizer_runs", "Optimization engine runs for one tenant; trigger=new_data: its rollups took data the engine had not judged, trigger=interval: it has active recommendations and optimizer.interval passed", "{run}"},
	} {
		opts := []metric.Int64CounterOption{metric.WithDescription(c.desc)}
		if c.unit != "" {
			opts = append(opts, metric.WithUnit(c.unit))
		}
		*c.dst, e = m.Int64Counter(c.name, opts...)
		err = errors.Join(err, e)
	}
	sm.detectorTime, e = m.Float64Histogram("otelcol_perfgraphql_optimizer_detector_duration",
		metric.WithDescription("Duration of one optimization engine detector for one tenant (attribute detector)"), metric.WithUnit("s"))
	err = errors.Join(err, e)
	sm.serverStats, e = newServerStatsMetrics(m)
	err = errors.Join(err, e)
	sm.genericPlanDuration, e = m.Float64Histogram("otelcol_perfgraphql_generic_plans_duration",
		metric.WithDescription("Duration of one round of generic plans of one monitored database's top statements (connect, explain, store)"), metric.WithUnit("s"))
	err = errors.Join(err, e)
	return sm, err
}

// New makes a scheduler; Run starts it.
func New(cfg Config, logger *zap.Logger, metrics *Metrics) *Scheduler {
	s := &Scheduler{cfg: cfg, logger: logger, metrics: metrics, now: time.Now}
	if cfg.Optimizer.Enabled {
		s.opt = optimizer.New(cfg.Optimizer, logger)
	}
	return s
}

// Run ticks until ctx is done, then releases the lock.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.logger.Warn("perfgraphql scheduler tick failed", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			s.Close()
			return
		case <-t.C:
		}
	}
}

// Close ends the scheduler's session, which releases the lock if it held it.
func (s *Scheduler) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// closing the session releases the advisory lock, but only once its backend has
		// exited, which can be after Close returns: unlocking first hands the work to another
		// replica at once
		if s.holding && !s.conn.IsClosed() {
			_, _ = s.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", schedulerLockID)
		}
		_ = s.conn.Close(ctx)
		s.conn = nil
		s.holding = false
		s.lastMaintenance, s.lastSeal = time.Time{}, time.Time{}
	}
}

// connect opens the scheduler's connection, with the settings the optimization engine runs
// under (the refresh functions set their own).
func connect(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	optimizer.UseSessionParams(cc)
	return pgx.ConnectConfig(ctx, cc)
}

// Tick does one round of work if this replica holds (or can take) the scheduler lock.
func (s *Scheduler) Tick(ctx context.Context) (TickResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res TickResult
	if s.conn == nil || s.conn.IsClosed() {
		conn, err := connect(ctx, s.cfg.DSN)
		if err != nil {
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "connect")))
			return res, fmt.Errorf("scheduler connect: %w", err)
		}
		s.conn, s.holding = conn, false
	}
	if !s.holding {
		if err := s.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", schedulerLockID).Scan(&s.holding); err != nil {
			s.reset()
			return res, fmt.Errorf("scheduler lock: %w", err)
		}
	}
	if !s.holding {
		s.metrics.ticks.Add(ctx, 1, metric.WithAttributes(attribute.String("role", "standby")))
		return res, nil
	}
	res.Leader = true
	s.metrics.ticks.Add(ctx, 1, metric.WithAttributes(attribute.String("role", "leader")))

	var errs []error
	// microseconds, as PostgreSQL stores it: the engine's run and the new data of this tick
	// carry the same time (tenants_to_optimize.sql compares them)
	now := s.now().UTC().Truncate(time.Microsecond)
	// partitions and retention work on whole days: a leader does them on its first tick and
	// then every maintenanceEvery, not on every tick (which a short scheduler.interval makes
	// frequent, and rollup retention visits every tenant)
	if s.lastMaintenance.IsZero() || now.Sub(s.lastMaintenance) >= maintenanceEvery || now.Before(s.lastMaintenance) {
		var maintErrs []error
		created, err := perfdb.CreatePartitions(ctx, s.conn, now, now.AddDate(0, 0, s.cfg.PremakeDays))
		if err != nil {
			maintErrs = append(maintErrs, err)
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "premake")))
		}
		res.PartitionsCreated = created
		s.metrics.created.Add(ctx, int64(created))
		for _, rt := range retentionTables {
			ret := s.cfg.Retention.Logs
			if rt.resources {
				ret = s.cfg.Retention.Resources
			}
			dropped, err := perfdb.DropExpiredPartitions(ctx, s.conn, rt.table, ret, now)
			if err != nil {
				maintErrs = append(maintErrs, err)
				s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "retention")))
				continue
			}
			if len(dropped) > 0 {
				s.logger.Info("perfgraphql dropped expired partitions", zap.String("table", rt.table), zap.Strings("partitions", dropped))
			}
			res.PartitionsDropped += len(dropped)
			s.metrics.dropped.Add(ctx, int64(len(dropped)), metric.WithAttributes(attribute.String("table", rt.table)))
		}
		if err := s.conn.QueryRow(ctx, "SELECT perf_drop_expired_rollups($1, $2, $3, $4)", s.cfg.Retention.HourlyRollups,
			s.cfg.Retention.DailyRollups, now, s.cfg.Retention.MinuteRollups).Scan(&res.RollupRowsDropped); err != nil {
			maintErrs = append(maintErrs, fmt.Errorf("rollup retention: %w", err))
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "rollup_retention")))
		}
		if len(maintErrs) == 0 {
			s.lastMaintenance = now
		}
		errs = append(errs, maintErrs...)
	}

	tenants, err := queryNames(ctx, s.conn, sqlTenantsToRefresh)
	if err != nil {
		errs = append(errs, fmt.Errorf("list tenants: %w", err))
		s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "tenants")))
	}
	for _, tenant := range tenants {
		started := time.Now()
		var hours, ms int
		var status string
		err := s.refresh(ctx, tenant, now, &hours, &ms, &status)
		if err != nil {
			errs = append(errs, fmt.Errorf("refresh tenant %q: %w", tenant, err))
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "refresh")))
			continue
		}
		res.Tenants++
		res.HoursRefreshed += hours
		s.metrics.refreshDuration.Record(ctx, time.Since(started).Seconds())
		s.metrics.hoursRefreshed.Add(ctx, int64(hours))
	}
	if sealed, err := s.seal(ctx, now); err != nil {
		errs = append(errs, err)
		s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "seal")))
	} else {
		res.Sealed = sealed
	}
	// --- optimization engine, same lock, after the rollups it reads ---
	if s.opt != nil && !s.conn.IsClosed() {
		s.optimize(ctx, now, &res, &errs)
	}
	// --- end optimization engine ---
	s.evaluateAlerts(ctx, now, &res, &errs)
	if err := s.snapshotServerStats(ctx, now, &res); err != nil {
		errs = append(errs, err)
	}
	if err := s.planTopStatements(ctx, now, &res); err != nil {
		errs = append(errs, err)
	}
	if s.conn.IsClosed() {
		s.reset()
	}
	return res, errors.Join(errs...)
}

// refresh refreshes one tenant's rollups and, in the same transaction, marks its new data
// for the engine: a refresh that fails marks nothing, and one that commits cannot lose its mark.
func (s *Scheduler) refresh(ctx context.Context, tenant string, now time.Time, hours, ms *int, status *string) error {
	tx, err := s.conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if s.opt != nil {
		if _, err := tx.Exec(ctx, sqlMarkNewData, tenant, now); err != nil {
			return fmt.Errorf("mark new data: %w", err)
		}
	}
	// hours wholly past the minute retention get no minute rows (perf_drop_expired_rollups would delete them)
	if err := tx.QueryRow(ctx, "SELECT hours_refreshed, duration_ms, status FROM refresh_performance_metrics_incremental($1, $2)",
		tenant, s.cfg.Retention.MinuteRollups).Scan(hours, ms, status); err != nil {
		return err
	}
	// Live subscriptions of every replica re-read the tenant's overview; NOTIFY is sent on
	// commit, so none reads before the refreshed rollups are visible.
	if *hours > 0 {
		if err := livehub.Notify(ctx, tx, tenant, livehub.Event{Kind: livehub.KindRefresh}); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return tx.Commit(ctx)
}

// tickSlackDivisor: a run is due when its gap has passed within a tenth of a tick, so that ticks
// arriving a few milliseconds early (jitter) do not put it off by a whole tick.
const tickSlackDivisor = 10

// optimize runs the engine for the tenants due on this tick (tenants_to_optimize.sql).
func (s *Scheduler) optimize(ctx context.Context, now time.Time, res *TickResult, errs *[]error) {
	fail := func(err error) {
		*errs = append(*errs, err)
		s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "optimizer")))
	}
	rows, err := s.conn.Query(ctx, sqlTenantsToOptimize, now.Add(s.cfg.Interval/tickSlackDivisor),
		s.cfg.Optimizer.NewDataGap(), s.cfg.Optimizer.Interval)
	if err != nil {
		fail(fmt.Errorf("optimizer tenants: %w", err))
		return
	}
	type due struct{ Tenant, Trigger string }
	tenants, err := pgx.CollectRows(rows, pgx.RowToStructByPos[due])
	if err != nil {
		fail(fmt.Errorf("optimizer tenants: %w", err))
		return
	}
	for _, d := range tenants {
		r, err := s.opt.Run(ctx, s.conn, d.Tenant, now)
		res.OptimizerRan = true
		res.OptimizedTenants++
		if res.Triggers == nil {
			res.Triggers = map[string]int{}
		}
		res.Triggers[d.Trigger]++
		res.Recommendations += r.Detected
		s.metrics.optimizerRuns.Add(ctx, 1, metric.WithAttributes(attribute.String("trigger", d.Trigger)))
		for name, dur := range r.DetectorDurations {
			s.metrics.detectorTime.Record(ctx, dur.Seconds(), metric.WithAttributes(attribute.String("detector", name)))
		}
		if err != nil {
			fail(fmt.Errorf("optimizer tenant %q: %w", d.Tenant, err))
			if ctx.Err() != nil || s.conn.IsClosed() {
				return
			}
		}
		if _, err := s.conn.Exec(ctx, sqlClearJudged, d.Tenant); err != nil {
			fail(fmt.Errorf("optimizer tenant %q: clear judged data: %w", d.Tenant, err))
		}
	}
}

// queryNames runs a query whose rows are one text column.
func queryNames(ctx context.Context, conn *pgx.Conn, sql string, args ...any) ([]string, error) {
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (s *Scheduler) reset() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = s.conn.Close(ctx)
		cancel()
	}
	s.conn, s.holding = nil, false
	s.lastMaintenance, s.lastSeal = time.Time{}, time.Time{}
}
