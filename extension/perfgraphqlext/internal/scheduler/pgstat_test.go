package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// The leader snapshots its targets on the ticks where the interval is due; a down target is
// reported and does not fail the tick; a new leader continues from the stored snapshot.
func TestSchedulerSnapshotsTargets(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{"shared_preload_libraries": "pg_stat_statements"}})
	shopDSN := c.CreateDatabase(t, "shop")
	c.Exec(t, "shop", "CREATE EXTENSION pg_stat_statements; CREATE TABLE items (id int PRIMARY KEY)")
	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := Config{DSN: dsn, Interval: time.Minute, PremakeDays: 1, Optimizer: optimizer.DefaultConfig(),
		Retention: Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour},
		Targets: []targets.Target{
			{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(shopDSN)},
			{DBNamespace: "down", Tenant: "acme", DSN: "postgres://postgres@127.0.0.1:1/down?sslmode=disable", ConnectTimeout: time.Second},
		},
		ServerStatsInterval: 5 * time.Minute}
	cfg.Optimizer.Enabled = false
	reader := sdkmetric.NewManualReader()
	metrics, err := NewMetrics(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	newLeader := func() *Scheduler {
		s := New(cfg, zap.NewNop(), metrics)
		s.now = func() time.Time { return now }
		t.Cleanup(s.Close)
		return s
	}
	s := newLeader()
	tick := func(s *Scheduler) TickResult {
		t.Helper()
		res, err := s.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := tick(s)
	if len(res.ServerStats) != 2 || !res.ServerStats[0].Baseline || res.ServerStats[1].Reachable {
		t.Fatalf("first tick: %+v", res.ServerStats)
	}
	app, err := pgx.Connect(context.Background(), shopDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(context.Background())
	const stmt = "SELECT id FROM items WHERE id = $1"
	for range 4 {
		if _, err := app.Exec(context.Background(), stmt, 1); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Minute)
	if res := tick(s); len(res.ServerStats) != 0 {
		t.Fatalf("snapshot before the interval: %+v", res.ServerStats)
	}
	s.Close()
	now = now.Add(5 * time.Minute)
	// the old leader's session lock goes with its backend, which may outlive the client's
	// close by a moment: the new leader ticks until it holds the lock
	next := newLeader()
	for i := 0; ; i++ {
		if res = tick(next); res.Leader || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(res.ServerStats) != 2 || res.ServerStats[0].Baseline || res.ServerStats[0].Fingerprints == 0 {
		t.Fatalf("new leader's tick: %+v", res.ServerStats)
	}
	fp := sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(stmt).Fingerprint
	calls := perfdbtest.Scalar[int64](t, pool, "SELECT coalesce(sum(calls), 0)::int8 FROM perf_query_server_hourly WHERE fingerprint = $1", int64(fp))
	if calls != 4 {
		t.Fatalf("calls %d, want 4", calls)
	}

	// self-telemetry: the target that is down and the one snapshotted
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	gauges := map[string]int64{}
	var snapshots uint64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					ns, _ := p.Attributes.Value(attribute.Key("db_namespace"))
					gauges[m.Name+"/"+ns.AsString()] = p.Value
				}
			case metricdata.Histogram[float64]:
				if m.Name == "otelcol_perfgraphql_pgss_snapshot_duration" {
					for _, p := range d.DataPoints {
						snapshots += p.Count
					}
				}
			}
		}
	}
	want := map[string]int64{"otelcol_perfgraphql_target_up/shop": 1, "otelcol_perfgraphql_target_pg_stat_statements/shop": 1,
		"otelcol_perfgraphql_target_up/down": 0, "otelcol_perfgraphql_target_pg_stat_statements/down": 0}
	for k, v := range want {
		if got, ok := gauges[k]; !ok || got != v {
			t.Errorf("%s = %d (reported %v), want %d", k, got, ok, v)
		}
	}
	if gauges["otelcol_perfgraphql_target_statements/shop"] < 1 || snapshots != 2 {
		t.Errorf("statements gauge %d, %d snapshot durations recorded (want 2)", gauges["otelcol_perfgraphql_target_statements/shop"], snapshots)
	}
}
