package perfpgexporter

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

type authData map[string]any

func (a authData) GetAttribute(name string) any { return a[name] }
func (a authData) GetAttributeNames() []string {
	names := make([]string, 0, len(a))
	for k := range a {
		names = append(names, k)
	}
	return names
}

func serverSpan(base time.Time, trace byte, id uint64) spanSpec {
	return spanSpec{kind: ptrace.SpanKindServer, trace: trace, id: id, start: base, dur: time.Millisecond,
		attrs: map[string]any{"http.route": "/x"}}
}

// rowsPerTenant counts the rows of table (default api_performance_log) per tenant name.
func rowsPerTenant(t *testing.T, te *testExporters, table ...string) map[string]int {
	t.Helper()
	table = append(table, "api_performance_log")
	got := map[string]int{}
	rows, _ := te.pool.Query(context.Background(), `SELECT t.name, count(*) FROM `+table[0]+` a JOIN perf_tenants t USING (tenant_id) GROUP BY 1`)
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		got[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// newExportersWithReader is newTestExporters whose self-telemetry a test can read.
func newExportersWithReader(t *testing.T, mutate func(*Config)) (*testExporters, *sdkmetric.ManualReader) {
	reader := sdkmetric.NewManualReader()
	return newTestExportersWithMeter(t, mutate, sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))), reader
}

// sendKnownTenantSpan stores one span of the tenant "known" (named by tenant.id).
func sendKnownTenantSpan(t *testing.T, te *testExporters, base time.Time) {
	t.Helper()
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "known"}, serverSpan(base, 1, 1))
	if err := te.traces.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
}

// sumCounter adds up the points of a counter whose attribute reason is reason ("": all).
func sumCounter(t *testing.T, reader *sdkmetric.ManualReader, name, reason string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				if v, ok := p.Attributes.Value("reason"); reason == "" || ok && v.AsString() == reason {
					n += p.Value
				}
			}
		}
	}
	return n
}

// Tenant ids past the old smallint range (32767) are stored: the dictionary is filled
// directly, then a row of a new tenant (id > 33000) is written through the exporter.
func TestTenantIDBeyondSmallint(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	if _, err := te.pool.Exec(ctx, `INSERT INTO perf_tenants (name) SELECT 'bulk-' || g FROM generate_series(1, 33000) g`); err != nil {
		t.Fatal(err)
	}
	base := time.Now().UTC().Add(-time.Minute)
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a"}, serverSpan(base, 1, 1))
	authed := client.NewContext(ctx, client.Info{Auth: authData{"tenant": "big"}})
	if err := te.traces.ConsumeTraces(authed, td); err != nil {
		t.Fatal(err)
	}
	if id := count(t, te.pool, `SELECT a.tenant_id FROM api_performance_log a JOIN perf_tenants t USING (tenant_id) WHERE t.name = 'big'`); id <= 33000 {
		t.Fatalf("tenant id %d, want > 33000", id)
	}
	if n := count(t, te.pool, `SELECT count(*) FROM rollup_dirty_hours d JOIN perf_tenants t USING (tenant_id) WHERE t.name = 'big'`); n != 1 {
		t.Fatalf("%d dirty hours for the tenant, want 1", n)
	}
}

// With tenant.max_tenants reached, rows of new tenants that only a client named (header or
// tenant.id) are stored under the default tenant and counted; rows of existing tenants in
// the same batch keep their tenant; a tenant named by credentials is still created.
func TestTenantCapRedirectsClientNamedTenants(t *testing.T) {
	t.Parallel()
	te, reader := newExportersWithReader(t, func(c *Config) { c.Tenant.MaxTenants = 3 })
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	sendKnownTenantSpan(t, te, base)

	var td ptrace.Traces
	// one batch: the existing tenant, and 6 new client-named tenants (room for 2 more)
	td = ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "known"}, serverSpan(base, 2, 2))
	for i := range 6 {
		addSpans(td, map[string]any{"service.name": "a", "tenant.id": fmt.Sprintf("new-%d", i)}, serverSpan(base, 3, uint64(10+i)))
	}
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	got := rowsPerTenant(t, te)
	total := 0
	for _, n := range got {
		total += n
	}
	if total != 8 || got["known"] != 2 {
		t.Fatalf("rows per tenant %v: want all 8 rows stored, 2 of them under known", got)
	}
	if n := count(t, te.pool, `SELECT count(*) FROM perf_tenants`); n > 3+1 { // the cap, and the default it overflows into
		t.Fatalf("%d tenants, want at most max_tenants (3) and the default", n)
	}
	redirected := got["default"]
	if redirected < 4 {
		t.Fatalf("%d rows under the default tenant, want at least 4 of the 6 new tenants' rows (rows %v)", redirected, got)
	}
	if c := sumCounter(t, reader, "otelcol_perfpg_rows_redirected", "max_tenants"); c != int64(redirected) {
		t.Fatalf("otelcol_perfpg_rows_redirected = %d, want %d", c, redirected)
	}

	// a header-named tenant over the cap goes to default too; a credentials-named one is created
	td = ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a"}, serverSpan(base, 4, 40))
	hdr := client.NewContext(ctx, client.Info{Metadata: client.NewMetadata(map[string][]string{"X-Scope-OrgID": {"from-header"}})})
	if err := te.traces.ConsumeTraces(hdr, td); err != nil {
		t.Fatal(err)
	}
	td = ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "ignored"}, serverSpan(base, 5, 50))
	authed := client.NewContext(ctx, client.Info{Auth: authData{"tenant": "paying"}})
	if err := te.traces.ConsumeTraces(authed, td); err != nil {
		t.Fatal(err)
	}
	got = rowsPerTenant(t, te)
	if got["from-header"] != 0 || got["default"] != redirected+1 || got["paying"] != 1 {
		t.Fatalf("rows per tenant %v: want the header tenant under default (%d) and paying created", got, redirected+1)
	}
}

