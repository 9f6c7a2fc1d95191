package queryhashprocessor

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

func run(t testing.TB, cfg *Config, spans ...map[string]any) []pcommon.Map {
	t.Helper()
	return runWith(t, cfg, nil, spans...)
}

// runWith runs the processor with tel's telemetry (nil: none).
func runWith(t testing.TB, cfg *Config, tel *componenttest.Telemetry, spans ...map[string]any) []pcommon.Map {
	t.Helper()
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	for _, attrs := range spans {
		sp := ss.Spans().AppendEmpty()
		if name, ok := attrs["span.name"]; ok {
			sp.SetName(name.(string))
			delete(attrs, "span.name")
		}
		_ = sp.Attributes().FromRaw(attrs)
	}
	sink := new(consumertest.TracesSink)
	set := processortest.NewNopSettings(metadata.Type)
	if tel != nil {
		set.TelemetrySettings = tel.NewTelemetrySettings()
	}
	p, err := NewFactory().CreateTraces(context.Background(), set, cfg, sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	out := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	res := make([]pcommon.Map, out.Len())
	for i := range res {
		res[i] = out.At(i).Attributes()
		res[i].PutStr("span.name", out.At(i).Name())
	}
	return res
}

func str(m pcommon.Map, k string) string {
	v, ok := m.Get(k)
	if !ok {
		return "<absent>"
	}
	return v.AsString()
}

func defaultConfig() *Config { return createDefaultConfig().(*Config) }

func TestPostgresSpanStableConventions(t *testing.T) {
	out := run(t, defaultConfig(),
		map[string]any{"db.system.name": "postgresql", "span.name": "pg.query:SELECT shop",
			"db.query.text": "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'alice@example.com' AND o.total > 100.5"},
		map[string]any{"db.system.name": "postgresql",
			"db.query.text": "select o.id from orders o join customers c on c.id = o.customer_id where c.email = $1 and o.total > $2"},
	)
	a, b := out[0], out[1]
	if text := str(a, "db.query.text"); strings.Contains(text, "alice") || strings.Contains(text, "100.5") || !strings.Contains(text, "?") {
		t.Errorf("statement not sanitized: %s", text)
	}
	fp := str(a, "db.query.fingerprint")
	if len(fp) != 16 {
		t.Errorf("fingerprint %q", fp)
	}
	if fp != str(b, "db.query.fingerprint") {
		t.Errorf("literal and $n forms differ: %s vs %s", fp, str(b, "db.query.fingerprint"))
	}
	if got := str(a, "db.query.summary"); got != "SELECT orders customers" {
		t.Errorf("summary %q", got)
	}
	if str(a, "db.operation.name") != "SELECT" || str(a, "db.collection.name") != "orders" {
		t.Errorf("operation/collection: %s %s", str(a, "db.operation.name"), str(a, "db.collection.name"))
	}
	if str(a, "span.name") != "pg.query:SELECT shop" {
		t.Errorf("span name changed: %s", str(a, "span.name"))
	}
}

func TestMySQLSpanDeprecatedConventions(t *testing.T) {
	raw := `UPDATE invoices SET note = "card 4111111111111111", paid = 1 WHERE id IN (1, 2, 3)`
	out := run(t, defaultConfig(), map[string]any{"db.system": "mysql", "db.statement": raw, "span.name": raw,
		"db.operation.name": "UPDATE-custom", "db.query.summary": "kept as sent"})
	a := out[0]
	if text := str(a, "db.statement"); strings.Contains(text, "4111") || strings.Contains(text, "card") {
		t.Errorf("statement leaks: %s", text)
	}
	if _, ok := a.Get("db.query.text"); ok {
		t.Error("db.query.text added to a span that used db.statement")
	}
	if str(a, "db.operation.name") != "UPDATE-custom" || str(a, "db.query.summary") != "kept as sent" {
		t.Error("attributes the span already had were overwritten")
	}
	if str(a, "span.name") == raw {
		t.Error("span named after the raw statement kept its name")
	}
}

// Every dialect DialectFor returns gets a normalizer of its own, with its
// quoting rules.
func TestEveryDialect(t *testing.T) {
	for system, stmt := range map[string]string{
		"oracle.db":            "SELECT * FROM dual WHERE a = q'[it's zqsecret]'",
		"microsoft.sql_server": "SELECT * FROM [T] /* a /* b */ zqsecret */ WHERE a = 1",
		"sqlite":               `SELECT * FROM t WHERE a = "zqsecret"`,
		"clickhouse":           `SELECT * FROM t WHERE a = 'x\' , zqsecret , '`,
		"cassandra":            "SELECT * FROM t WHERE a = $$zqsecret$$",
		"other_sql":            "SELECT * FROM t WHERE a = $ä$ zqsecret $ä$",
	} {
		a := run(t, defaultConfig(), map[string]any{"db.system.name": system, "db.query.text": stmt})[0]
		if text := str(a, "db.query.text"); strings.Contains(text, "zqsecret") || !strings.HasPrefix(text, "SELECT * FROM") {
			t.Errorf("%s: %q", system, text)
		}
		if len(str(a, "db.query.fingerprint")) != 16 {
			t.Errorf("%s: no fingerprint", system)
		}
	}
}

func TestKeepRawStatement(t *testing.T) {
	cfg := defaultConfig()
	cfg.KeepRawStatement = true
	cfg.FingerprintAttribute = "app.fp"
	raw := "SELECT * FROM t WHERE secret = 'x'"
	a := run(t, cfg, map[string]any{"db.system.name": "postgresql", "db.query.text": raw})[0]
	if str(a, "db.query.text") != raw || len(str(a, "app.fp")) != 16 {
		t.Errorf("keep_raw_statement: text %q fp %q", str(a, "db.query.text"), str(a, "app.fp"))
	}
}

func TestOtherSpansUntouched(t *testing.T) {
	out := run(t, defaultConfig(),
		map[string]any{"http.route": "/x", "url.path": "/x/1"},
		map[string]any{"db.system.name": "postgresql"}, // pg-pool.connect: no statement
	)
	if out[0].Len() != 3 || out[1].Len() != 2 { // + span.name added by the test helper
		t.Errorf("attributes changed: %v / %v", out[0].AsRaw(), out[1].AsRaw())
	}
}

func TestHugeAndBrokenStatements(t *testing.T) {
	cfg := defaultConfig()
	huge := "SELECT * FROM t WHERE a IN (" + strings.Repeat("'s3cr3t', ", 200_000) + "'s3cr3t')"
	out := run(t, cfg,
		map[string]any{"db.system.name": "postgresql", "db.query.text": huge},
		map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 'unterminated \xff\xfe"},
	)
	for i, a := range out {
		text := str(a, "db.query.text")
		if strings.Contains(text, "s3cr3t") || strings.Contains(text, "unterminated") || len(text) > cfg.MaxStatementLength {
			t.Errorf("span %d: %d bytes, leaks or exceeds the cap: %.120s", i, len(text), text)
		}
		if len(str(a, "db.query.fingerprint")) != 16 {
			t.Errorf("span %d not fingerprinted", i)
		}
	}
}

// counterSum is the value of an Int64 counter whose points carry attribute key=value.
func counterSum(t *testing.T, tel *componenttest.Telemetry, name, key, value string) int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return 0
	}
	var n int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if v, ok := dp.Attributes.Value(attribute.Key(key)); ok && v.AsString() == value {
			n += dp.Value
		}
	}
	return n
}

