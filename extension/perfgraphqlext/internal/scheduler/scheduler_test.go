package scheduler

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// With 5 000 idle tenants and one that wrote, a tick refreshes (and optimizes) that one
// tenant only; the next tick, with nothing new, refreshes none; a finished day waiting to be
// merged into the daily rollups still gets its tenant refreshed.
func TestSchedulerRefreshesOnlyTenantsWithWork(t *testing.T) {
	const fp = int64(0x0aaa_0000_0000_0001)
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	perfdbtest.Exec(t, pool, `INSERT INTO perf_tenants (name) SELECT 'idle-' || g FROM generate_series(1, 5000) g`)
	tid := perfgraphqltest.SeedTenant(t, pool, "busy", fp)
	base := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, base, base.Add(2*time.Hour), 20, fp, 1)

	cfg := Config{DSN: dsn, Interval: time.Minute, PremakeDays: 3, Optimizer: optimizer.DefaultConfig(),
		Retention: Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour}}
	metrics, err := NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, zap.NewNop(), metrics)
	t.Cleanup(s.Close)
	tick := func() TickResult {
		t.Helper()
		res, err := s.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := tick()
	if res.Tenants != 1 || res.HoursRefreshed < 2 {
		t.Fatalf("first tick refreshed %d tenants (%d hours), want the 1 tenant with dirty hours", res.Tenants, res.HoursRefreshed)
	}
	if !res.OptimizerRan || res.OptimizedTenants != 1 {
		t.Fatalf("first tick optimized %d tenants (ran %v), want 1", res.OptimizedTenants, res.OptimizerRan)
	}
	if res := tick(); res.Tenants != 0 {
		t.Fatalf("a tick without new data refreshed %d tenants, want 0", res.Tenants)
	}

	// an idle tenant with a finished day still to merge is refreshed once
	perfdbtest.Exec(t, pool, `INSERT INTO perf_rollup_pending_days
		SELECT tenant_id, perf_day(now()) - interval '1 day' FROM perf_tenants WHERE name = 'idle-42'`)
	if res := tick(); res.Tenants != 1 {
		t.Fatalf("a tick with one pending day refreshed %d tenants, want 1", res.Tenants)
	}
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_rollup_pending_days WHERE day < perf_day(now())`); n != 0 {
		t.Fatalf("%d finished days left unmerged", n)
	}

	// a later tick runs the engine only for tenants with active recommendations (at most busy):
	// idle-42's day merge took no new data, and busy got none since its run
	s.now = func() time.Time { return time.Now().Add(cfg.Optimizer.Interval + time.Minute) }
	active := perfdbtest.Scalar[int](t, pool, `SELECT count(DISTINCT tenant_id) FROM perf_recommendations WHERE status = 'ACTIVE'`)
	res = tick()
	if res.OptimizedTenants != active || res.Triggers[TriggerInterval] != active {
		t.Fatalf("later tick ran the engine for %d tenants (%v), want the %d with active recommendations", res.OptimizedTenants, res.Triggers, active)
	}
}

// The engine runs on the first tick after new data, however far optimizer.interval is, but a
// tenant is not run twice within optimizer.min_interval; without new data it waits for
// optimizer.interval. What was judged is in the database: a new leader does not run again
// what its predecessor judged, and does run what its predecessor refreshed but did not judge.
func TestSchedulerRunsEngineSoonAfterNewData(t *testing.T) {
	const fp = int64(0x0aaa_0000_0000_0002)
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop", fp)
	base := time.Now().UTC().Truncate(time.Hour).Add(-6 * time.Hour)
	hour := func(i int) time.Time { return base.Add(time.Duration(i) * time.Hour) }
	perfgraphqltest.SeedTraffic(t, pool, tid, hour(0), hour(2), 120, fp, 1)

	oc := optimizer.DefaultConfig()
	oc.Interval, oc.MinInterval = time.Hour, 30*time.Second
	// the seeded traffic is small: the dominant-statement floor is lowered so it gives a recommendation
	oc.Dominant.MinTotalDuration = time.Millisecond
	cfg := Config{DSN: dsn, Interval: 15 * time.Second, PremakeDays: 1, Optimizer: oc,
		Retention: Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour}}
	metrics, err := NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	newScheduler := func() *Scheduler {
		s := New(cfg, zap.NewNop(), metrics)
		t.Cleanup(s.Close)
		return s
	}
	s := newScheduler()
	runs := 0 // engine runs so far, checked against perf_optimizer_runs
	// tickAt ticks s at t0+at and checks which trigger, if any, ran the engine for the tenant
	tickAt := func(s *Scheduler, at time.Duration, want string, what string) TickResult {
		t.Helper()
		s.now = func() time.Time { return t0.Add(at) }
		res, err := s.Tick(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !res.Leader {
			t.Fatalf("%s: not the leader", what)
		}
		got := ""
		for trigger, n := range res.Triggers {
			if n != 1 || got != "" {
				t.Fatalf("%s: engine runs %v, want at most one", what, res.Triggers)
			}
			got = trigger
		}
		if got != want {
			t.Fatalf("%s (t0+%s): engine ran for %q, want %q (triggers %v)", what, at, got, want, res.Triggers)
		}
		if want != "" {
			runs++
		}
		if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_optimizer_runs WHERE tenant_id = $1`, tid); n != runs {
			t.Fatalf("%s: %d runs logged, want %d", what, n, runs)
		}
		return res
	}

	if res := tickAt(s, 0, TriggerNewData, "first data"); res.HoursRefreshed < 2 {
		t.Fatalf("first tick refreshed %d hours", res.HoursRefreshed)
	}
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_recommendations WHERE tenant_id = $1 AND status = 'ACTIVE'`, tid); n == 0 {
		t.Fatal("the seeded traffic gave no active recommendation; the interval cases below need one")
	}
	tickAt(s, 15*time.Second, "", "no new data")

	// new data within min_interval of the last run waits for it, however many ticks see it
	perfgraphqltest.SeedTraffic(t, pool, tid, hour(2), hour(3), 120, fp, 2)
	if res := tickAt(s, 20*time.Second, "", "new data 20s after the last run"); res.Tenants != 1 {
		t.Fatalf("new data was not refreshed (%d tenants)", res.Tenants)
	}
	perfgraphqltest.SeedTraffic(t, pool, tid, hour(3), hour(4), 120, fp, 3)
	tickAt(s, 25*time.Second, "", "more new data 25s after the last run")
	// due once min_interval passed, even on a tick that arrives a little early
	tickAt(s, 30*time.Second-100*time.Millisecond, TriggerNewData, "min_interval passed")
	tickAt(s, 45*time.Second, "", "judged, nothing new")

	// without new data, only optimizer.interval brings the next run (active recommendations
	// resolve that way)
	tickAt(s, 10*time.Minute, "", "10m later, no new data")
	tickAt(s, 30*time.Second+59*time.Minute, "", "59m after the last run")
	last := 30*time.Second + time.Hour
	tickAt(s, last, TriggerInterval, "optimizer.interval passed")

	// a new leader knows what was judged
	s.Close()
	s = newScheduler()
	tickAt(s, last+time.Minute, "", "new leader, nothing new")
	perfgraphqltest.SeedTraffic(t, pool, tid, hour(4), hour(5), 120, fp, 4)
	tickAt(s, last+2*time.Minute, TriggerNewData, "new leader, new data")

	// a leader that refreshed new data within min_interval and stopped leaves it to the next
	perfgraphqltest.SeedTraffic(t, pool, tid, hour(5), hour(6), 120, fp, 5)
	if res := tickAt(s, last+2*time.Minute+15*time.Second, "", "new data within min_interval"); res.Tenants != 1 {
		t.Fatalf("new data was not refreshed (%d tenants)", res.Tenants)
	}
	s.Close()
	s = newScheduler()
	if res := tickAt(s, last+3*time.Minute, TriggerNewData, "next leader, data its predecessor refreshed"); res.Tenants != 0 {
		t.Fatalf("next leader refreshed %d tenants, want 0 (its predecessor did)", res.Tenants)
	}
	tickAt(s, last+3*time.Minute+15*time.Second, "", "next leader, judged")
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_optimizer_pending`); n != 0 {
		t.Fatalf("%d tenants still marked unjudged", n)
	}
}

