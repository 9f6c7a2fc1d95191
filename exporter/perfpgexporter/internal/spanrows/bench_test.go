package spanrows

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// benchTraces is one batch as queryhash leaves it: 1 server span to 4 DB spans whose
// statements (of `shapes` distinct ones) are normalized and fingerprinted.
func benchTraces(spans, shapes int, now time.Time) ptrace.Traces {
	norm := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	type shape struct{ text, fp string }
	all := make([]shape, shapes)
	for i := range all {
		r := norm.Normalize(fmt.Sprintf("SELECT id, name, c%d FROM table_%d WHERE tenant = $1 AND id = $2 ORDER BY created_at DESC LIMIT 50", i%7, i))
		all[i] = shape{r.Normalized, sqlnorm.FormatFingerprint(r.Fingerprint)}
	}
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "svc")
	ss := rs.ScopeSpans().AppendEmpty().Spans()
	id := func(n int) (out pcommon.SpanID) {
		binary.BigEndian.PutUint64(out[:], uint64(n))
		return out
	}
	for n := 0; n < spans; n++ {
		span := ss.AppendEmpty()
		span.SetTraceID(pcommon.TraceID{byte(n / 5 >> 8), byte(n / 5), 1})
		span.SetSpanID(id(n + 1))
		start := now.Add(-time.Minute + time.Duration(n)*time.Millisecond)
		span.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		span.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(2 * time.Millisecond)))
		attrs := span.Attributes()
		if n%5 == 0 {
			span.SetKind(ptrace.SpanKindServer)
			attrs.PutStr("http.route", fmt.Sprintf("/api/r%d/{id}", n%200))
			attrs.PutStr("http.request.method", "GET")
			attrs.PutInt("http.response.status_code", 200)
			continue
		}
		s := all[(n*7919)%len(all)]
		span.SetKind(ptrace.SpanKindClient)
		span.SetParentSpanID(id(n - n%5 + 1))
		attrs.PutStr("db.system.name", "postgresql")
		attrs.PutStr("db.namespace", "app")
		attrs.PutStr("db.query.text", s.text)
		attrs.PutStr("db.query.fingerprint", s.fp)
	}
	return td
}

// BenchmarkConvert converts one batch of 8192 spans, with few distinct statements (as an
// application sends them) and with many.
func BenchmarkConvert(b *testing.B) {
	now := time.Now()
	for _, shapes := range []int{50, 2000} {
		b.Run(fmt.Sprintf("shapes=%d", shapes), func(b *testing.B) {
			td := benchTraces(8192, shapes, now)
			conv := NewConverter(Options{DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Hour})
			b.ReportAllocs()
			for b.Loop() {
				batch := conv.Convert(td, now)
				if len(batch.Queries) == 0 {
					b.Fatal("no query rows")
				}
			}
		})
	}
}