func benchmarkSpans(b *testing.B, attrs map[string]any) {
	p, err := newProcessor(defaultConfig(), processortest.NewNopSettings(metadata.Type))
	if err != nil {
		b.Fatal(err)
	}
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	const n = 100
	for i := 0; i < n; i++ {
		_ = spans.AppendEmpty().Attributes().FromRaw(attrs)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// restore the raw statement: the processor replaced it on the previous round
		if v, ok := attrs["db.query.text"]; ok {
			for j := 0; j < n; j++ {
				spans.At(j).Attributes().PutStr("db.query.text", v.(string))
			}
		}
		b.StartTimer()
		if _, err := p.processTraces(ctx, td); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/span")
}

// Per-span cost of the processor for DB spans and for all other spans.
func BenchmarkProcessDBSpan(b *testing.B) {
	benchmarkSpans(b, map[string]any{"db.system.name": "postgresql", "db.namespace": "shop",
		"db.query.text": "SELECT id, name, email FROM users WHERE id = 42 AND tenant_id = 7 ORDER BY created_at DESC LIMIT 10"})
}

func BenchmarkProcessNonDBSpan(b *testing.B) {
	benchmarkSpans(b, map[string]any{"http.route": "/users/{id}", "http.request.method": "GET",
		"http.response.status_code": 200, "url.path": "/users/42"})
}

const marker = "zQ8LeaK"

// A statement that is not a string is removed from the span, never stringified, and
// counted; the span flows on.
func TestNonStringStatementRemoved(t *testing.T) {
	for name, stmt := range map[string]any{
		"array":  []any{"SELECT * FROM t WHERE a = '" + marker + "'"},
		"kvlist": map[string]any{"q": "SELECT '" + marker + "'"},
		"bytes":  []byte("SELECT '" + marker + "'"),
		"int":    12345,
	} {
		for _, keys := range [][2]string{{"db.system.name", "db.query.text"}, {"db.system", "db.statement"}} {
			for _, keep := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/keep=%v", name, keys[1], keep), func(t *testing.T) {
					cfg := defaultConfig()
					cfg.KeepRawStatement = keep
					tel := componenttest.NewTelemetry()
					defer func() { _ = tel.Shutdown(context.Background()) }()
					a := runWith(t, cfg, tel, map[string]any{keys[0]: "postgresql", keys[1]: stmt, "span.name": "query"})[0]
					if v, ok := a.Get(keys[1]); ok {
						t.Errorf("non-string statement kept: %s", v.AsString())
					}
					if _, ok := a.Get("db.query.fingerprint"); ok {
						t.Error("fingerprint of a non-string statement")
					}
					if strings.Contains(strings.ToLower(fmt.Sprint(a.AsRaw())), strings.ToLower(marker)) {
						t.Errorf("span still holds the marker: %v", a.AsRaw())
					}
					if n := counterSum(t, tel, "otelcol_queryhash_statements_removed", "reason", "not_string"); n != 1 {
						t.Errorf("otelcol_queryhash_statements_removed{reason=not_string} = %d, want 1", n)
					}
				})
			}
		}
	}
	// the string statement of a span that has both is still normalized
	a := run(t, defaultConfig(), map[string]any{"db.system.name": "mysql", "db.query.text": []any{marker}, "db.statement": "SELECT '" + marker + "'"})[0]
	if _, ok := a.Get("db.query.text"); ok || strings.Contains(str(a, "db.statement"), marker) || len(str(a, "db.query.fingerprint")) != 16 {
		t.Errorf("mixed statement attributes: %v", a.AsRaw())
	}
}

