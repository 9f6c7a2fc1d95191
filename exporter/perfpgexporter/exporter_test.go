package perfpgexporter

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/metric"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"
)

// testExporters runs the traces and metrics exporters synchronously (no queue, no retry)
// against a fresh database.
type testExporters struct {
	traces  exporter.Traces
	metrics exporter.Metrics
	pool    *pgxpool.Pool
}

func newTestExporters(t *testing.T, mutate func(*Config)) *testExporters {
	t.Helper()
	return newTestExportersWith(t, mutate, nil)
}

// newTestExportersWithMeter is newTestExporters whose self-telemetry goes to meter.
func newTestExportersWithMeter(t *testing.T, mutate func(*Config), meter metric.MeterProvider) *testExporters {
	return newTestExportersWith(t, mutate, func(set *exporter.Settings) { set.MeterProvider = meter })
}

// newTestExportersWith lets settings change the exporters' settings (telemetry, logger).
func newTestExportersWith(t *testing.T, mutate func(*Config), settings func(*exporter.Settings)) *testExporters {
	t.Helper()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.BackOffConfig.Enabled = false
	if mutate != nil {
		mutate(cfg)
	}
	f := NewFactory()
	ctx := context.Background()
	set := exportertest.NewNopSettings(metadata.Type)
	set.Logger = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	if settings != nil {
		settings(&set)
	}
	te, err := f.CreateTraces(ctx, set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	me, err := f.CreateMetrics(ctx, set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := te.Start(ctx, componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	if err := me.Start(ctx, componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = te.Shutdown(context.Background())
		_ = me.Shutdown(context.Background())
	})
	return &testExporters{traces: te, metrics: me, pool: pool}
}

func traceID(n byte) pcommon.TraceID {
	var id pcommon.TraceID
	id[0], id[15] = 0xAB, n
	return id
}

func spanID(n uint64) pcommon.SpanID {
	var id pcommon.SpanID
	binary.BigEndian.PutUint64(id[:], n)
	return id
}

type spanSpec struct {
	kind   ptrace.SpanKind
	name   string
	trace  byte
	id     uint64
	parent uint64
	start  time.Time
	dur    time.Duration
	attrs  map[string]any
	err    bool
}

func addSpans(td ptrace.Traces, resource map[string]any, specs ...spanSpec) {
	rs := td.ResourceSpans().AppendEmpty()
	_ = rs.Resource().Attributes().FromRaw(resource)
	ss := rs.ScopeSpans().AppendEmpty()
	for _, s := range specs {
		sp := ss.Spans().AppendEmpty()
		sp.SetKind(s.kind)
		sp.SetName(s.name)
		sp.SetTraceID(traceID(s.trace))
		sp.SetSpanID(spanID(s.id))
		if s.parent != 0 {
			sp.SetParentSpanID(spanID(s.parent))
		}
		sp.SetStartTimestamp(pcommon.NewTimestampFromTime(s.start))
		sp.SetEndTimestamp(pcommon.NewTimestampFromTime(s.start.Add(s.dur)))
		_ = sp.Attributes().FromRaw(s.attrs)
		if s.err {
			sp.Status().SetCode(ptrace.StatusCodeError)
		}
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// The span shapes of the OTel JS SDK (stable conventions, no http.route, a pool-connect span)
// and of an older Java agent (http.route, deprecated names), in one export.
func realisticTraces(base time.Time) ptrace.Traces {
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "shop-api", "host.name": "web-1"},
		spanSpec{kind: ptrace.SpanKindServer, name: "GET", trace: 1, id: 100, start: base, dur: 80 * time.Millisecond,
			attrs: map[string]any{"url.path": "/orders/12345", "url.query": "debug=1", "http.request.method": "GET",
				"http.response.status_code": 200, "http.response.body.size": 512}},
		spanSpec{kind: ptrace.SpanKindClient, name: "pg-pool.connect", trace: 1, id: 101, parent: 100,
			start: base.Add(time.Millisecond), dur: 2 * time.Millisecond, attrs: map[string]any{"db.system.name": "postgresql"}},
		spanSpec{kind: ptrace.SpanKindClient, name: "pg.query:SELECT shop", trace: 1, id: 102, parent: 100,
			start: base.Add(5 * time.Millisecond), dur: 12 * time.Millisecond,
			attrs: map[string]any{"db.system.name": "postgresql", "db.namespace": "shop",
				"db.query.text": "SELECT * FROM orders WHERE id = 12345 AND email = 'alice@example.com'", "db.response.returned_rows": 1}},
	)
	addSpans(td, map[string]any{"service.name": "billing", "tenant.id": "acme"},
		spanSpec{kind: ptrace.SpanKindServer, name: "POST /invoices/{id}", trace: 2, id: 200, start: base, dur: 300 * time.Millisecond,
			attrs: map[string]any{"http.route": "/invoices/{id}", "http.target": "/invoices/77?x=1", "http.method": "POST",
				"http.status_code": 500, "http.request_content_length": 120}, err: true},
		spanSpec{kind: ptrace.SpanKindClient, name: "UPDATE invoices", trace: 2, id: 201, parent: 200,
			start: base.Add(10 * time.Millisecond), dur: 250 * time.Millisecond,
			attrs: map[string]any{"db.system": "mysql", "db.name": "billing",
				"db.statement": "UPDATE invoices SET paid = 1, note = \"card 4111111111111111\" WHERE id IN (1, 2, 3)"}, err: true},
	)
	return td
}

func TestTracesEveryColumnBothConventions(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	if err := te.traces.ConsumeTraces(ctx, realisticTraces(base)); err != nil {
		t.Fatal(err)
	}

	type apiRow struct {
		TS                                   time.Time
		SpanID                               int64
		TraceID                              string
		Tenant, Service, Kind, Method, Route string
		DurationUS, ReqSize, RespSize        int32
		Status                               int16
		IsError                              bool
	}
	rows, err := te.pool.Query(ctx, `
		SELECT a.ts, a.span_id, a.trace_id::text, t.name, s.name, e.span_kind, e.method, e.route,
		       a.duration_us, a.request_size, a.response_size, a.status_code, a.is_error
		FROM api_performance_log a
		JOIN perf_tenants t USING (tenant_id)
		JOIN perf_services s ON s.tenant_id = a.tenant_id AND s.service_id = a.service_id
		JOIN perf_endpoints e ON e.tenant_id = a.tenant_id AND e.endpoint_id = a.endpoint_id
		ORDER BY a.span_id`)
	if err != nil {
		t.Fatal(err)
	}
	var api []apiRow
	for rows.Next() {
		var r apiRow
		if err := rows.Scan(&r.TS, &r.SpanID, &r.TraceID, &r.Tenant, &r.Service, &r.Kind, &r.Method, &r.Route,
			&r.DurationUS, &r.ReqSize, &r.RespSize, &r.Status, &r.IsError); err != nil {
			t.Fatal(err)
		}
		api = append(api, r)
	}
	if len(api) != 2 {
		t.Fatalf("api rows: %+v", api)
	}
	want := []apiRow{
		{TS: base, SpanID: 100, TraceID: "ab000000-0000-0000-0000-000000000001", Tenant: "default", Service: "shop-api",
			Kind: "server", Method: "GET", Route: "/orders/{id}", DurationUS: 80000, ReqSize: -1, RespSize: 512, Status: 200},
		{TS: base, SpanID: 200, TraceID: "ab000000-0000-0000-0000-000000000002", Tenant: "acme", Service: "billing",
			Kind: "server", Method: "POST", Route: "/invoices/{id}", DurationUS: 300000, ReqSize: 120, RespSize: -1, Status: 500, IsError: true},
	}
	for i := range want {
		got := api[i]
		got.TS = got.TS.UTC()
		if got != want[i] {
			t.Errorf("api row %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}

	type queryRow struct {
		TS                          time.Time
		SpanID, Parent              int64
		Tenant, Service, Route      string
		System, Namespace           string
		Operation, Collection, Text string
		DurationUS, Rows            int32
		IsError                     bool
	}
	rows, err = te.pool.Query(ctx, `
		SELECT q.ts, q.span_id, q.parent_span_id, t.name, s.name, coalesce(e.route, ''), d.db_system, d.db_namespace,
		       f.operation, f.collection, f.normalized_text, q.duration_us, q.rows_returned, q.is_error
		FROM query_performance_log q
		JOIN perf_tenants t USING (tenant_id)
		JOIN perf_services s ON s.tenant_id = q.tenant_id AND s.service_id = q.service_id
		LEFT JOIN perf_endpoints e ON e.tenant_id = q.tenant_id AND e.endpoint_id = q.endpoint_id
		JOIN perf_databases d ON d.tenant_id = q.tenant_id AND d.db_id = q.db_id
		JOIN query_fingerprints f ON f.tenant_id = q.tenant_id AND f.fingerprint = q.fingerprint
		ORDER BY q.span_id`)
	if err != nil {
		t.Fatal(err)
	}
	var qs []queryRow
	for rows.Next() {
		var r queryRow
		if err := rows.Scan(&r.TS, &r.SpanID, &r.Parent, &r.Tenant, &r.Service, &r.Route, &r.System, &r.Namespace,
			&r.Operation, &r.Collection, &r.Text, &r.DurationUS, &r.Rows, &r.IsError); err != nil {
			t.Fatal(err)
		}
		r.TS = r.TS.UTC()
		qs = append(qs, r)
	}
	if len(qs) != 2 {
		t.Fatalf("query rows (the pool-connect span must not be one): %+v", qs)
	}
	q := qs[0]
	if q.SpanID != 102 || q.Parent != 100 || q.Tenant != "default" || q.Service != "shop-api" || q.Route != "/orders/{id}" ||
		q.System != "postgresql" || q.Namespace != "shop" || q.Operation != "SELECT" || q.Collection != "orders" ||
		q.DurationUS != 12000 || q.Rows != 1 || q.IsError || !q.TS.Equal(base.Add(5*time.Millisecond)) {
		t.Errorf("postgres query row: %+v", q)
	}
	q = qs[1]
	if q.SpanID != 201 || q.Parent != 200 || q.Tenant != "acme" || q.Route != "/invoices/{id}" || q.System != "mysql" ||
		q.Namespace != "billing" || q.Operation != "UPDATE" || q.Collection != "invoices" || q.Rows != -1 || !q.IsError {
		t.Errorf("mysql query row: %+v", q)
	}
	for _, r := range qs {
		for _, secret := range []string{"12345", "alice", "4111", "card"} {
			if strings.Contains(r.Text, secret) {
				t.Errorf("stored statement leaks %q: %s", secret, r.Text)
			}
		}
	}
	// the hours written are marked for the rollups
	if n := count(t, te.pool, "SELECT count(*) FROM rollup_dirty_hours WHERE hour_bucket = date_trunc('hour', $1::timestamptz)", base); n != 2 {
		t.Errorf("dirty hour marks: %d, want one per tenant", n)
	}
}

func TestTracesReplayAddsNoRows(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	td := realisticTraces(base)
	for i := 0; i < 3; i++ {
		if err := te.traces.ConsumeTraces(ctx, td); err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	if n := count(t, te.pool, "SELECT count(*) FROM api_performance_log"); n != 2 {
		t.Errorf("api rows after 3 pushes of one batch: %d, want 2", n)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM query_performance_log"); n != 2 {
		t.Errorf("query rows after 3 pushes of one batch: %d, want 2", n)
	}
	// a batch that mixes stored and new spans stores exactly the new ones
	mixed := realisticTraces(base)
	addSpans(mixed, map[string]any{"service.name": "shop-api"},
		spanSpec{kind: ptrace.SpanKindServer, trace: 9, id: 900, start: base, dur: time.Millisecond,
			attrs: map[string]any{"url.path": "/health"}})
	if err := te.traces.ConsumeTraces(ctx, mixed); err != nil {
		t.Fatal(err)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM api_performance_log"); n != 3 {
		t.Errorf("api rows after a mixed replay: %d, want 3", n)
	}
}

func TestTracesTenantPrecedence(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	base := time.Now().UTC().Add(-time.Minute)
	server := func(trace byte, id uint64) spanSpec {
		return spanSpec{kind: ptrace.SpanKindServer, trace: trace, id: id, start: base, dur: time.Millisecond,
			attrs: map[string]any{"http.route": "/x"}}
	}
	// metadata wins over the resource attribute; a client-sent internal stamp is ignored
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "from-resource"}, server(1, 1))
	ctx := client.NewContext(context.Background(), client.Info{Metadata: client.NewMetadata(map[string][]string{"X-Scope-OrgID": {"from-header"}})})
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	td = ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "from-resource", "otelcol_perf.tenant": "spoofed"}, server(2, 2))
	addSpans(td, map[string]any{"service.name": "a", "otelcol_perf.tenant": "spoofed"}, server(3, 3))
	if err := te.traces.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	rows, _ := te.pool.Query(context.Background(), `SELECT a.span_id, t.name FROM api_performance_log a JOIN perf_tenants t USING (tenant_id)`)
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got[id] = name
	}
	want := map[int64]string{1: "from-header", 2: "from-resource", 3: "default"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tenants %v, want %v", got, want)
	}
}

func TestTracesCrossBatchDBSpanKeepsUnknownEndpoint(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "svc"},
		spanSpec{kind: ptrace.SpanKindClient, trace: 5, id: 51, parent: 50, start: base.Add(time.Millisecond), dur: time.Millisecond,
			attrs: map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 1"}})
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	td = ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "svc"},
		spanSpec{kind: ptrace.SpanKindServer, trace: 5, id: 50, start: base, dur: 10 * time.Millisecond,
			attrs: map[string]any{"http.route": "/later"}})
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	// stored with endpoint 0; the rollups attribute it through the trace (README: endpoint attribution)
	if n := count(t, te.pool, `SELECT count(*) FROM query_performance_log q JOIN api_performance_log a
		ON a.tenant_id = q.tenant_id AND a.trace_id = q.trace_id AND a.service_id = q.service_id
		WHERE q.endpoint_id = 0 AND q.ts BETWEEN a.ts AND a.ts + a.duration_us * interval '1 microsecond'`); n != 1 {
		t.Fatalf("cross-batch DB span not attributable through its trace: %d", n)
	}
}

