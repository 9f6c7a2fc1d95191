package perfpgexporter

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// Bad input is dropped or repaired span by span; its neighbours are stored.
func TestTracesBadInput(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	now := time.Now().UTC()
	base := now.Add(-time.Minute)
	huge := strings.Repeat("x", 10<<20)
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "svc\xff\xfe", "tenant.id": strings.Repeat("t", 1000)},
		// timestamps of 0 and of year 3000: dropped (expired / future)
		spanSpec{kind: ptrace.SpanKindServer, trace: 1, id: 1, start: time.Unix(0, 0), dur: time.Millisecond},
		spanSpec{kind: ptrace.SpanKindServer, trace: 1, id: 2, start: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), dur: time.Millisecond},
		// missing attributes entirely: stored with the span name as endpoint
		spanSpec{kind: ptrace.SpanKindServer, name: "", trace: 1, id: 3, start: base, dur: time.Millisecond},
		// invalid UTF-8 and NUL in route and statement, a 10 MB path, a 1 MB statement
		spanSpec{kind: ptrace.SpanKindServer, trace: 1, id: 4, start: base, dur: time.Millisecond,
			attrs: map[string]any{"http.route": "/bad\xff\x00route", "http.request.method": huge, "http.response.status_code": "abc"}},
		spanSpec{kind: ptrace.SpanKindServer, trace: 1, id: 5, start: base, dur: time.Millisecond,
			attrs: map[string]any{"url.path": "/" + huge}},
		spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: 6, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT '\xff\x00secret' FROM t WHERE a = " + strings.Repeat("9", 1<<20)}},
		// unknown and unrelated kinds: not stored, not an error
		spanSpec{kind: ptrace.SpanKindUnspecified, trace: 1, id: 7, start: base, dur: time.Millisecond},
		spanSpec{kind: ptrace.SpanKind(42), trace: 1, id: 8, start: base, dur: time.Millisecond},
		spanSpec{kind: ptrace.SpanKindInternal, trace: 1, id: 9, start: base, dur: time.Millisecond, attrs: map[string]any{"x": 1}},
		// end before start, negative sizes, non-string statement, db span without a statement
		spanSpec{kind: ptrace.SpanKindServer, trace: 1, id: 10, start: base, dur: -time.Second,
			attrs: map[string]any{"http.route": "/neg", "http.request.body.size": -5}},
		spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: 11, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system": "mysql", "db.statement": 12345}},
		spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: 12, start: base, dur: time.Millisecond,
			attrs: map[string]any{"db.system": "mysql"}},
	)
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM api_performance_log"); n != 4 {
		t.Errorf("api rows %d, want 4 (ids 3, 4, 5, 10)", n)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM query_performance_log"); n != 1 {
		t.Errorf("query rows %d, want 1 (id 6; the statement of 11 is not a string)", n)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM api_performance_log WHERE span_id = 10 AND duration_us = 0 AND request_size = -1"); n != 1 {
		t.Error("negative duration/size not clamped")
	}
	var route string
	if err := te.pool.QueryRow(ctx, "SELECT max(length(route)) FROM perf_endpoints").Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	if err := te.pool.QueryRow(ctx, "SELECT route FROM perf_endpoints WHERE route LIKE '/bad%'").Scan(&route); err != nil {
		t.Fatal(err)
	}
	if route != "/bad\uFFFD\uFFFDroute" {
		t.Errorf("route %q", route)
	}
	var text string
	if err := te.pool.QueryRow(ctx, "SELECT normalized_text FROM query_fingerprints WHERE operation = 'SELECT'").Scan(&text); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "secret") || strings.Contains(text, "999") || len(text) > 40<<10 {
		t.Errorf("normalized text leaks or is too long (%d bytes): %.200s", len(text), text)
	}
}

// 10 000 distinct paths on one service: templated where they carry ids, and the rest
// folded into "{other}" past the cap.
func TestTracesEndpointCardinalityCap(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, func(c *Config) { c.Endpoints.MaxPerService = 50 })
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	for batch := 0; batch < 4; batch++ {
		td := ptrace.NewTraces()
		var specs []spanSpec
		for i := 0; i < 2500; i++ {
			n := batch*2500 + i
			path := fmt.Sprintf("/users/%d/orders", n) // templated: one endpoint
			if n%2 == 0 {
				path = fmt.Sprintf("/page-%s", strings.Repeat(string(rune('a'+n%26)), 1+n%40)) // distinct, no id
			}
			specs = append(specs, spanSpec{kind: ptrace.SpanKindServer, trace: byte(n), id: uint64(n + 1), start: base, dur: time.Millisecond,
				attrs: map[string]any{"url.path": path, "http.request.method": "GET"}})
		}
		addSpans(td, map[string]any{"service.name": "wide"}, specs...)
		if err := te.traces.ConsumeTraces(ctx, td); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, te.pool, "SELECT count(*) FROM api_performance_log"); n != 10000 {
		t.Fatalf("rows %d, want every span stored", n)
	}
	endpoints := count(t, te.pool, "SELECT count(*) FROM perf_endpoints")
	if endpoints > 51 {
		t.Errorf("%d endpoints, want at most the cap (50) plus {other}", endpoints)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM perf_endpoints WHERE route = '/users/{id}/orders'"); n != 1 {
		t.Error("ids in paths were not templated")
	}
	if n := count(t, te.pool, `SELECT count(*) FROM api_performance_log a JOIN perf_endpoints e USING (tenant_id, endpoint_id)
		WHERE e.route = '{other}'`); n == 0 {
		t.Error("nothing folded into {other}")
	}
}

