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

	// a later optimizer run looks only at tenants refreshed since (idle-42) or with active
	// recommendations (at most busy)
	s.now = func() time.Time { return time.Now().Add(cfg.Optimizer.Interval + time.Minute) }
	res = tick()
	if !res.OptimizerRan || res.OptimizedTenants < 1 || res.OptimizedTenants > 2 {
		t.Fatalf("later optimizer run looked at %d tenants (ran %v), want idle-42 and at most busy", res.OptimizedTenants, res.OptimizerRan)
	}
}
