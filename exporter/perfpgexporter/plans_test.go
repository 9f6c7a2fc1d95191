package perfpgexporter

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// targetsHost stands for a collector whose perfgraphql extension has targets.
type targetsHost struct{ targets map[string][]string }

func (h targetsHost) GetExtensions() map[component.ID]component.Component {
	return map[component.ID]component.Component{component.MustNewID("perfgraphql"): h}
}
func (targetsHost) Start(context.Context, component.Host) error { return nil }
func (targetsHost) Shutdown(context.Context) error              { return nil }
func (h targetsHost) TargetTenants() map[string][]string        { return h.targets }

// Literals the application's statements carry: none may reach the performance database.
var plantedLiterals = []string{"alice.secret@example.com", "topsecret-4711", "987654321", "s3cr3t-token",
	"dollar-secret-1", "esc-secret-2", "arr-secret-3", "comment-secret-4", "271828", "json-secret-5", "31.4159"}

// Real traffic on a private cluster (pg_stat_statements and auto_explain preloaded, jsonlog)
// produces auto_explain JSON plans in the server log; the contrib filelog receiver reads
// them into the perfpg exporter's logs path, which stores them under the target's tenant and
// the client's fingerprint; a DROP INDEX records a plan change; no literal is stored.
func TestAutoExplainPlansThroughFilelog(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{
		"shared_preload_libraries":      "pg_stat_statements,auto_explain",
		"logging_collector":             "on",
		"log_destination":               "jsonlog",
		"log_timezone":                  "UTC",
		"auto_explain.log_min_duration": "0",
		"auto_explain.log_format":       "json",
		"auto_explain.log_analyze":      "on",
		"auto_explain.log_buffers":      "on",
		"auto_explain.log_verbose":      "on",
	}})
	shopDSN := c.CreateDatabase(t, "shop")
	c.Exec(t, "shop", `CREATE TABLE orders (id serial PRIMARY KEY, email text NOT NULL, note text, total int);
		INSERT INTO orders (email, note, total) SELECT 'user' || g || '@example.com', 'note ' || g, g % 1000 FROM generate_series(1, 20000) g;
		CREATE INDEX orders_email ON orders (email); ANALYZE orders`)

	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.BackOffConfig.Enabled = false
	reader := sdkmetric.NewManualReader()
	set := exportertest.NewNopSettings(metadata.Type)
	set.Logger = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	set.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exp, err := NewFactory().CreateLogs(ctx, set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	host := targetsHost{targets: map[string][]string{"shop": {"acme"}}}
	if err := exp.Start(ctx, host); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = exp.Shutdown(context.Background()) }()

	rf := filelogreceiver.NewFactory()
	rcfg := rf.CreateDefaultConfig()
	if err := confmap.NewFromStringMap(map[string]any{
		"include": []any{filepath.Join(c.LogDir, "*.json")}, "start_at": "beginning", "poll_interval": "100ms",
		"resource": map[string]any{"db.system.name": "postgresql"},
	}).Unmarshal(rcfg); err != nil {
		t.Fatal(err)
	}
	rcv, err := rf.CreateLogs(ctx, receivertest.NewNopSettings(rf.Type()), rcfg, exp)
	if err != nil {
		t.Fatal(err)
	}
	if err := rcv.Start(ctx, componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rcv.Shutdown(context.Background()) }()

	// the application: extended protocol (pgx's default) and simple protocol with literals
	const clientStmt = "SELECT id, note FROM orders WHERE email = $1 AND total < $2"
	app, err := pgx.Connect(ctx, shopDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(context.Background())
	run := func() {
		t.Helper()
		for i := 0; i < 3; i++ {
			if _, err := app.Exec(ctx, clientStmt, plantedLiterals[0], 987654321); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := app.Exec(ctx, "SELECT id, note FROM orders WHERE email = 'alice.secret@example.com' AND total < 987654321",
			pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Exec(ctx, "SELECT count(*) FROM orders WHERE note LIKE '%topsecret-4711%' OR note = $1", "s3cr3t-token"); err != nil {
			t.Fatal(err)
		}
		// every kind of literal, in filters, function calls, arrays, JSON and a comment
		if _, err := app.Exec(ctx, `/* comment-secret-4 */ SELECT count(*), max(o.total * 31.4159) FROM orders o
			JOIN generate_series(1, 10) g ON g = o.total + 271828
			WHERE o.note = $$dollar-secret-1$$ OR o.note = E'esc-secret-2\\n' OR o.email = ANY('{arr-secret-3,x}')
			   OR '{"k": "json-secret-5"}'::jsonb ? o.note`, pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatal(err)
		}
	}
	run()
	// a database without a target
	c.Exec(t, "postgres", "SELECT count(*) FROM pg_class WHERE relname = 's3cr3t-token'")
	fp := int64(sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(clientStmt).Fingerprint)

	waitFor := func(what, query string, want int) {
		t.Helper()
		deadline := time.Now().Add(45 * time.Second)
		for {
			var n int
			if err := pool.QueryRow(ctx, query, fp).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n >= want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d after 45s, want %d", what, n, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitFor("sightings of the client's statement", `SELECT coalesce(sum(times_seen), 0)::int FROM perf_query_plans
		JOIN perf_tenants USING (tenant_id) WHERE name = 'acme' AND db_namespace = 'shop' AND fingerprint = $1 AND source = 'actual'`, 4)
	waitFor("plans of the statement with every kind of literal", `SELECT count(*)::int FROM perf_query_plans
		WHERE plan_text LIKE '%::jsonb%' AND $1::int8 IS NOT NULL`, 1)
	var literalsText string
	if err := pool.QueryRow(ctx, `SELECT plan_text FROM perf_query_plans WHERE plan_text LIKE '%::jsonb%'`).Scan(&literalsText); err != nil {
		t.Fatal(err)
	}
	t.Logf("the plan of the statement with every kind of literal:\n%s", literalsText)
	var top, text string
	if err := pool.QueryRow(ctx, `SELECT top_node, plan_text FROM perf_query_plans WHERE fingerprint = $1`, fp).Scan(&top, &text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "orders_email") {
		t.Errorf("the plan before DROP INDEX does not use orders_email: %s\n%s", top, text)
	}

	c.Exec(t, "shop", "DROP INDEX orders_email")
	run()
	waitFor("plans of the statement", `SELECT count(*)::int FROM perf_query_plans WHERE fingerprint = $1`, 2)
	waitFor("plan changes", `SELECT count(*)::int FROM perf_query_plan_changes WHERE fingerprint = $1`, 1)
	// the four executions may reach the store in more than one batch
	waitFor("sightings of the new plan", `SELECT coalesce(sum(times_seen), 0)::int FROM perf_query_plans WHERE fingerprint = $1
		AND plan_hash = (SELECT new_plan_hash FROM perf_query_plan_changes WHERE fingerprint = $1)`, 4)
	var seqText string
	if err := pool.QueryRow(ctx, `SELECT plan_text FROM perf_query_plans p WHERE fingerprint = $1 AND plan_hash =
		(SELECT new_plan_hash FROM perf_query_plan_changes WHERE fingerprint = $1)`, fp).Scan(&seqText); err != nil {
		t.Fatal(err)
	}
	t.Logf("before DROP INDEX:\n%s\nafter:\n%s", text, seqText)
	if !strings.Contains(seqText, "Seq Scan on public.orders") || !strings.Contains(seqText, "Filter: ") {
		t.Errorf("the plan after DROP INDEX:\n%s", seqText)
	}
	// the generic plan of the same statement has the same shape, so the same hash
	var newHash int64
	if err := pool.QueryRow(ctx, `SELECT new_plan_hash FROM perf_query_plan_changes WHERE fingerprint = $1`, fp).Scan(&newHash); err != nil {
		t.Fatal(err)
	}
	tx, err := app.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := queryplan.ExplainGeneric(ctx, tx, "perf_test", sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(clientStmt).Normalized)
	_ = tx.Rollback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gp, err := queryplan.Redact([]byte(raw)); err != nil || gp.Hash != newHash {
		t.Errorf("generic plan hash %d (%v), actual plan hash %d:\n%s", gp.Hash, err, newHash, gp.Text)
	}
	var execMin, execTotal float64
	var seen int
	if err := pool.QueryRow(ctx, `SELECT exec_min_ms, exec_total_ms, times_seen FROM perf_query_plans WHERE fingerprint = $1 AND plan_text = $2`,
		fp, seqText).Scan(&execMin, &execTotal, &seen); err != nil || execMin <= 0 || execTotal < execMin*float64(seen) || seen != 4 {
		t.Errorf("execution figures: min %v total %v seen %d (%v)", execMin, execTotal, seen, err)
	}
	// the statements of the other database (postgres: the test's set-up) have no target
	if n := sumCounter(t, reader, "otelcol_perfpg_rows_dropped", dropUnknownDatabase); n == 0 {
		t.Error("records of a database without a target were not counted as dropped")
	}
	if n := sumCounter(t, reader, "otelcol_perfpg_rows_dropped", dropNotAPlan); n == 0 {
		t.Error("server log entries that are no plan were not counted as dropped")
	}

	// zero literals: the whole performance database, dumped
	dump := pgDump(t, dsn)
	if !strings.Contains(dump, "orders_email") {
		t.Fatal("the dump does not hold the plans")
	}
	for _, lit := range plantedLiterals {
		if strings.Contains(dump, lit) {
			i := strings.Index(dump, lit)
			t.Errorf("literal %q is in the database: ...%s...", lit, dump[max(0, i-200):min(len(dump), i+100)])
		}
	}
}

// pgDump returns pg_dump's output of the database at dsn (data and schema).
func pgDump(t *testing.T, dsn string) string {
	t.Helper()
	bin := filepath.Join(pgtestcluster.BinDir(), "pg_dump")
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("pg_dump not found: %v", err)
	}
	out, err := exec.Command(bin, "--no-owner", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}