// A tenant the database cannot create (its id sequence is exhausted: a data exception, as
// when 30 000 smallint ids ran out) loses only its own rows: the rows of the existing
// tenant in the same batch are stored, the rejected ones are counted, and the batch is not
// a permanent error.
func TestRejectedTenantDropsOnlyItsRows(t *testing.T) {
	t.Parallel()
	te, reader := newExportersWithReader(t, nil)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	sendKnownTenantSpan(t, te, base)
	if _, err := te.pool.Exec(ctx, `INSERT INTO perf_tenants (name) VALUES ('filler');
		DO $$ BEGIN EXECUTE format('ALTER SEQUENCE perf_tenants_tenant_id_seq MAXVALUE %s', (SELECT max(tenant_id) FROM perf_tenants)); END $$`); err != nil {
		t.Fatal(err)
	}
	td := ptrace.NewTraces()
	addSpans(td, map[string]any{"service.name": "a", "tenant.id": "known"}, serverSpan(base, 2, 2), serverSpan(base, 2, 3))
	addSpans(td, map[string]any{"service.name": "a"}, serverSpan(base, 3, 4), serverSpan(base, 3, 6), serverSpan(base, 3, 7))
	addSpans(td, map[string]any{"service.name": "b", "tenant.id": "known"}, serverSpan(base, 4, 5))
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatalf("a batch with one rejected tenant failed as a whole: %v", err)
	}
	if got := rowsPerTenant(t, te); fmt.Sprint(got) != fmt.Sprint(map[string]int{"known": 4}) {
		t.Fatalf("rows per tenant %v, want known: 4 (the default tenant cannot be created)", got)
	}
	if c := sumCounter(t, reader, "otelcol_perfpg_rows_dropped", "rejected"); c != 3 {
		t.Fatalf("otelcol_perfpg_rows_dropped{reason=rejected} = %d, want 3 (the spans of the tenant that cannot be created)", c)
	}
}

// Metrics of several new client-named tenants past the cap land under the default tenant,
// even when they then share one instance and minute there (one row is kept, no error).
func TestTenantCapRedirectsMetrics(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, func(c *Config) { c.Tenant.MaxTenants = 1 })
	ctx := context.Background()
	ts := time.Now().UTC().Add(-2 * time.Minute).Truncate(time.Minute).Add(10 * time.Second)
	md := pmetric.NewMetrics()
	for _, tenant := range []string{"known", "new-1", "new-2", "new-3"} {
		rm := md.ResourceMetrics().AppendEmpty()
		_ = rm.Resource().Attributes().FromRaw(map[string]any{"service.name": "api", "host.name": "web-1", "service.instance.id": "i-1", "tenant.id": tenant})
		sm := rm.ScopeMetrics().AppendEmpty()
		addMetric(sm, "process.memory.usage", "By", true, false, ts, point{nil, 300 << 20})
		addMetric(sm, "db.client.connection.max", "{connection}", true, false, ts, point{map[string]any{"db.client.connection.pool.name": "main"}, 10})
	}
	if err := te.metrics.ConsumeMetrics(ctx, md); err != nil {
		t.Fatal(err)
	}
	if got := rowsPerTenant(t, te, "system_resource_metrics"); fmt.Sprint(got) != fmt.Sprint(map[string]int{"default": 1, "known": 1}) {
		t.Fatalf("resource rows per tenant %v, want known and default (the three redirected tenants' one instance-minute)", got)
	}
	if n := count(t, te.pool, `SELECT count(*) FROM db_pool_metrics`); n != 2 {
		t.Fatalf("%d pool rows, want 2", n)
	}
}
