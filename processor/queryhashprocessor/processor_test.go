package queryhashprocessor

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

func run(t testing.TB, cfg *Config, spans ...map[string]any) []pcommon.Map {
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
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
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
		map[string]any{"db.system.name": "postgresql", "db.query.text": 12345},
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
