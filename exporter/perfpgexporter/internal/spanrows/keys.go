package spanrows

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// SpanAttributeKeys are the span attributes Convert reads: every key of semconv.go (a test
// holds the two together). The exporter drops every other attribute before its queue.
func SpanAttributeKeys() []string {
	keys := []string{keyFingerprint}
	for _, group := range [][]string{keysRoute, keysPath, keysFullURL, keysMethod, keysStatusCode, keysReqSize,
		keysRespSize, keysRPCService, keysRPCMethod, keysMsgDest, keysDBSystem, keysStatement, keysNamespace,
		keysReturned, keysSummary, keysOperation, keysCollection} {
		keys = append(keys, group...)
	}
	return keys
}

// ResourceAttributeKeys are the resource attributes Convert reads besides the tenant's.
func ResourceAttributeKeys() []string { return []string{keyServiceName} }

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
	if !hasAny(attrs, keysDBSystem) {
		return false
	}
	for _, k := range keysStatement {
		if v, ok := attrs.Get(k); ok {
			return v.Type() != pcommon.ValueTypeStr || v.Str() != ""
		}
	}
	return false
}
