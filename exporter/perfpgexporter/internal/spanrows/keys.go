package spanrows

import (
	"github.com/otelcol-perf/otelcol-perf/internal/semconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// SpanAttributeKeys are the span attributes Convert reads, with fingerprintAttribute as
// configured in Options (a test holds the list and the converter's reads together). The
// exporter drops every other attribute before its queue.
func SpanAttributeKeys(fingerprintAttribute string) []string {
	keys := append([]string{fingerprintAttribute, semconv.DBReturnedRows, semconv.DBQueryLikePattern}, ClassifierAttributeKeys()...)
	for _, group := range [][]string{semconv.HTTPRoute, semconv.HTTPPath, semconv.HTTPURL, semconv.HTTPMethod,
		semconv.HTTPStatusCode, semconv.HTTPRequestSize, semconv.HTTPResponseSize, semconv.RPCService,
		semconv.RPCMethod, semconv.MessagingDest, semconv.DBSystem, semconv.DBStatement, semconv.DBNamespaces} {
		keys = append(keys, group...)
	}
	return keys
}

// ResourceAttributeKeys are the resource attributes Convert reads besides the tenant's.
func ResourceAttributeKeys() []string { return []string{semconv.ServiceName} }

// MayBecomeRow reports whether Convert can make a row of span: a server or consumer span,
// or a non-producer span with a database system and a statement. It errs on keeping: a
// statement of any type counts, only an empty string does not.
func MayBecomeRow(span ptrace.Span) bool {
	switch kind := span.Kind(); {
	case kind == ptrace.SpanKindServer || kind == ptrace.SpanKindConsumer:
		return true
	case kind == ptrace.SpanKindProducer:
		return false
	}
	attrs := span.Attributes()
	if !hasAny(attrs, semconv.DBSystem) {
		return false
	}
	for _, k := range semconv.DBStatement {
		if v, ok := attrs.Get(k); ok {
			return v.Type() != pcommon.ValueTypeStr || v.Str() != ""
		}
	}
	return false
}
