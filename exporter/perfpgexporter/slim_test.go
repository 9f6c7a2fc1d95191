package perfpgexporter

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metricrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
)

// noisyTraces is realisticTraces with what instrumentation sends besides: resource and
// span attributes nobody stores, exception events with stack traces, links, internal and
// producer spans, a connection span, an empty and a non-string statement, an expired span.
func noisyTraces(base time.Time) ptrace.Traces {
	td := realisticTraces(base)
	addSpans(td, map[string]any{"service.name": "worker", "tenant.id": "globex"},
		spanSpec{kind: ptrace.SpanKindConsumer, name: "orders process", trace: 3, id: 300, start: base, dur: 40 * time.Millisecond,
			attrs: map[string]any{"messaging.destination.name": "orders", "messaging.system": "kafka"}},
		spanSpec{kind: ptrace.SpanKindInternal, name: "render", trace: 3, id: 301, parent: 300, start: base, dur: time.Millisecond,
			attrs: map[string]any{"template": "invoice.html"}},
		spanSpec{kind: ptrace.SpanKindProducer, name: "orders publish", trace: 3, id: 302, parent: 300, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system": "redis", "db.statement": "PUBLISH orders 1"}},
		spanSpec{kind: ptrace.SpanKindClient, name: "empty", trace: 3, id: 303, parent: 300, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system": "postgresql", "db.statement": ""}},
		spanSpec{kind: ptrace.SpanKindClient, name: "array", trace: 3, id: 304, parent: 300, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system": "postgresql", "db.query.text": []any{"SELECT 1"}}},
		spanSpec{kind: ptrace.SpanKindServer, name: "GET /old", trace: 4, id: 400, start: base.Add(-800 * time.Hour), dur: time.Millisecond,
			attrs: map[string]any{"http.route": "/old"}},
		spanSpec{kind: ptrace.SpanKindServer, name: "GET /rpc", trace: 4, id: 401, start: base, dur: time.Millisecond,
			attrs: map[string]any{"rpc.service": "Orders", "rpc.method": "Get", "url.full": "https://u:p@shop.example/a/b?q=1"}},
	)
	stack := strings.Repeat("at com.example.shop.OrderService.load(OrderService.java:42)\n", 30)
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		res := rss.At(i).Resource().Attributes()
		for _, k := range []string{"process.command_line", "process.executable.path", "telemetry.sdk.name", "telemetry.sdk.version",
			"k8s.pod.name", "k8s.pod.uid", "k8s.namespace.name", "container.id", "os.description", "process.runtime.description"} {
			res.PutStr(k, k+" "+strings.Repeat("x", 60))
		}
		ss := rss.At(i).ScopeSpans()
		for j := 0; j < ss.Len(); j++ {
			ss.At(j).Scope().SetName("@opentelemetry/instrumentation-http")
			ss.At(j).Scope().SetVersion("0.57.0")
			spans := ss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				sp := spans.At(k)
				a := sp.Attributes()
				for n := range 15 {
					a.PutStr(fmt.Sprintf("app.custom.attribute_%d", n), strings.Repeat("v", 40))
				}
				a.PutStr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
				a.PutStr("thread.name", "http-nio-8080-exec-7")
				ev := sp.Events().AppendEmpty()
				ev.SetName("exception")
				ev.Attributes().PutStr("exception.message", "boom at user alice@example.com")
				ev.Attributes().PutStr("exception.stacktrace", stack)
				l := sp.Links().AppendEmpty()
				l.SetTraceID(traceID(9))
				l.Attributes().PutStr("link.reason", "batch")
				sp.TraceState().FromRaw("vendor=abc")
				sp.Status().SetMessage("Internal error: " + stack[:200])
			}
		}
	}
	return td
}

// Slimming keeps exactly what the converters read: the rows of a batch are the same with
// and without it, and the request the queue holds is a fraction of the original.
func TestSlimmedTracesGiveTheSameRows(t *testing.T) {
	now := time.Now().UTC()
	td := noisyTraces(now.Add(-time.Minute))
	addScopedDBSpans(td, now.Add(-time.Minute))
	tenantstamp.Traces(td, tenantstamp.Origin{}) // as in the pipeline: stamping first (no metadata: nothing stamped)
	slimmed := ptrace.NewTraces()
	td.CopyTo(slimmed)
	cfg := createDefaultConfig().(*Config)
	newSlimmer(cfg).Traces(slimmed)

	opts := spanrows.Options{TenantAttribute: cfg.Tenant.ResourceAttribute, DefaultTenant: cfg.Tenant.Default,
		Retention: cfg.Retention.Logs, MaxFutureSkew: cfg.MaxFutureSkew, MaxStatementLen: 32 << 10}
	want := spanrows.NewConverter(opts).Convert(td, now)
	got := spanrows.NewConverter(opts).Convert(slimmed, now)
	dropped := 0
	for _, n := range want.Dropped {
		dropped += n
	}
	if want.NotExecutions[spanrows.RolePrepare] != 2 {
		t.Errorf("%d prepare spans recognised, want 2", want.NotExecutions[spanrows.RolePrepare])
	}
	if len(want.API) == 0 || len(want.Queries) == 0 || dropped == 0 {
		t.Fatalf("the fixture converts to %d API rows, %d query rows, %d dropped: it proves little", len(want.API), len(want.Queries), dropped)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("rows differ after slimming:\nwithout: %+v\nwith:    %+v", want, got)
	}
	var m ptrace.ProtoMarshaler
	before, after := m.TracesSize(td), m.TracesSize(slimmed)
	t.Logf("proto bytes: %d -> %d (%.1f%%); spans %d -> %d", before, after, 100*float64(after)/float64(before), td.SpanCount(), slimmed.SpanCount())
	if after*5 > before {
		t.Errorf("slimmed request is %d of %d bytes: more than a fifth", after, before)
	}
	// gone: the pool-connect span (no statement), the internal span, the producer span, the
	// empty statement
	if slimmed.SpanCount() != td.SpanCount()-4 {
		t.Errorf("%d of %d spans kept, want all but 4", slimmed.SpanCount(), td.SpanCount())
	}
}

// addScopedDBSpans adds the spans of one execution each through otelsql (prepare + query)
// and otelpgx (the statement cache's prepare, named like the query): the converter tells
// them apart by scope name, span name and pgx.prepare_stmt.name, which slimming keeps.
func addScopedDBSpans(td ptrace.Traces, base time.Time) {
	db := map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT qty FROM items WHERE id = $1"}
	for i, lib := range []struct{ scope, prepare, query string }{
		{"github.com/XSAM/otelsql", "sql.conn.prepare", "sql.stmt.query"},
		{"github.com/exaring/otelpgx", "SELECT", "SELECT"},
	} {
		id := uint64(900 + 10*i)
		addSpans(td, map[string]any{"service.name": "items"},
			spanSpec{kind: ptrace.SpanKindClient, name: lib.prepare, trace: 9, id: id, start: base, dur: time.Millisecond,
				attrs: map[string]any{"pgx.prepare_stmt.name": "stmtcache_1"}},
			spanSpec{kind: ptrace.SpanKindClient, name: lib.query, trace: 9, id: id + 1, start: base, dur: time.Millisecond})
		rss := td.ResourceSpans()
		ss := rss.At(rss.Len() - 1).ScopeSpans().At(0)
		ss.Scope().SetName(lib.scope)
		ss.Scope().SetVersion("1.0.0")
		for k := 0; k < ss.Spans().Len(); k++ {
			attrs := ss.Spans().At(k).Attributes()
			for key, v := range db {
				attrs.PutStr(key, v.(string))
			}
			if lib.scope == "github.com/XSAM/otelsql" {
				attrs.Remove("pgx.prepare_stmt.name")
			}
		}
	}
}

// The tenant named by the stamped attribute or by the configured resource attribute
// survives slimming.
func TestSlimmingKeepsTheTenant(t *testing.T) {
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "acme"}, spanSpec{kind: ptrace.SpanKindServer, id: 1, start: time.Now()})
	addSpans(td, map[string]any{"service.name": "b"}, spanSpec{kind: ptrace.SpanKindServer, id: 2, start: time.Now()})
	addSpans(td, map[string]any{"service.name": "c"}, spanSpec{kind: ptrace.SpanKindServer, id: 3, start: time.Now()})
	tenantstamp.Traces(td, tenantstamp.Origin{})
	td.ResourceSpans().At(1).Resource().Attributes().PutStr(tenantstamp.Attribute, "globex")
	third := ptrace.NewTraces()
	td.ResourceSpans().At(2).CopyTo(third.ResourceSpans().AppendEmpty())
	tenantstamp.Traces(third, tenantstamp.Origin{Tenant: "initech", FromCredentials: true})
	third.ResourceSpans().At(0).CopyTo(td.ResourceSpans().At(2))
	newSlimmer(createDefaultConfig().(*Config)).Traces(td)
	for i, want := range []struct {
		tenant      string
		clientNamed bool
	}{{"acme", true}, {"globex", true}, {"initech", false}} {
		got, clientNamed := tenantstamp.Resolve(td.ResourceSpans().At(i).Resource().Attributes(), "tenant.id", "default")
		if got != want.tenant || clientNamed != want.clientNamed {
			t.Errorf("resource %d: tenant %q (client-named %v) after slimming, want %q (%v)", i, got, clientNamed, want.tenant, want.clientNamed)
		}
	}
}

