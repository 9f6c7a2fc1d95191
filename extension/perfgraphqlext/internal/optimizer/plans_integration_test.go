package optimizer

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
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
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/pgstat"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"
)

// targetsHost stands for a collector whose perfgraphql extension has targets (the perfpg
// exporter asks it which tenant a database's plans belong to).
type targetsHost struct{ targets map[string][]string }

func (h targetsHost) GetExtensions() map[component.ID]component.Component {
	return map[component.ID]component.Component{component.MustNewID("perfgraphql"): h}
}
func (targetsHost) Start(context.Context, component.Host) error { return nil }
func (targetsHost) Shutdown(context.Context) error              { return nil }
func (h targetsHost) TargetTenants() map[string][]string        { return h.targets }

// Literals of the application's statements: none may be stored, in plans or in advice.
var planLiterals = []string{"kind-secret-77", "needle-secret", "alice.secret@example.com", "4242424"}

// Real traffic on a private cluster (pg_stat_statements and auto_explain preloaded, jsonlog,
// a tiny shared_buffers): a sequential scan under a selective filter, a leading-wildcard
// LIKE, a sort that spills under a small work_mem, a plan change after DROP INDEX. The plans
// reach the performance database through the filelog receiver and the perfpg exporter, the
// server statistics through pgstat snapshots, the client spans as the exporter stores them;
// the engine must report each problem with its plan excerpt under the client's fingerprint.
func TestPlanDetectorsOnRealTraffic(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{
		"shared_preload_libraries":      "pg_stat_statements,auto_explain",
		"shared_buffers":                "1MB",
		"logging_collector":             "on",
		"log_destination":               "jsonlog",
		"log_timezone":                  "UTC",
		"auto_explain.log_min_duration": "0",
		"auto_explain.log_format":       "json",
		"auto_explain.log_analyze":      "on",
		"auto_explain.log_buffers":      "on",
		"auto_explain.log_verbose":      "on",
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	shopDSN := c.CreateDatabase(t, "shop")
	c.Exec(t, "shop", `CREATE EXTENSION pg_stat_statements; CREATE EXTENSION hypopg; CREATE EXTENSION pg_trgm;
		CREATE TABLE events (id serial PRIMARY KEY, account_id int NOT NULL, kind text NOT NULL, payload text NOT NULL);
		INSERT INTO events (account_id, kind, payload) SELECT g % 20000, 'k' || (g % 7), md5(g::text) || md5((g * 3)::text) FROM generate_series(1, 200000) g;
		CREATE TABLE products (id serial PRIMARY KEY, description text NOT NULL);
		INSERT INTO products (description) SELECT md5(g::text) || ' ' || md5((g * 7)::text) FROM generate_series(1, 50000) g;
		CREATE TABLE orders (id serial PRIMARY KEY, email text NOT NULL, note text);
		INSERT INTO orders (email, note) SELECT 'user' || g || '@example.com', 'note ' || g FROM generate_series(1, 100000) g;
		CREATE INDEX orders_email ON orders (email);
		ANALYZE events, products, orders;
		CREATE ROLE perf_monitor LOGIN; GRANT pg_read_all_stats TO perf_monitor; GRANT SELECT ON ALL TABLES IN SCHEMA public TO perf_monitor;
		ALTER ROLE perf_monitor SET auto_explain.log_min_duration = -1`)
	monitorDSN := strings.Replace(shopDSN, "postgres@", "perf_monitor@", 1)

	pool, dsn := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	target := targets.Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(monitorDSN)}

	// the plans' path: server log -> filelog receiver -> perfpg exporter (logs)
	ecfg := perfpgexporter.NewFactory().CreateDefaultConfig().(*perfpgexporter.Config)
	ecfg.DSN = dsn
	ecfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	ecfg.BackOffConfig.Enabled = false
	set := exportertest.NewNopSettings(perfpgexporter.NewFactory().Type())
	set.Logger = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	exp, err := perfpgexporter.NewFactory().CreateLogs(ctx, set, ecfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Start(ctx, targetsHost{targets: map[string][]string{"shop": {"acme"}}}); err != nil {
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

	snap := &pgstat.Snapshotter{}
	if res, err := snap.Snapshot(ctx, pool, target, now.Add(-time.Minute)); err != nil || res.Err != nil {
		t.Fatalf("baseline snapshot: %v %v", err, res.Err)
	}

	// the client spans: the application's DB spans, with the raw statement as its driver
	// reports it, through the perfpg exporter's traces path (which normalizes and
	// fingerprints the text itself); the LIKE class as the queryhash processor sets it
	texp, err := perfpgexporter.NewFactory().CreateTraces(ctx, set, ecfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := texp.Start(ctx, targetsHost{targets: map[string][]string{"shop": {"acme"}}}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = texp.Shutdown(context.Background()) }()
	app, err := pgx.Connect(ctx, shopDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(context.Background())
	norm := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	span := uint64(900000)
	fps := map[string]int64{}
	run := func(name, stmt string, args ...any) {
		t.Helper()
		t0 := time.Now()
		if _, err := app.Exec(ctx, stmt, args...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dur := time.Since(t0)
		fps[name] = int64(norm.Normalize(stmt).Fingerprint)
		span += 2
		var trace pcommon.TraceID
		binary.BigEndian.PutUint64(trace[8:], span)
		td := ptrace.NewTraces()
		rs := td.ResourceSpans().AppendEmpty()
		_ = rs.Resource().Attributes().FromRaw(map[string]any{"service.name": "shop-api", "tenant.id": "acme"})
		ss := rs.ScopeSpans().AppendEmpty()
		for i, kind := range []ptrace.SpanKind{ptrace.SpanKindServer, ptrace.SpanKindClient} {
			sp := ss.Spans().AppendEmpty()
			var id pcommon.SpanID
			binary.BigEndian.PutUint64(id[:], span+uint64(i))
			sp.SetTraceID(trace)
			sp.SetSpanID(id)
			sp.SetKind(kind)
			sp.SetStartTimestamp(pcommon.NewTimestampFromTime(t0.Add(-time.Duration(1-i) * time.Millisecond)))
			sp.SetEndTimestamp(pcommon.NewTimestampFromTime(t0.Add(dur + time.Duration(1-i)*time.Millisecond)))
			if kind == ptrace.SpanKindServer {
				sp.SetName("GET /orders")
				_ = sp.Attributes().FromRaw(map[string]any{"http.route": "/orders", "http.request.method": "GET", "http.response.status_code": 200})
				continue
			}
			var parent pcommon.SpanID
			binary.BigEndian.PutUint64(parent[:], span)
			sp.SetParentSpanID(parent)
			sp.SetName("SELECT shop")
			_ = sp.Attributes().FromRaw(map[string]any{"db.system.name": "postgresql", "db.namespace": "shop", "db.query.text": stmt,
				"db.query.like_pattern": likeclass.Classify(sqlnorm.PostgreSQL, stmt).String()})
		}
		if err := texp.ConsumeTraces(ctx, td); err != nil {
			t.Fatal(err)
		}
	}
	const (
		scanStmt  = "SELECT id, payload FROM events WHERE account_id = 4242424 AND kind = 'kind-secret-77'"
		likeStmt  = "SELECT id FROM products WHERE description LIKE '%needle-secret%'"
		sortStmt  = "SELECT count(*) FROM (SELECT account_id, payload FROM events ORDER BY payload, account_id OFFSET 0) s"
		emailStmt = "SELECT id, note FROM orders WHERE email = $1"
		funcStmt  = "SELECT id FROM events WHERE lower(kind) = 'kind-secret-77'"
	)
	for i := 0; i < 6; i++ {
		run("scan", scanStmt, pgx.QueryExecModeSimpleProtocol)
		run("like", likeStmt, pgx.QueryExecModeSimpleProtocol)
		run("email", emailStmt, planLiterals[2])
		run("func", funcStmt, pgx.QueryExecModeSimpleProtocol)
	}
	if _, err := app.Exec(ctx, "SET work_mem = '64kB'"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		run("sort", sortStmt)
	}
	c.Exec(t, "shop", "DROP INDEX orders_email")
	for i := 0; i < 6; i++ {
		run("email", emailStmt, planLiterals[2])
	}

	// a statement auto_explain does not log (this session opts out): only its generic plan,
	// made as the scheduler makes it, on the target's role
	const genericStmt = "SELECT id FROM events WHERE payload = $1"
	if _, err := app.Exec(ctx, "SET auto_explain.log_min_duration = -1"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		run("generic", genericStmt, planLiterals[0])
	}
	mon, err := pgx.Connect(ctx, monitorDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close(context.Background())
	gtx, err := mon.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	g := queryplan.PlanGeneric(ctx, gtx, norm.Normalize(genericStmt).Normalized)
	_ = gtx.Rollback(ctx)
	if g.Status != queryplan.StatusPlanned {
		t.Fatalf("generic plan: %s %s", g.Status, g.Message)
	}
	if _, err := queryplan.Store(ctx, pool, []queryplan.Sighting{{Tenant: "acme", DBNamespace: "shop", Fingerprint: fps["generic"],
		Source: queryplan.SourceGeneric, Seen: time.Now().UTC(), Plan: g.Plan}}); err != nil {
		t.Fatal(err)
	}

	waitFor := func(what, query string, args ...any) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			var ok bool
			if err := pool.QueryRow(ctx, query, args...).Scan(&ok); err != nil {
				t.Fatal(err)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not after 60s", what)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, name := range []string{"scan", "like", "sort", "func"} {
		waitFor("the actual plan of "+name, `SELECT EXISTS (SELECT 1 FROM perf_query_plans WHERE fingerprint = $1 AND source = 'actual')`, fps[name])
	}
	waitFor("the plan change of email", `SELECT EXISTS (SELECT 1 FROM perf_query_plans p JOIN perf_query_plan_changes c USING (tenant_id, db_namespace, fingerprint, source)
		WHERE fingerprint = $1 AND p.plan_hash = c.new_plan_hash AND p.times_seen >= 6)`, fps["email"])
	if res, err := snap.Snapshot(ctx, pool, target, time.Now()); err != nil || res.Err != nil {
		t.Fatalf("snapshot: %v %v", err, res.Err)
	}
	refreshAll(t, pool, f.tid, "acme")

	cfg := DefaultConfig()
	cfg.Targets = []targets.Target{target}
	cfg.SlowQuery.MediumAvg, cfg.SlowQuery.MinCount = time.Microsecond, 0 // so slow_query judges the scan: its index must defer to the plan's
	cfg.SlowQuery.HighAvg, cfg.SlowQuery.CriticalAvg = time.Hour, time.Hour
	cfg.LikeScan.MinExecutions, cfg.LikeScan.MinTotalDuration, cfg.LikeScan.HighTotalDuration = 3, time.Microsecond, time.Hour
	cfg.CacheHit.MinBlocksRead = 1000
	res, err := New(cfg, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))).Run(ctx, pool, "acme", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("engine run %s; plans detector %s (with its HypoPG checks), cache_hit %s", res.Duration, res.DetectorDurations["plans"], res.DetectorDurations["cache_hit"])
	byKind := func(kind, name string) *Recommendation {
		for i := range res.Recommendations {
			r := &res.Recommendations[i]
			if r.Kind == kind && len(r.Evidence.Fingerprints) == 1 && r.Evidence.Fingerprints[0] == fpHex(fps[name]) {
				return r
			}
		}
		return nil
	}
	show := func(r *Recommendation) string {
		b, _ := json.MarshalIndent(r.Evidence.Plan, "", "  ")
		return r.Title + "\n" + r.Recommendation + "\n" + r.Implementation + "\n" + string(b)
	}
	// every fingerprint above is the client's: the plan and the advice join the spans
	for name, fp := range fps {
		if n := perfdbtest.Scalar[int](t, pool, "SELECT count(*)::int FROM query_performance_log WHERE tenant_id = $1 AND fingerprint = $2", f.tid, fp); n == 0 {
			t.Errorf("%s: no client span of fingerprint %s", name, fpHex(fp))
		}
	}

	// 1. the sequential scan under a selective filter: an index on the filter's columns, validated
	if r := byKind(KindPlanSeqScan, "scan"); r == nil {
		t.Errorf("no PLAN_SEQ_SCAN for the scan; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("seq scan:\n%s\n%s", r.Description, show(r))
		if r.Evidence.Plan == nil || !strings.Contains(strings.Join(r.Evidence.Plan.Excerpt, "\n"), "Seq Scan on public.events") ||
			!strings.Contains(r.Implementation, "(account_id, kind)") || r.Evidence.Validation == nil || r.Evidence.Validation.Status != "VALIDATED" {
			t.Errorf("seq scan advice: %s\nvalidation %+v", show(r), r.Evidence.Validation)
		}
	}
	if r := byKind(KindPlanRowsRemoved, "scan"); r != nil {
		t.Errorf("the scan got a second plan recommendation: %s", r.Title)
	}
	// the statement-based index advice defers to the plan's
	if r := byKind(KindSlowQuery, "scan"); r == nil {
		t.Errorf("slow_query did not judge the scan (min_count 0, medium_avg 1µs)")
	} else if strings.Contains(r.Implementation, "CREATE INDEX") || !strings.Contains(r.Description, "comes from its plan") {
		t.Errorf("slow_query still advises its own index: %s\n%s", r.Description, r.Implementation)
	}

	// 1b. the same rule on a generic plan: the relation's size from the target's statistics
	if r := byKind(KindPlanSeqScan, "generic"); r == nil {
		t.Errorf("no PLAN_SEQ_SCAN from the generic plan; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("seq scan (generic plan):\n%s\n%s", show(r), r.Evidence.Rule)
		if r.Evidence.Plan == nil || r.Evidence.Plan.Source != "generic" || !strings.Contains(r.Implementation, "(payload)") ||
			figureValue(r, "rows_scanned_per_execution") < 150000 || r.Evidence.Validation == nil || r.Evidence.Validation.Status != "VALIDATED" {
			t.Errorf("seq scan advice from the generic plan: %s\nvalidation %+v", show(r), r.Evidence.Validation)
		}
	}

	// 1c. a filter no index serves (a function of the column): rows removed by the filter
	if r := byKind(KindPlanRowsRemoved, "func"); r == nil {
		t.Errorf("no PLAN_ROWS_REMOVED for the function filter; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("rows removed:\n%s\n%s", r.Description, show(r))
		if figureValue(r, "rows_removed_per_execution") < 150000 || r.Evidence.Plan == nil ||
			!strings.Contains(strings.Join(r.Evidence.Plan.Excerpt, "\n"), "lower(") || byKind(KindPlanSeqScan, "func") != nil {
			t.Errorf("rows removed evidence: %s", show(r))
		}
	}

	// 2. the leading-wildcard LIKE: like_scan's one recommendation, with the plan's LIKE filter
	if r := byKind(KindLikeScan, "like"); r == nil {
		t.Errorf("no like_scan for the LIKE; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("like:\n%s", show(r))
		if r.Evidence.Plan == nil || !strings.Contains(strings.Join(r.Evidence.Plan.Excerpt, "\n"), "~~ ?") || !strings.Contains(r.Implementation, "gin_trgm_ops") {
			t.Errorf("like_scan without the plan's LIKE filter: %s", show(r))
		}
	}
	for _, k := range []string{KindPlanSeqScan, KindPlanRowsRemoved} {
		if r := byKind(k, "like"); r != nil {
			t.Errorf("the LIKE got a second recommendation %s: %s", k, r.Title)
		}
	}

	// 3. the spilling sort: work_mem advice with the figure
	if r := byKind(KindWorkMem, "sort"); r == nil {
		t.Errorf("no WORK_MEM_SPILL for the sort; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("sort:\n%s", show(r))
		spill, mb := figureValue(r, "spill_kb_per_execution"), figureValue(r, "suggested_work_mem_mb")
		if spill < 1024 || mb < spill*2/1024 || (mb > 1 && mb/2 >= spill*2/1024) || mb != math.Exp2(math.Round(math.Log2(mb))) || !strings.Contains(r.Implementation, "SET LOCAL work_mem") ||
			r.Evidence.Plan == nil || !strings.Contains(strings.Join(r.Evidence.Plan.Excerpt, "\n"), "sort space Disk") {
			t.Errorf("work_mem advice: spill %v kB, %v MB: %s", spill, mb, show(r))
		}
	}

	// 4. the plan change after DROP INDEX: a regression, old and new plan in the evidence
	if r := byKind(KindPlanRegression, "email"); r == nil {
		rows, _ := pool.Query(ctx, `SELECT source, plan_hash, times_seen, exec_total_ms, top_node FROM perf_query_plans WHERE fingerprint = $1`, fps["email"])
		for rows.Next() {
			var src, top string
			var h, n int64
			var ms *float64
			_ = rows.Scan(&src, &h, &n, &ms, &top)
			t.Logf("email plan %s %d seen %d total %v ms: %s", src, h, n, ms, top)
		}
		rows.Close()
		t.Errorf("no PLAN_REGRESSION for the email lookup; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("regression:\n%s\n%s", r.Description, show(r))
		p := r.Evidence.Plan
		if p == nil || !strings.Contains(strings.Join(p.PreviousExcerpt, "\n"), "orders_email") || !strings.Contains(strings.Join(p.Excerpt, "\n"), "Seq Scan") ||
			figureValue(r, "new_mean_ms") < 1.5*figureValue(r, "previous_mean_ms") {
			t.Errorf("regression evidence: %s", show(r))
		}
	}

	// 5. the cache hit ratio of the scans (shared_buffers of 1MB)
	if r := byKind(KindCacheHit, "scan"); r == nil {
		t.Errorf("no LOW_CACHE_HIT_RATIO for the scan; got %v", summarize(res.Recommendations))
	} else {
		t.Logf("cache:\n%s", show(r))
		if figureValue(r, "cache_hit_ratio") > 0.9 || r.Evidence.Plan == nil {
			t.Errorf("cache hit evidence: %s", show(r))
		}
	}

	// zero literals: the whole performance database, dumped (plans, statements, advice)
	dump := pgDump(t, dsn)
	if !strings.Contains(dump, "orders_email") || !strings.Contains(dump, "PLAN_SEQ_SCAN") {
		t.Fatal("the dump holds no plans or no advice")
	}
	for _, lit := range planLiterals {
		if i := strings.Index(dump, lit); i >= 0 {
			t.Errorf("literal %q is in the database: ...%s...", lit, dump[max(0, i-200):min(len(dump), i+100)])
		}
	}
}

// pgDump returns pg_dump's output of the database at dsn (data and schema).
func pgDump(t *testing.T, dsn string) string {
	t.Helper()
	bin := filepath.Join(pgtestcluster.BinDir(), "pg_dump")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("pg_dump not found: %v", err)
	}
	out, err := exec.Command(bin, "--no-owner", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}
