package perfpgexporter

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metricrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
)

// slimmer reduces data to what the converters read before it enters exporterhelper's
// persistent queue, which holds (and writes to disk) whole requests: spans that cannot
// become rows, span events and links, attributes no converter reads, scope data other
// than a span scope's name (the span converter tells DB executions from other DB spans by
// it), and metrics no converter reads. Converting slimmed data gives the same rows.
type slimmer struct {
	spanKeys     map[string]bool
	spanResKeys  map[string]bool
	metricResKey map[string]bool
}

func newSlimmer(cfg *Config) *slimmer {
	set := func(keys ...string) map[string]bool {
		m := map[string]bool{}
		for _, k := range tenantstamp.Attributes {
			m[k] = true
		}
		if cfg.Tenant.ResourceAttribute != "" {
			m[cfg.Tenant.ResourceAttribute] = true
		}
		for _, k := range keys {
			m[k] = true
		}
		return m
	}
	return &slimmer{
		spanKeys:     set(spanrows.SpanAttributeKeys(cfg.FingerprintAttribute)...),
		spanResKeys:  set(spanrows.ResourceAttributeKeys()...),
		metricResKey: set(metricrows.ResourceAttributeKeys()...),
	}
}

func keepOnly(attrs pcommon.Map, keys map[string]bool) {
	attrs.RemoveIf(func(k string, _ pcommon.Value) bool { return !keys[k] })
}

// Traces slims td in place. Resources stay (with their service and tenant), even when no
// span of theirs is left: Convert registers the service of every resource.
func (s *slimmer) Traces(td ptrace.Traces) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		keepOnly(rs.Resource().Attributes(), s.spanResKeys)
		rs.Resource().SetDroppedAttributesCount(0)
		rs.SetSchemaUrl("")
		rs.ScopeSpans().RemoveIf(func(ss ptrace.ScopeSpans) bool {
			ss.Spans().RemoveIf(func(span ptrace.Span) bool { return !spanrows.MayBecomeRow(span) })
			if ss.Spans().Len() == 0 {
				return true
			}
			ss.SetSchemaUrl("")
			name := ss.Scope().Name()
			pcommon.NewInstrumentationScope().MoveTo(ss.Scope())
			ss.Scope().SetName(name)
			spans := ss.Spans()
			for k := 0; k < spans.Len(); k++ {
				span := spans.At(k)
				keepOnly(span.Attributes(), s.spanKeys)
				span.Events().RemoveIf(func(ptrace.SpanEvent) bool { return true })
				span.Links().RemoveIf(func(ptrace.SpanLink) bool { return true })
				span.TraceState().FromRaw("")
				span.Status().SetMessage("")
				span.SetDroppedAttributesCount(0)
				span.SetDroppedEventsCount(0)
				span.SetDroppedLinksCount(0)
			}
			return false
		})
	}
}

// Metrics slims md in place: metrics of names no converter reads go, and resource and
// scope data no converter reads. Data points keep every attribute: counters are told
// apart by them.
func (s *slimmer) Metrics(md pmetric.Metrics) {
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		rm := rms.At(i)
		keepOnly(rm.Resource().Attributes(), s.metricResKey)
		rm.Resource().SetDroppedAttributesCount(0)
		rm.SetSchemaUrl("")
		rm.ScopeMetrics().RemoveIf(func(sm pmetric.ScopeMetrics) bool {
			sm.Metrics().RemoveIf(func(m pmetric.Metric) bool { return !metricrows.Reads(m.Name()) })
			if sm.Metrics().Len() == 0 {
				return true
			}
			sm.SetSchemaUrl("")
			pcommon.NewInstrumentationScope().MoveTo(sm.Scope())
			ms := sm.Metrics()
			for k := 0; k < ms.Len(); k++ {
				ms.At(k).SetDescription("")
				ms.At(k).Metadata().Clear()
			}
			return false
		})
	}
}

// The traces and metrics fronts stand in front of exporterhelper's queue: they write the
// tenant of the request's credentials or client metadata into the data (see
// internal/tenantstamp), then slim it, then hand it to the helper h. Both mutate the data,
// which the helper's MutatesData capability declares (the front has the helper's
// capabilities); Start and Shutdown are the helper's.
func newFrontTraces(c *Config, h exporter.Traces) (exporter.Traces, error) {
	next, err := consumer.NewTraces(stampAndSlim(newFront(c), tenantstamp.Traces, (*slimmer).Traces, h.ConsumeTraces),
		consumer.WithCapabilities(h.Capabilities()))
	return struct {
		component.Component
		consumer.Traces
	}{h, next}, err
}

func newFrontMetrics(c *Config, h exporter.Metrics) (exporter.Metrics, error) {
	next, err := consumer.NewMetrics(stampAndSlim(newFront(c), tenantstamp.Metrics, (*slimmer).Metrics, h.ConsumeMetrics),
		consumer.WithCapabilities(h.Capabilities()))
	return struct {
		component.Component
		consumer.Metrics
	}{h, next}, err
}

// stampAndSlim is what the traces and metrics fronts do with their data D.
func stampAndSlim[D any](f front, stamp func(D, tenantstamp.Origin), slim func(*slimmer, D), next func(context.Context, D) error) func(context.Context, D) error {
	return func(ctx context.Context, d D) error {
		stamp(d, f.tenantOf(ctx))
		slim(f.slim, d)
		return next(ctx, d)
	}
}

// front is what both signals' fronts hold.
type front struct {
	slim   *slimmer
	tenant TenantConfig
}

func newFront(c *Config) front { return front{slim: newSlimmer(c), tenant: c.Tenant} }

func (f front) tenantOf(ctx context.Context) tenantstamp.Origin {
	return tenantstamp.FromContext(ctx, f.tenant.MetadataKey, f.tenant.Default)
}
