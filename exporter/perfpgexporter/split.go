package perfpgexporter

import (
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// splitTraces halves td for writeIsolating: by resource when it has several (a resource has
// one tenant), else by span. nil: td is one span (or none) and cannot be split.
func splitTraces(td ptrace.Traces) []ptrace.Traces {
	rss := td.ResourceSpans()
	if rss.Len() > 1 {
		a, b := ptrace.NewTraces(), ptrace.NewTraces()
		for i := 0; i < rss.Len(); i++ {
			dst := a
			if i >= rss.Len()/2 {
				dst = b
			}
			rss.At(i).CopyTo(dst.ResourceSpans().AppendEmpty())
		}
		return []ptrace.Traces{a, b}
	}
	if td.SpanCount() < 2 {
		return nil
	}
	half := td.SpanCount() / 2
	a, b := ptrace.NewTraces(), ptrace.NewTraces()
	rs := rss.At(0)
	ra, rb := a.ResourceSpans().AppendEmpty(), b.ResourceSpans().AppendEmpty()
	rs.Resource().CopyTo(ra.Resource())
	rs.Resource().CopyTo(rb.Resource())
	n := 0
	for i := 0; i < rs.ScopeSpans().Len(); i++ {
		ss := rs.ScopeSpans().At(i)
		var sa, sb ptrace.ScopeSpans
		for j := 0; j < ss.Spans().Len(); j++ {
			var dst ptrace.ScopeSpans
			if n < half {
				if sa == (ptrace.ScopeSpans{}) {
					sa = ra.ScopeSpans().AppendEmpty()
					ss.Scope().CopyTo(sa.Scope())
				}
				dst = sa
			} else {
				if sb == (ptrace.ScopeSpans{}) {
					sb = rb.ScopeSpans().AppendEmpty()
					ss.Scope().CopyTo(sb.Scope())
				}
				dst = sb
			}
			ss.Spans().At(j).CopyTo(dst.Spans().AppendEmpty())
			n++
		}
	}
	return []ptrace.Traces{a, b}
}

// splitMetrics halves md for writeIsolating: by resource when it has several, else by
// metric. nil: md is one metric (or none).
func splitMetrics(md pmetric.Metrics) []pmetric.Metrics {
	rms := md.ResourceMetrics()
	if rms.Len() > 1 {
		a, b := pmetric.NewMetrics(), pmetric.NewMetrics()
		for i := 0; i < rms.Len(); i++ {
			dst := a
			if i >= rms.Len()/2 {
				dst = b
			}
			rms.At(i).CopyTo(dst.ResourceMetrics().AppendEmpty())
		}
		return []pmetric.Metrics{a, b}
	}
	if md.MetricCount() < 2 {
		return nil
	}
	half := md.MetricCount() / 2
	a, b := pmetric.NewMetrics(), pmetric.NewMetrics()
	rm := rms.At(0)
	ra, rb := a.ResourceMetrics().AppendEmpty(), b.ResourceMetrics().AppendEmpty()
	rm.Resource().CopyTo(ra.Resource())
	rm.Resource().CopyTo(rb.Resource())
	n := 0
	for i := 0; i < rm.ScopeMetrics().Len(); i++ {
		sm := rm.ScopeMetrics().At(i)
		var sa, sb pmetric.ScopeMetrics
		for j := 0; j < sm.Metrics().Len(); j++ {
			var dst pmetric.ScopeMetrics
			if n < half {
				if sa == (pmetric.ScopeMetrics{}) {
					sa = ra.ScopeMetrics().AppendEmpty()
					sm.Scope().CopyTo(sa.Scope())
				}
				dst = sa
			} else {
				if sb == (pmetric.ScopeMetrics{}) {
					sb = rb.ScopeMetrics().AppendEmpty()
					sm.Scope().CopyTo(sb.Scope())
				}
				dst = sb
			}
			sm.Metrics().At(j).CopyTo(dst.Metrics().AppendEmpty())
			n++
		}
	}
	return []pmetric.Metrics{a, b}
}