func ptraceTS(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

func spanIDInt(id pcommon.SpanID) int64 { return int64(binary.BigEndian.Uint64(id[:])) }

// The class of a statement's LIKE patterns is stored as its likeclass.Class number; a value
// that is not a class name (a forged pattern) is stored as none. The partial index the
// optimizer reads leading-wildcard executions through names the same number.
func TestTracesLikePatternClass(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	td := ptrace.NewTraces()
	q := func(id uint64, class string) spanSpec {
		attrs := map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT id FROM products WHERE description LIKE ?"}
		if class != "" {
			attrs["db.query.like_pattern"] = class
		}
		return spanSpec{kind: ptrace.SpanKindClient, name: "SELECT products", trace: 3, id: id, parent: 300, start: base, dur: time.Millisecond, attrs: attrs}
	}
	addSpans(td, map[string]any{"service.name": "shop-api"}, q(301, "leading_wildcard"), q(302, "parameter"), q(303, "%secret%"), q(304, ""))
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	rows, err := te.pool.Query(ctx, "SELECT like_pattern FROM query_performance_log ORDER BY span_id")
	if err != nil {
		t.Fatal(err)
	}
	var got []int16
	for rows.Next() {
		var c int16
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	want := []int16{int16(likeclass.LeadingWildcard), int16(likeclass.Parameter), 0, 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("like_pattern %v, want %v", got, want)
	}
	var def string
	if err := te.pool.QueryRow(ctx, "SELECT pg_get_indexdef('query_performance_log_leading_wildcard'::regclass)").Scan(&def); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(def, fmt.Sprintf("(like_pattern = %d)", likeclass.LeadingWildcard)) {
		t.Errorf("the partial index does not select likeclass.LeadingWildcard: %s", def)
	}
}

// A request may claim a DB span that starts within the attribution slack before it (SDKs that
// truncate to the millisecond), i.e. in the previous hour: when the request arrives after its
// DB span, the previous hour is marked for the rollups too, whose refresh then attributes it.
func TestLateRequestMarksTheHourOfItsEarlyDBSpan(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	hour := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Hour)
	dbSpans := ptrace.NewTraces()
	addSpans(dbSpans, map[string]any{"service.name": "shop-api"},
		spanSpec{kind: ptrace.SpanKindClient, name: "SELECT shop", trace: 7, id: 702, parent: 700,
			start: hour.Add(-300 * time.Microsecond), dur: 2 * time.Millisecond,
			attrs: map[string]any{"db.system.name": "postgresql", "db.namespace": "shop", "db.query.text": "SELECT * FROM orders WHERE id = 1"}})
	request := ptrace.NewTraces()
	addSpans(request, map[string]any{"service.name": "shop-api"},
		spanSpec{kind: ptrace.SpanKindServer, name: "GET /orders/{id}", trace: 7, id: 700, start: hour.Add(500 * time.Microsecond), dur: 10 * time.Millisecond,
			attrs: map[string]any{"http.route": "/orders/{id}", "http.request.method": "GET", "http.response.status_code": 200}})
	if err := te.traces.ConsumeTraces(ctx, dbSpans); err != nil {
		t.Fatal(err)
	}
	if _, err := te.pool.Exec(ctx, "DELETE FROM rollup_dirty_hours"); err != nil { // as a refresh claims them
		t.Fatal(err)
	}
	if err := te.traces.ConsumeTraces(ctx, request); err != nil {
		t.Fatal(err)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM rollup_dirty_hours WHERE hour_bucket = $1", hour.Add(-time.Hour)); n != 1 {
		t.Errorf("the hour before the request is not marked (%d marks): its DB span would stay unattributed", n)
	}
	if n := count(t, te.pool, `SELECT count(*) FROM query_performance_log q
		JOIN perf_attributed_queries(q.tenant_id, $1, $2) a ON a.span_id = q.span_id
		JOIN perf_endpoints e ON e.tenant_id = q.tenant_id AND e.endpoint_id = a.endpoint_id
		WHERE e.route = '/orders/{id}'`, hour.Add(-time.Hour), hour); n != 1 {
		t.Errorf("the DB span in the request's first millisecond (before its recorded start) is not attributed to it")
	}
}