// A span name holding SQL with literals is replaced, whether or not it equals the statement.
func TestSpanNamesWithSQLAreSanitized(t *testing.T) {
	stmt := "SELECT * FROM accounts WHERE pw = '" + marker + "'"
	for name, tc := range map[string]struct {
		span, stmt, want string
	}{
		"name is the statement":       {stmt, stmt, "SELECT accounts"},
		"name contains the statement": {"pg.query:" + stmt, stmt, "SELECT accounts"},
		"name is other SQL":           {"pg.query:UPDATE accounts SET pw = '" + marker + "'", stmt, "SELECT accounts"},
		"lower-case SQL with number":  {"delete from sessions where id = 4111111111111111", stmt, "SELECT accounts"},
		"SQL name, no statement":      {"INSERT INTO audit VALUES ('" + marker + "')", "", "INSERT audit"},
		"safe name kept":              {"pg.query:SELECT shop", stmt, "pg.query:SELECT shop"},
		"summary name kept":           {"SELECT accounts", stmt, "SELECT accounts"},
	} {
		t.Run(name, func(t *testing.T) {
			attrs := map[string]any{"db.system.name": "postgresql", "span.name": tc.span}
			if tc.stmt != "" {
				attrs["db.query.text"] = tc.stmt
			}
			a := run(t, defaultConfig(), attrs)[0]
			if got := str(a, "span.name"); got != tc.want {
				t.Errorf("span name %q, want %q", got, tc.want)
			}
		})
	}
	// keep_raw_statement keeps the raw text on the span, its name included
	cfg := defaultConfig()
	cfg.KeepRawStatement = true
	a := run(t, cfg, map[string]any{"db.system.name": "postgresql", "db.query.text": stmt, "span.name": stmt})[0]
	if str(a, "span.name") != stmt || str(a, "db.query.text") != stmt {
		t.Errorf("keep_raw_statement changed the span: %v", a.AsRaw())
	}
}

// Names whose SQL carries no quote or number are kept without being normalized; any sign
// of a literal (a quote, a comment, a number) gets the name replaced.
func TestSpanNameLiteralSigns(t *testing.T) {
	for name, renamed := range map[string]bool{
		"SELECT orders customers":                     false,
		"SELECT db1.orders":                           false,
		"SELECT * FROM t WHERE a = 42":                true,
		"SELECT * FROM t /* " + marker + " */":        true,
		"SELECT * FROM t -- " + marker:                true,
		"SELECT * FROM t WHERE a = $$" + marker:       true,
		"SELECT * FROM t WHERE a = \"" + marker + `"`: true,
	} {
		a := run(t, defaultConfig(), map[string]any{"db.system.name": "mysql", "db.query.text": "SELECT 1", "span.name": name})[0]
		if got := str(a, "span.name"); (got != name) != renamed {
			t.Errorf("span name %q became %q (renamed: want %v)", name, got, renamed)
		}
	}
}

// The class of a LIKE pattern is recorded before redaction, the pattern never: the
// normalized text and the fingerprint are those of any other pattern.
func TestLikePatternClass(t *testing.T) {
	out := run(t, defaultConfig(),
		map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT id FROM products WHERE description LIKE '%secret-blue%'"},
		map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT id FROM products WHERE description LIKE 'secret-blue%'"},
		map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT id FROM products WHERE description LIKE $1"},
		map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT id FROM products WHERE id = 1", "db.query.like_pattern": "%forged%"},
	)
	for i, want := range []string{"leading_wildcard", "prefix", "parameter", "<absent>"} {
		if got := str(out[i], "db.query.like_pattern"); got != want {
			t.Errorf("span %d: like_pattern %q, want %q", i, got, want)
		}
		out[i].Range(func(k string, v pcommon.Value) bool {
			if strings.Contains(v.AsString(), "secret") {
				t.Errorf("span %d: %s keeps the pattern: %s", i, k, v.AsString())
			}
			return true
		})
	}
	if a, b := str(out[0], "db.query.fingerprint"), str(out[1], "db.query.fingerprint"); a != b || a != str(out[2], "db.query.fingerprint") {
		t.Errorf("the pattern's class changed the fingerprint: %s %s %s", a, b, str(out[2], "db.query.fingerprint"))
	}
}
