package perfgraphqlext

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
)

// unmarshalYAML decodes a perfgraphql block given as YAML into the default config, as the
// collector does.
func unmarshalYAML(t *testing.T, block string) (*Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "perfgraphql.yaml")
	if err := os.WriteFile(path, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	conf, err := confmaptest.LoadConf(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	return cfg, conf.Unmarshal(cfg)
}

// A misspelt key is refused at every level of the block, with its full path; before, the
// squash-embedded HTTP server config made confmap ignore every unknown key of the block.
func TestConfigRefusesUnknownKeys(t *testing.T) {
	for name, c := range map[string]struct{ block, path string }{
		"top level":       {"bogus_key: 1\n", "bogus_key"},
		"server tls":      {"tls: {cert_fil: x}\n", "tls::cert_fil"},
		"tenants":         {"tenants: {anonymus_tenant: default}\n", "tenants::anonymus_tenant"},
		"misspelt tokens": {"tenants: {token: [{token: a, tenant: b}]}\n", "tenants::token"},
		"tokens entry":    {"tenants: {tokens: [{token: a, tenant: b}, {token: c, tennant: d}]}\n", "tenants::tokens::1::tennant"},
		"scheduler":       {"scheduler: {intervall: 1m}\n", "scheduler::intervall"},
		"retention":       {"retention: {log: 240h}\n", "retention::log"},
		"health":          {"health: {apdex: 1s}\n", "health::apdex"},
		"limits":          {"limits: {max_deph: 3}\n", "limits::max_deph"},
		"subscriptions":   {"limits: {subscriptions: {max_connections: 3}}\n", "limits::subscriptions::max_connections"},
		"optimizer":       {"optimizer: {enable: true}\n", "optimizer::enable"},
		"min interval":    {"optimizer: {min_intervall: 10s}\n", "optimizer::min_intervall"},
		"optimizer sub":   {"optimizer: {slow_query: {medium: 1s}}\n", "optimizer::slow_query::medium"},
		"optimizer n+1":   {"optimizer: {n_plus_one: {min_reps: 3}}\n", "optimizer::n_plus_one::min_reps"},
		"error state":     {"optimizer: {error_rate: {state: {min_shares: 0.1}}}\n", "optimizer::error_rate::state::min_shares"},
		"like scan":       {"optimizer: {like_scan: {min_execution: 3}}\n", "optimizer::like_scan::min_execution"},
		"hypopg cut":      {"optimizer: {hypopg: {min_cost_cut: 0.5}}\n", "optimizer::hypopg::min_cost_cut"},
		"plan seq scan":   {"optimizer: {plan_seq_scan: {min_rows: 5}}\n", "optimizer::plan_seq_scan::min_rows"},
		"rows removed":    {"optimizer: {plan_rows_removed: {ratio: 5}}\n", "optimizer::plan_rows_removed::ratio"},
		"work mem":        {"optimizer: {work_mem: {min_spill: 5}}\n", "optimizer::work_mem::min_spill"},
		"cache hit":       {"optimizer: {cache_hit: {min_hit_ratio: 0.5}}\n", "optimizer::cache_hit::min_hit_ratio"},
		"plan regression": {"optimizer: {plan_regression: {slowdown: 2}}\n", "optimizer::plan_regression::slowdown"},
		"target":          {"targets: [{db_namespace: shop, tenant: acme, dns: x}]\n", "targets::0::dns"},
		"server stats":    {"server_stats: {intervall: 1m}\n", "server_stats::intervall"},
		"generic plans":   {"server_stats: {generic_plans: {top_n: 5}}\n", "server_stats::generic_plans::top_n"},
		"alerting":        {"alerting: {resend: 1m}\n", "alerting::resend"},
		"alert rule":      {"alerting: {rules: [{name: a, slo: {sli: availability, objectiv: 0.99}}]}\n", "alerting::rules::0::slo::objectiv"},
		"burn rate":       {"alerting: {rules: [{name: a, slo: {burn_rates: [{factor: 1, lng: 1h}]}}]}\n", "alerting::rules::0::slo::burn_rates::0::lng"},
		"alert notifier":  {"alerting: {nats: {subject: x}}\n", "alerting::nats::subject"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := unmarshalYAML(t, c.block)
			want := `perfgraphql: unknown key "` + c.path + `"`
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want it to contain %s", err, want)
			}
		})
	}
}