// Partitions and retention, which work on whole days, are done on a leader's first tick and
// then every maintenanceEvery, not on every (short) tick; a new leader does them at once.
func TestSchedulerMaintainsPartitionsEveryFewMinutes(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := Config{DSN: dsn, Interval: 15 * time.Second, PremakeDays: 2, Optimizer: optimizer.DefaultConfig(),
		Retention: Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour}}
	metrics, err := NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	farDay := t0.AddDate(0, 0, cfg.PremakeDays).Format("20060102")
	tickAt := func(s *Scheduler, at time.Duration) int {
		t.Helper()
		s.now = func() time.Time { return t0.Add(at) }
		res, err := s.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res.PartitionsCreated
	}
	dropFar := func() {
		t.Helper()
		perfdbtest.Exec(t, pool, "DROP TABLE IF EXISTS api_performance_log_p"+farDay)
	}
	s := New(cfg, zap.NewNop(), metrics)
	t.Cleanup(s.Close)
	if n := tickAt(s, 0); n == 0 {
		t.Fatal("first tick created no partition")
	}
	dropFar()
	if n := tickAt(s, cfg.Interval); n != 0 {
		t.Fatalf("a tick %s later created %d partitions, want 0 (maintenance every %s)", cfg.Interval, n, maintenanceEvery)
	}
	if n := tickAt(s, maintenanceEvery); n != 1 {
		t.Fatalf("a tick %s later created %d partitions, want the 1 dropped", maintenanceEvery, n)
	}
	dropFar()
	s.Close()
	s2 := New(cfg, zap.NewNop(), metrics)
	t.Cleanup(s2.Close)
	if n := tickAt(s2, maintenanceEvery+cfg.Interval); n != 1 {
		t.Fatalf("a new leader's first tick created %d partitions, want 1", n)
	}
}

// The scheduler's connection carries the engine's session settings (no JIT).
func TestSchedulerConnectionHasEngineSettings(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	conn, err := connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for k, want := range optimizer.SessionParams {
		var got string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", k).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", k, got, err, want)
		}
	}
}
