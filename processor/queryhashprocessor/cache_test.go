package queryhashprocessor

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

// A span whose statement text was seen before gets exactly the attributes and name a
// processor that never saw it gives: repeated texts (hits), texts that share a slot
// (replaced entries), the same text in two dialects, LIKE classes, and texts longer than
// the cache takes.
func TestRepeatedStatementsGetTheSameAttributes(t *testing.T) {
	long := "SELECT a FROM t WHERE b = 'x' AND c IN (" + strings.Repeat("1, ", cacheMaxText/3) + "2)"
	var spans []map[string]any
	for i := range 3 * cacheSlots {
		spans = append(spans, map[string]any{"db.system.name": "postgresql",
			"db.query.text": fmt.Sprintf("SELECT * FROM t%d WHERE name LIKE '%%%d' AND id = $1", i%(cacheSlots+7), i%3)})
	}
	for range 3 {
		for _, sys := range []string{"postgresql", "mysql"} {
			spans = append(spans,
				map[string]any{"db.system.name": sys, "db.query.text": "SELECT `x` FROM \"y\" WHERE z = 'q' -- c", "span.name": "SELECT \"y\" WHERE z = 'q'"},
				map[string]any{"db.system": sys, "db.statement": long},
			)
		}
	}
	clone := func() []map[string]any {
		out := make([]map[string]any, len(spans))
		for i, s := range spans {
			out[i] = map[string]any{}
			for k, v := range s {
				out[i][k] = v
			}
		}
		return out
	}
	batch := runWith(t, defaultConfig(), nil, clone()...) // one processor: later spans hit the cache
	var hits int
	p, _ := newProcessor(defaultConfig(), processortest.NewNopSettings(metadata.Type))
	for i, s := range clone() {
		d, text := sqlnorm.DialectFor(dialectOf(s)), stmtOf(s)
		h := p.results.hash(d, text)
		if p.results.get(h, d, text) != nil {
			hits++
		}
		alone := run(t, defaultConfig(), s)[0] // a fresh processor: a cold cache
		if got, want := batch[i].AsRaw(), alone.AsRaw(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("span %d: with a warm cache %v, alone %v", i, got, want)
		}
		if p.results.admit(h, text) {
			p.results.put(h, &cacheEntry{dialect: d, text: text})
		}
	}
	if hits == 0 {
		t.Fatal("no text was found in the cache a second time: the test covers no hit")
	}
}

func dialectOf(s map[string]any) string {
	if v, ok := s["db.system.name"]; ok {
		return v.(string)
	}
	return s["db.system"].(string)
}

func stmtOf(s map[string]any) string {
	if v, ok := s["db.query.text"]; ok {
		return v.(string)
	}
	return s["db.statement"].(string)
}

// Per-span cost on a mix: a quarter of the statements prepared texts that repeat (20
// shapes), the rest with literals that never repeat.
func BenchmarkProcessMixedDBSpans(b *testing.B) {
	p, err := newProcessor(defaultConfig(), processortest.NewNopSettings(metadata.Type))
	if err != nil {
		b.Fatal(err)
	}
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	const n = 100
	for range n {
		spans.AppendEmpty()
	}
	ctx := context.Background()
	seq := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := 0; j < n; j++ {
			seq++
			stmt := fmt.Sprintf("SELECT id, name, email FROM users_%d WHERE id = %d AND tenant_id = 7 ORDER BY created_at DESC LIMIT 10", seq%20, seq)
			if j%4 == 0 {
				stmt = fmt.Sprintf("SELECT id, name, email FROM users_%d WHERE id = $1 AND tenant_id = $2 ORDER BY created_at DESC LIMIT 10", seq%20)
			}
			// fresh attributes each round, as decoded off the wire: what the processor adds
			// (fingerprint, summary, operation, collection) is part of the cost
			_ = spans.At(j).Attributes().FromRaw(map[string]any{"db.system.name": "postgresql", "db.namespace": "shop", "db.query.text": stmt})
		}
		b.StartTimer()
		if _, err := p.processTraces(ctx, td); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/span")
}