// Metrics: names no converter reads go, resource attributes too; rows are the same.
func TestSlimmedMetricsGiveTheSameRows(t *testing.T) {
	now := time.Now().UTC()
	ts := now.Add(-2 * time.Minute)
	md := pmetric.NewMetrics()
	for i, svc := range []string{"shop-api", "billing"} {
		rm := md.ResourceMetrics().AppendEmpty()
		_ = rm.Resource().Attributes().FromRaw(map[string]any{"service.name": svc, "host.name": "web-1", "service.instance.id": fmt.Sprint(i),
			"tenant.id": "acme", "process.command_line": strings.Repeat("node --max-old-space-size=4096 ", 10), "telemetry.sdk.name": "opentelemetry"})
		sm := rm.ScopeMetrics().AppendEmpty()
		sm.Scope().SetName("host-metrics")
		addMetric(sm, "process.cpu.utilization", "1", false, false, ts, point{map[string]any{"state": "user"}, 0.25})
		addMetric(sm, "process.cpu.time", "s", true, true, ts, point{map[string]any{"state": "user"}, 12.5})
		addMetric(sm, "db.client.connection.count", "{connection}", true, false, ts,
			point{map[string]any{"db.client.connection.state": "used", "db.client.connection.pool.name": "main", "extra": "x"}, 9})
		for n := range 20 {
			addMetric(sm, fmt.Sprintf("http.server.request.duration.%d", n), "s", false, false, ts, point{map[string]any{"http.route": "/a"}, 1})
		}
		other := rm.ScopeMetrics().AppendEmpty()
		addMetric(other, "jvm.gc.duration", "s", false, false, ts, point{nil, 1})
	}
	slimmed := pmetric.NewMetrics()
	md.CopyTo(slimmed)
	newSlimmer(createDefaultConfig().(*Config)).Metrics(slimmed)
	opts := metricrows.Options{TenantAttribute: "tenant.id", DefaultTenant: "default", Retention: 720 * time.Hour, MaxFutureSkew: time.Hour}
	want := metricrows.NewConverter(opts).Convert(md, now)
	got := metricrows.NewConverter(opts).Convert(slimmed, now)
	if len(want.Resources) == 0 || len(want.Pools) == 0 {
		t.Fatalf("the fixture converts to %d resource and %d pool rows: it proves little", len(want.Resources), len(want.Pools))
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("rows differ after slimming:\nwithout: %+v\nwith:    %+v", want, got)
	}
	var m pmetric.ProtoMarshaler
	before, after := m.MetricsSize(md), m.MetricsSize(slimmed)
	t.Logf("proto bytes: %d -> %d; metrics %d -> %d", before, after, md.MetricCount(), slimmed.MetricCount())
	if after*3 > before {
		t.Errorf("slimmed request is %d of %d bytes: more than a third", after, before)
	}
}
