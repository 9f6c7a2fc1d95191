package spanrows

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/XSAM/otelsql"
	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// These tests run real statements through real instrumentation libraries against the
// local PostgreSQL, record the spans the libraries emit with the SDK's in-memory recorder,
// and check that the converter stores one query row per execution the test performed.

// recorder is a tracer provider that keeps every ended span.
func recorder(t *testing.T) (*sdktrace.TracerProvider, *tracetest.SpanRecorder) {
	t.Helper()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp, sr
}

// toTraces builds the OTLP form of recorded spans as an SDK exporter would: one resource
// (service.name), one scope per instrumentation scope with its name and version, every
// span with its ids, parent, kind, times, status and attributes.
func toTraces(service string, spans []sdktrace.ReadOnlySpan) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", service)
	scopes := map[string]ptrace.ScopeSpans{}
	for _, s := range spans {
		sc := s.InstrumentationScope()
		ss, ok := scopes[sc.Name+"@"+sc.Version]
		if !ok {
			ss = rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName(sc.Name)
			ss.Scope().SetVersion(sc.Version)
			scopes[sc.Name+"@"+sc.Version] = ss
		}
		span := ss.Spans().AppendEmpty()
		span.SetName(s.Name())
		span.SetTraceID(pcommon.TraceID(s.SpanContext().TraceID()))
		span.SetSpanID(pcommon.SpanID(s.SpanContext().SpanID()))
		if s.Parent().IsValid() {
			span.SetParentSpanID(pcommon.SpanID(s.Parent().SpanID()))
		}
		span.SetKind(map[trace.SpanKind]ptrace.SpanKind{
			trace.SpanKindInternal: ptrace.SpanKindInternal, trace.SpanKindServer: ptrace.SpanKindServer,
			trace.SpanKindClient: ptrace.SpanKindClient, trace.SpanKindProducer: ptrace.SpanKindProducer,
			trace.SpanKindConsumer: ptrace.SpanKindConsumer,
		}[s.SpanKind()])
		span.SetStartTimestamp(pcommon.NewTimestampFromTime(s.StartTime()))
		span.SetEndTimestamp(pcommon.NewTimestampFromTime(s.EndTime()))
		switch s.Status().Code {
		case codes.Error:
			span.Status().SetCode(ptrace.StatusCodeError)
		case codes.Ok:
			span.Status().SetCode(ptrace.StatusCodeOk)
		}
		span.Status().SetMessage(s.Status().Description)
		for _, kv := range s.Attributes() {
			putAttr(span.Attributes(), kv)
		}
	}
	return td
}

func putAttr(m pcommon.Map, kv attribute.KeyValue) {
	k := string(kv.Key)
	switch kv.Value.Type() {
	case attribute.BOOL:
		m.PutBool(k, kv.Value.AsBool())
	case attribute.INT64:
		m.PutInt(k, kv.Value.AsInt64())
	case attribute.FLOAT64:
		m.PutDouble(k, kv.Value.AsFloat64())
	case attribute.STRING:
		m.PutStr(k, kv.Value.AsString())
	case attribute.STRINGSLICE:
		sl := m.PutEmptySlice(k)
		for _, v := range kv.Value.AsStringSlice() {
			sl.AppendEmpty().SetStr(v)
		}
	case attribute.INT64SLICE:
		sl := m.PutEmptySlice(k)
		for _, v := range kv.Value.AsInt64Slice() {
			sl.AppendEmpty().SetInt(v)
		}
	case attribute.FLOAT64SLICE:
		sl := m.PutEmptySlice(k)
		for _, v := range kv.Value.AsFloat64Slice() {
			sl.AppendEmpty().SetDouble(v)
		}
	case attribute.BOOLSLICE:
		sl := m.PutEmptySlice(k)
		for _, v := range kv.Value.AsBoolSlice() {
			sl.AppendEmpty().SetBool(v)
		}
	default:
		m.PutStr(k, kv.Value.Emit())
	}
}

