package perfpgexporter

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A plan's tenant is its database's target's: a claimed tenant (operator's resource attribute
// or credentials) must own a target of that name; without a claim the name must be one
// tenant's only.
func TestPlanTenant(t *testing.T) {
	targets := map[string][]string{"shop": {"acme"}, "billing": {"acme", "globex"}}
	for _, c := range []struct{ db, claimed, tenant, reason string }{
		{"shop", "", "acme", ""},
		{"shop", "acme", "acme", ""},
		{"shop", "globex", "", dropUnknownDatabase},
		{"billing", "", "", dropAmbiguousDatabase},
		{"billing", "globex", "globex", ""},
		{"postgres", "", "", dropUnknownDatabase},
		{"", "acme", "", dropUnknownDatabase},
	} {
		tenant, reason := planTenant(targets, c.db, c.claimed)
		if tenant != c.tenant || reason != c.reason {
			t.Errorf("db %q claimed %q: %q %q, want %q %q", c.db, c.claimed, tenant, reason, c.tenant, c.reason)
		}
	}
}

// Through the logs exporter: a plan sent by an authenticated client is stored only when its
// tenant owns a target of the plan's database; the plan's literals are not stored.
func TestPlanTenantFromCredentials(t *testing.T) {
	pool, dsn := perfdbtest.NewMigratedPool(t)
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.BackOffConfig.Enabled = false
	ctx := context.Background()
	exp, err := NewFactory().CreateLogs(ctx, exportertest.NewNopSettings(metadata.Type), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Start(ctx, targetsHost{targets: map[string][]string{"shop": {"acme"}}}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = exp.Shutdown(ctx) }()
	entry := func(db string) plog.Logs {
		ld := plog.NewLogs()
		line, _ := json.Marshal(map[string]any{"timestamp": "2026-12-01 10:00:00.123 UTC", "dbname": db, "error_severity": "LOG",
			"user": "app", "message": `duration: 3.5 ms  plan:
{"Query Text": "SELECT * FROM t WHERE secret = 'forged-secret'", "Plan": {"Node Type": "Seq Scan", "Relation Name": "t", "Filter": "(secret = 'forged-secret'::text)"}}`})
		ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr(string(line))
		return ld
	}
	as := func(tenant string) context.Context {
		return client.NewContext(ctx, client.Info{Auth: authData{"tenant": tenant}})
	}
	if err := exp.ConsumeLogs(as("globex"), entry("shop")); err != nil {
		t.Fatal(err)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_query_plans"); n != 0 {
		t.Fatalf("globex stored %d plans of acme's database", n)
	}
	if err := exp.ConsumeLogs(as("acme"), entry("shop")); err != nil {
		t.Fatal(err)
	}
	got := perfdbtest.Scalar[string](t, pool, "SELECT t.name || ' ' || p.plan::text FROM perf_query_plans p JOIN perf_tenants t USING (tenant_id)")
	if !strings.HasPrefix(got, "acme ") || strings.Contains(got, "forged-secret") || !strings.Contains(got, `"Filter": "(secret = ?::text)"`) {
		t.Errorf("stored %s", got)
	}
	if ts := perfdbtest.Scalar[time.Time](t, pool, "SELECT last_seen FROM perf_query_plans"); !ts.Equal(time.Date(2026, 12, 1, 10, 0, 0, 123e6, time.UTC)) {
		t.Errorf("last_seen %s, want the entry's timestamp", ts)
	}
}