// Known keys at every level, the embedded HTTP server's included, still decode.
func TestConfigKnownKeysDecode(t *testing.T) {
	cfg, err := unmarshalYAML(t, `
endpoint: 127.0.0.1:4100
read_timeout: 7s
cors: {allowed_origins: ["https://a.example"]}
response_headers: {X-Anything: "1"}
allowed_hosts: [perf.example]
tenants:
  tokens: [{token: t1, tenant: acme}]
  anonymous_tenant: default
scheduler: {interval: 2m}
retention: {logs: 240h}
health: {apdex_target: 1s}
limits: {max_depth: 7}
optimizer: {min_interval: 10s, slow_query: {medium_avg: 2s}, error_rate: {state: {min_share: 0.1}}, like_scan: {min_executions: 7}, hypopg: {min_cost_reduction: 0.5},
  plan_seq_scan: {min_relation_rows: 5000, max_selectivity: 0.1, high_relation_rows: 50000}, plan_rows_removed: {min_removed: 500, min_ratio: 20},
  work_mem: {min_spill_kb: 256, headroom: 1.5, max_work_mem_mb: 64}, cache_hit: {min_blocks_read: 100, max_hit_ratio: 0.8},
  plan_regression: {min_slowdown: 2, min_increase: 5ms, min_executions: 4, lookback: 12h}}
targets: [{db_namespace: shop, tenant: acme, dsn: "postgres://x", connect_timeout: 2s, statement_timeout: 3s}]
server_stats: {interval: 5m, generic_plans: {top: 5, interval: 2h, window: 48h}}
`)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ServerConfig.NetAddr.Endpoint != "127.0.0.1:4100" || cfg.ServerConfig.ReadTimeout.Seconds() != 7 || !cfg.ServerConfig.CORS.HasValue() ||
		len(cfg.Tenants.Tokens) != 1 || cfg.Tenants.AnonymousTenant != "default" || cfg.Scheduler.Interval.Minutes() != 2 ||
		cfg.Limits.MaxDepth != 7 || cfg.Optimizer.SlowQuery.MediumAvg.Seconds() != 2 || len(cfg.Targets) != 1 || cfg.Targets[0].Tenant != "acme" || cfg.Targets[0].StatementTimeout.Seconds() != 3 || len(cfg.Optimizer.Targets) != 1 || cfg.ServerStats.Interval.Minutes() != 5 ||
		len(cfg.AllowedHosts) != 1 || cfg.Optimizer.ErrorRate.State.MinShare != 0.1 || cfg.Optimizer.LikeScan.MinExecutions != 7 ||
		cfg.Optimizer.HypoPG.MinCostReduction != 0.5 || cfg.Optimizer.MinInterval.Seconds() != 10 ||
		cfg.ServerStats.GenericPlans != (GenericPlansConfig{Top: 5, Interval: 2 * time.Hour, Window: 48 * time.Hour}) ||
		cfg.Optimizer.PlanSeqScan != (optimizer.PlanSeqScanConfig{MinRelationRows: 5000, MaxSelectivity: 0.1, HighRelationRows: 50000}) ||
		cfg.Optimizer.PlanRowsRemoved != (optimizer.PlanRowsRemovedConfig{MinRemoved: 500, MinRatio: 20}) ||
		cfg.Optimizer.WorkMem != (optimizer.WorkMemConfig{MinSpill: 256, Headroom: 1.5, MaxWorkMem: 64}) ||
		cfg.Optimizer.CacheHit != (optimizer.CacheHitConfig{MinBlocksRead: 100, MaxHitRatio: 0.8}) ||
		cfg.Optimizer.PlanRegression != (optimizer.PlanRegressionConfig{MinSlowdown: 2, MinIncrease: 5 * time.Millisecond, MinExecutions: 4, Lookback: 12 * time.Hour}) {
		t.Errorf("decoded %+v", cfg)
	}
}

