package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/configopaque"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// The leader plans the targets' top statements generically once pg_stat_statements has shown
// their load, and says per statement what could not be planned and why.
func TestSchedulerGenericPlans(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{"shared_preload_libraries": "pg_stat_statements"}})
	shopDSN := c.CreateDatabase(t, "shop")
	c.Exec(t, "shop", `CREATE EXTENSION pg_stat_statements;
		CREATE TABLE orders (id int PRIMARY KEY, email text NOT NULL, total int);
		INSERT INTO orders SELECT g, 'u' || g || '@example.com', g % 100 FROM generate_series(1, 5000) g;
		CREATE INDEX orders_email ON orders (email);
		CREATE TABLE events (day date NOT NULL, what text) PARTITION BY RANGE (day);
		CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
		CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
		ANALYZE`)
	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := Config{DSN: dsn, Interval: time.Minute, PremakeDays: 1, Optimizer: optimizer.DefaultConfig(),
		Retention:           Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour},
		Targets:             []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(shopDSN)}},
		ServerStatsInterval: time.Minute,
		GenericPlans:        GenericPlansConfig{Top: 20, Interval: time.Hour, Window: 24 * time.Hour}}
	cfg.Optimizer.Enabled = false
	metrics, err := NewMetrics(sdkmetric.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	s := New(cfg, zap.NewNop(), metrics)
	s.now = func() time.Time { return now }
	t.Cleanup(s.Close)
	ctx := context.Background()
	tick := func() TickResult {
		t.Helper()
		res, err := s.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := tick(); len(res.GenericPlans) != 1 || res.GenericPlans[0].Statements != 0 {
		t.Fatalf("first tick (baseline snapshot, no load known): %+v", res.GenericPlans)
	}
	app, err := pgx.Connect(ctx, shopDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(ctx)
	stmts := map[string]string{
		"SELECT id, total FROM orders WHERE email = $1":     queryplan.StatusPlanned,
		"SELECT count(*) FROM orders WHERE id IN (1, 2, 3)": queryplan.StatusPlanned,
		"SELECT 'x' IS NULL":                                queryplan.StatusNoParameterTypes,
		"SELECT 'a'::varchar(10)":                           queryplan.StatusDoesNotParse,
		"SELECT what FROM events WHERE day = $1":            queryplan.StatusPartitionPruningByNull,
		"VACUUM orders":                                     queryplan.StatusNotPlannable,
	}
	for range 3 {
		for stmt := range stmts {
			var args []any
			if stmt == "SELECT id, total FROM orders WHERE email = $1" {
				args = []any{"u7@example.com"}
			} else if stmt == "SELECT what FROM events WHERE day = $1" {
				args = []any{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
			}
			if _, err := app.Exec(ctx, stmt, append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
	}
	now = now.Add(2 * time.Minute)
	res := tick()
	if len(res.GenericPlans) != 1 || res.GenericPlans[0].Statements < len(stmts) || res.GenericPlans[0].Err != nil {
		t.Fatalf("second tick: %+v", res.GenericPlans)
	}
	t.Logf("generic plans of %d statements: %s, %v", res.GenericPlans[0].Statements, res.GenericPlans[0].Duration, res.GenericPlans[0].Statuses)
	norm := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	for stmt, want := range stmts {
		fp := int64(norm.Normalize(stmt).Fingerprint)
		var status, msg string
		var hash *int64
		if err := pool.QueryRow(ctx, `SELECT status, message, plan_hash FROM perf_generic_plan_status g JOIN perf_tenants USING (tenant_id)
			WHERE name = 'acme' AND db_namespace = 'shop' AND fingerprint = $1`, fp).Scan(&status, &msg, &hash); err != nil {
			t.Errorf("%s: %v", stmt, err)
			continue
		}
		if status != want || (hash != nil) != (want == queryplan.StatusPlanned) {
			t.Errorf("%s: status %s (%s), plan hash %v; want %s", stmt, status, msg, hash, want)
		}
	}
	fp := int64(norm.Normalize("SELECT id, total FROM orders WHERE email = $1").Fingerprint)
	var top, source string
	if err := pool.QueryRow(ctx, `SELECT top_node, source FROM perf_query_plans WHERE fingerprint = $1`, fp).Scan(&top, &source); err != nil ||
		top != "Index Scan using orders_email on orders" && top != "Bitmap Heap Scan on orders" || source != "generic" {
		t.Errorf("generic plan of the indexed lookup: %q %q %v", top, source, err)
	}
	// not due again before the interval
	now = now.Add(2 * time.Minute)
	if res := tick(); len(res.GenericPlans) != 0 {
		t.Errorf("a round before the interval: %+v", res.GenericPlans)
	}
	// more statements than top: the next round takes the 20 with the most server time
	for i := range 25 {
		// pg_stat_statements ignores aliases: the texts differ by their number of conditions
		if _, err := app.Exec(ctx, "SELECT id FROM orders WHERE id = 1"+strings.Repeat(" AND total >= 0", i)); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Hour)
	res = tick()
	if len(res.GenericPlans) != 1 || res.GenericPlans[0].Statements != 20 || res.GenericPlans[0].Err != nil {
		t.Fatalf("round with more statements than top: %+v", res.GenericPlans)
	}
	t.Logf("generic plans of the top %d statements: %s (connect, explain, store)", res.GenericPlans[0].Statements, res.GenericPlans[0].Duration)
	// past the hourly rollups' retention, the plans and statuses of statements that stopped
	// running go (the next round makes them again from the statistics still in the window)
	perfdbtest.Exec(t, pool, `UPDATE perf_query_plans SET last_seen = last_seen - interval '100 days';
		UPDATE perf_generic_plan_status SET checked_at = checked_at - interval '100 days'`)
	now = now.Add(time.Hour)
	res = tick()
	if res.PlanRowsPruned < int64(len(stmts)) || len(res.GenericPlans) != 1 {
		t.Errorf("pruned %d rows, round %+v", res.PlanRowsPruned, res.GenericPlans)
	}
}