// instrumentedDB creates a test database with a table of ten items and returns its DSN.
func instrumentedDB(t *testing.T) string {
	t.Helper()
	dsn := perfdbtest.NewDatabase(t)
	conn, err := pgx.Connect(context.Background(), dsn) // not instrumented: setup is no part of the count
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL);
INSERT INTO items SELECT g, g * 10 FROM generate_series(1, 10) g`); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// request runs work inside a server span, as an instrumented HTTP handler would.
func request(tp trace.TracerProvider, work func(ctx context.Context)) {
	ctx, span := tp.Tracer("test/http").Start(context.Background(), "GET /items",
		trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attribute.String("http.route", "/items"),
			attribute.String("http.request.method", "GET"), attribute.Int("http.response.status_code", 200)))
	work(ctx)
	span.End()
}

// countRows converts the recorded spans and returns the query rows per normalized
// statement, failing on a row without its request.
func countRows(t *testing.T, sr *tracetest.SpanRecorder) (map[string]int, *Batch) {
	t.Helper()
	td := toTraces("items-svc", sr.Ended())
	c := NewConverter(Options{DefaultTenant: "default", Retention: 24 * time.Hour, MaxFutureSkew: time.Minute, MaxStatementLen: 4096})
	b := c.Convert(td, time.Now())
	byText := map[int64]string{}
	for _, s := range b.Statements {
		byText[s.Fingerprint] = s.Normalized
	}
	got := map[string]int{}
	for _, q := range b.Queries {
		got[byText[q.Fingerprint]]++
		if q.Endpoint == NoEndpoint {
			t.Errorf("a row of %q has no endpoint", byText[q.Fingerprint])
		}
	}
	for _, s := range sr.Ended() {
		t.Logf("span %-24q scope %s", s.Name(), s.InstrumentationScope().Name)
	}
	return got, b
}

func assertCounts(t *testing.T, got, want map[string]int) {
	t.Helper()
	for text, n := range want {
		if got[text] != n {
			t.Errorf("%q: %d rows, want %d executions", text, got[text], n)
		}
	}
	for text, n := range got {
		if _, ok := want[text]; !ok {
			t.Errorf("%q: %d rows, want none", text, n)
		}
	}
}

// databaseSQLWork runs, through database/sql: a query with rows iterated, an exec, a
// prepared statement queried three times, a transaction of two statements, and a failing
// statement. It returns the executions per normalized statement.
func databaseSQLWork(t *testing.T, ctx context.Context, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT id, qty FROM items WHERE qty > $1 ORDER BY id", 30)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if rows.Close(); n != 7 {
		t.Fatalf("iterated %d rows, want 7", n)
	}
	if _, err := db.ExecContext(ctx, "UPDATE items SET qty = qty + 1 WHERE id = $1", 1); err != nil {
		t.Fatal(err)
	}
	stmt, err := db.PrepareContext(ctx, "SELECT qty FROM items WHERE id = $1")
	if err != nil {
		t.Fatal(err)
	}
	for id := 2; id <= 4; id++ {
		var qty int
		if err := stmt.QueryRowContext(ctx, id).Scan(&qty); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM items WHERE id = $1", 10); err != nil {
		t.Fatal(err)
	}
	var count int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&count); err != nil || count != 9 {
		t.Fatalf("count %d, %v", count, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil {
		t.Fatal("querying a missing table succeeded")
	}
	return map[string]int{
		"SELECT id, qty FROM items WHERE qty > ? ORDER BY id": 1,
		"UPDATE items SET qty = qty + ? WHERE id = ?":         1,
		"SELECT qty FROM items WHERE id = ?":                  3,
		"DELETE FROM items WHERE id = ?":                      1,
		"SELECT count(*) FROM items":                          1,
		"SELECT * FROM no_such_table":                         1,
	}
}

// Go database/sql with github.com/XSAM/otelsql over pgx's stdlib driver: prepare, rows,
// connection and transaction spans are no executions.
func TestOtelsqlOneRowPerExecution(t *testing.T) {
	dsn := instrumentedDB(t)
	tp, sr := recorder(t)
	db, err := otelsql.Open("pgx", dsn, otelsql.WithTracerProvider(tp),
		otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL),
		otelsql.WithSpanOptions(otelsql.SpanOptions{Ping: true}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one pooled connection, reset between uses: sql.conn.reset_session spans
	var want map[string]int
	request(tp, func(ctx context.Context) {
		if err := db.PingContext(ctx); err != nil {
			t.Fatal(err)
		}
		want = databaseSQLWork(t, ctx, db)
	})
	got, _ := countRows(t, sr)
	assertCounts(t, got, want)
	assertRoles(t, sr, otelsqlRoles)
}

// Go pgx with github.com/exaring/otelpgx through pgxpool: the statement cache's prepare
// spans (named like the query, with db.query.text), connect and acquire spans are no
// executions; each statement of a batch is one.
func TestOtelpgxOneRowPerExecution(t *testing.T) {
	dsn := instrumentedDB(t)
	tp, sr := recorder(t)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = otelpgx.NewTracer(otelpgx.WithTracerProvider(tp))
	cfg.MaxConns = 1
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	request(tp, func(ctx context.Context) {
		rows, err := pool.Query(ctx, "SELECT id, qty FROM items WHERE qty > $1 ORDER BY id", 30)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if rows.Close(); n != 7 {
			t.Fatalf("iterated %d rows, want 7", n)
		}
		for id := 2; id <= 4; id++ {
			var qty int
			if err := pool.QueryRow(ctx, "SELECT qty FROM items WHERE id = $1", id).Scan(&qty); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := pool.Exec(ctx, "UPDATE items SET qty = qty + 1 WHERE id = $1", 1); err != nil {
			t.Fatal(err)
		}
		batch := &pgx.Batch{}
		batch.Queue("SELECT qty FROM items WHERE id = $1", 5)
		batch.Queue("SELECT qty FROM items WHERE id = $1", 6)
		if err := pool.SendBatch(ctx, batch).Close(); err != nil {
			t.Fatal(err)
		}
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "DELETE FROM items WHERE id = $1", 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "SELECT * FROM no_such_table"); err == nil {
			t.Fatal("querying a missing table succeeded")
		}
	})
	got, b := countRows(t, sr)
	assertCounts(t, got, map[string]int{
		"SELECT id, qty FROM items WHERE qty > ? ORDER BY id": 1,
		"SELECT qty FROM items WHERE id = ?":                  5, // 3 QueryRow + 2 batched
		"UPDATE items SET qty = qty + ? WHERE id = ?":         1,
		"DELETE FROM items WHERE id = ?":                      1,
		"SELECT * FROM no_such_table":                         1,
		"BEGIN":                                               1, // pgx sends BEGIN and COMMIT as statements
		"COMMIT":                                              1,
	})
	if b.NotExecutions[RolePrepare] != 4 { // the statement cache prepares each distinct statement once
		t.Errorf("%d prepare spans recognised, want 4", b.NotExecutions[RolePrepare])
	}
	assertRoles(t, sr, otelpgxRoles)
}

// database/sql instrumented by otelsql over a pgx driver instrumented by otelpgx: each
// execution is traced twice, the driver's span under database/sql's. Each is one call.
func TestNestedInstrumentationsOneRowPerExecution(t *testing.T) {
	dsn := instrumentedDB(t)
	tp, sr := recorder(t)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tracer = otelpgx.NewTracer(otelpgx.WithTracerProvider(tp))
	db := otelsql.OpenDB(stdlib.GetConnector(*cfg), otelsql.WithTracerProvider(tp),
		otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL))
	defer db.Close()
	var want map[string]int
	request(tp, func(ctx context.Context) { want = databaseSQLWork(t, ctx, db) })
	want["BEGIN"] = 1 // the driver's BEGIN, traced by otelpgx alone (stdlib commits without tracing)
	got, b := countRows(t, sr)
	assertCounts(t, got, want)
	if b.NotExecutions[RoleExecution] != 8 { // every execution of databaseSQLWork
		t.Errorf("%d nested executions folded, want 8", b.NotExecutions[RoleExecution])
	}
	assertRoles(t, sr, otelsqlRoles, otelpgxRoles)
}

// The roles of the spans the libraries emit, by span name (otelpgx's operation-named spans
// are executions unless they carry pgx.prepare_stmt.name): the classifier must give each
// recorded span its role, statement or not, and the libraries must emit no span name the
// test does not know.
var (
	otelsqlRoles = map[string]Role{
		"sql.connector.connect": RoleConnection, "sql.conn.ping": RoleConnection, "sql.conn.reset_session": RoleConnection,
		"sql.conn.begin_tx": RoleTransaction, "sql.tx.commit": RoleTransaction, "sql.conn.prepare": RolePrepare,
		"sql.rows": RoleRows, "sql.conn.query": RoleExecution, "sql.conn.exec": RoleExecution, "sql.stmt.query": RoleExecution,
	}
	otelpgxRoles = map[string]Role{
		"connect": RoleConnection, "pool.acquire": RoleConnection, "batch start": RoleOther,
		"SELECT": RoleExecution, "UPDATE": RoleExecution, "DELETE": RoleExecution, "BEGIN": RoleExecution, "COMMIT": RoleExecution,
	}
)

func assertRoles(t *testing.T, sr *tracetest.SpanRecorder, tables ...map[string]Role) {
	t.Helper()
	td := toTraces("items-svc", sr.Ended())
	ss := td.ResourceSpans().At(0).ScopeSpans()
	for i := 0; i < ss.Len(); i++ {
		scope := ss.At(i).Scope().Name()
		if scope == "test/http" {
			continue
		}
		spans := ss.At(i).Spans()
		for k := 0; k < spans.Len(); k++ {
			span := spans.At(k)
			want, known := RoleExecution, false
			for _, tab := range tables {
				if r, ok := tab[span.Name()]; ok {
					want, known = r, true
				}
			}
			if _, ok := span.Attributes().Get("pgx.prepare_stmt.name"); ok {
				want = RolePrepare
			}
			if !known {
				t.Errorf("%s emitted span %q, which the test does not know", scope, span.Name())
				continue
			}
			if got := Classify(scope, span.Name(), span.Attributes()); got != want {
				t.Errorf("%s span %q: role %s, want %s", scope, span.Name(), got, want)
			}
		}
	}
}