// Validation errors come in a fixed order (the limits were checked ranging over a map).
func TestConfigValidationErrorOrder(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Limits = LimitsConfig{}
	first := cfg.Validate().Error()
	for range 20 {
		if got := cfg.Validate().Error(); got != first {
			t.Fatalf("validation errors changed order:\n%s\n---\n%s", first, got)
		}
	}
	if !strings.Contains(first, "limits.max_depth must be positive, got 0\nlimits.max_query_length") {
		t.Errorf("limits not in declaration order: %s", first)
	}
}

// The targets of the first releases, without a tenant, are refused with what to write instead.
func TestConfigRefusesHypoPGTargets(t *testing.T) {
	_, err := unmarshalYAML(t, "optimizer: {hypopg: {targets: [{db_namespace: shop, dsn: \"postgres://x\"}]}}\n")
	if err == nil || !strings.Contains(err.Error(), "optimizer.hypopg.targets was replaced by targets") || !strings.Contains(err.Error(), "tenant") {
		t.Fatalf("error %v", err)
	}
}

// A DSN given as ${env:...} is expanded by the collector's resolver: the target gets the
// credentials from the environment, not the configuration file.
func TestConfigTargetDSNFromEnv(t *testing.T) {
	t.Setenv("SHOP_PG_DSN", "postgres://monitor:s3cret@db.example:5432/shop")
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("targets: [{db_namespace: shop, tenant: acme, dsn: \"${env:SHOP_PG_DSN}\"}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := confmap.NewResolver(confmap.ResolverSettings{URIs: []string{"file:" + path},
		ProviderFactories: []confmap.ProviderFactory{fileprovider.NewFactory(), envprovider.NewFactory()}})
	if err != nil {
		t.Fatal(err)
	}
	conf, err := res.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := conf.Unmarshal(cfg); err != nil {
		t.Fatal(err)
	}
	if string(cfg.Targets[0].DSN) != "postgres://monitor:s3cret@db.example:5432/shop" {
		t.Fatalf("dsn %q", cfg.Targets[0].DSN)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidateTargets(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Targets = []targets.Target{
		{DBNamespace: "shop", Tenant: "acme", DSN: "postgres://a@h/shop"},
		{DBNamespace: "shop", Tenant: "globex", DSN: "postgres://a@h/shop"}, // another tenant's shop: fine
		{DBNamespace: "shop", Tenant: "acme", DSN: "postgres://a@h/shop2"},
		{DBNamespace: "crm", DSN: "postgres://user:hunter2@h:notaport/crm"},
		{DBNamespace: "", Tenant: "acme", StatementTimeout: -1},
	}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{`targets[2].db_namespace: "shop" of tenant "acme" is already targets[0]`, "targets[3].tenant: must not be empty",
		"targets[3].dsn: not a valid PostgreSQL connection string", "targets[4].db_namespace: must not be empty",
		"targets[4].dsn: must not be empty", "targets[4].statement_timeout: must not be negative"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "globex") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error names a valid target or leaks a password:\n%v", err)
	}
}

// read_dsn given as ${env:...} is expanded by the collector's resolver, and a misspelt key
// next to it is refused.
func TestConfigReadDSNFromEnv(t *testing.T) {
	t.Setenv("PERF_PG_READ_DSN", "postgres://reader:s3cret@standby.example:5432/perf")
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("read_dsn: \"${env:PERF_PG_READ_DSN}\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := confmap.NewResolver(confmap.ResolverSettings{URIs: []string{"file:" + path},
		ProviderFactories: []confmap.ProviderFactory{fileprovider.NewFactory(), envprovider.NewFactory()}})
	if err != nil {
		t.Fatal(err)
	}
	conf, err := res.Resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := conf.Unmarshal(cfg); err != nil {
		t.Fatal(err)
	}
	if string(cfg.ReadDSN) != "postgres://reader:s3cret@standby.example:5432/perf" {
		t.Fatalf("read_dsn %q", cfg.ReadDSN)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := unmarshalYAML(t, "read_dns: postgres://x@h/perf\n"); err == nil || !strings.Contains(err.Error(), "read_dns") {
		t.Fatalf("a misspelt read_dsn: %v", err)
	}
}