// A metric resource with an invalid tenant name, NaN values and an unknown metric type
// does not fail its batch.
func TestMetricsBadInput(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ts := time.Now().UTC().Add(-time.Minute)
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	_ = rm.Resource().Attributes().FromRaw(map[string]any{"service.name": "svc\x00\xff", "tenant.id": "bad\xff\xfe" + strings.Repeat("x", 500)})
	sm := rm.ScopeMetrics().AppendEmpty()
	addMetric(sm, "process.memory.usage", "By", true, false, ts, point{nil, math.NaN()})
	addMetric(sm, "system.cpu.utilization", "1", false, false, ts, point{map[string]any{"state": "user"}, math.Inf(1)})
	addMetric(sm, "process.memory.usage", "By", true, false, ts, point{nil, 1 << 20})
	addMetric(sm, "process.memory.usage", "By", true, false, time.Unix(0, 0), point{nil, 1}) // expired point
	sm.Metrics().AppendEmpty().SetName("db.client.connection.count")                         // no data: empty type
	if err := te.metrics.ConsumeMetrics(context.Background(), md); err != nil {
		t.Fatal(err)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM system_resource_metrics WHERE memory_used_bytes = 1048576"); n != 1 {
		t.Fatalf("valid point of a bad resource not stored (%d rows)", n)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM perf_tenants WHERE name LIKE 'bad%' AND length(name) <= 128"); n != 1 {
		t.Fatal("tenant name not cleaned")
	}
}

// A statement that is not a string is no query row: counted per reason and logged once,
// its neighbours stored.
func TestTracesNonStringStatementCounted(t *testing.T) {
	t.Parallel()
	tel := componenttest.NewTelemetry()
	defer func() { _ = tel.Shutdown(context.Background()) }()
	core, logs := observer.New(zap.WarnLevel)
	te := newTestExportersWith(t, nil, func(set *exporter.Settings) {
		set.TelemetrySettings = tel.NewTelemetrySettings()
		set.Logger = zap.New(core)
	})
	base := time.Now().UTC().Add(-time.Minute)
	for round := 0; round < 2; round++ {
		td := ptrace.NewTraces()
		addSpans(td, map[string]any{"service.name": "svc"},
			spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: uint64(10*round + 1), start: base, dur: time.Millisecond,
				attrs: map[string]any{"db.system.name": "postgresql", "db.query.text": []any{"SELECT 'zq8leak'"}}},
			spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: uint64(10*round + 2), start: base, dur: time.Millisecond,
				attrs: map[string]any{"db.system": "mysql", "db.statement": map[string]any{"q": "SELECT 'zq8leak'"}}},
			spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: uint64(10*round + 3), start: base, dur: time.Millisecond,
				attrs: map[string]any{"db.system": "mysql", "db.statement": []byte("SELECT 'zq8leak'")}},
			spanSpec{kind: ptrace.SpanKindClient, trace: 1, id: uint64(10*round + 4), start: base, dur: time.Millisecond,
				attrs: map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 1"}},
		)
		if err := te.traces.ConsumeTraces(context.Background(), td); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, te.pool, "SELECT count(*) FROM query_performance_log"); n != 2 {
		t.Errorf("%d query rows, want the 2 string statements", n)
	}
	if n := count(t, te.pool, "SELECT count(*) FROM query_fingerprints WHERE normalized_text ILIKE '%zq8leak%' OR normalized_text ILIKE '%U0VMRUNU%'"); n != 0 {
		t.Errorf("%d fingerprints hold a stringified statement", n)
	}
	m, err := tel.GetMetric("otelcol_perfpg_rows_dropped")
	if err != nil {
		t.Fatal(err)
	}
	var dropped int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if v, _ := dp.Attributes.Value("reason"); v.AsString() == "statement_not_string" {
			dropped += dp.Value
		}
	}
	if dropped != 6 {
		t.Errorf("otelcol_perfpg_rows_dropped{reason=statement_not_string} = %d, want 6", dropped)
	}
	if n := logs.FilterField(zap.String("reason", "statement_not_string")).Len(); n != 1 {
		t.Errorf("logged %d times, want once", n)
	}
}
