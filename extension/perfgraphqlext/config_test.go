package perfgraphqlext

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := sub.Unmarshal(cfg); err != nil {
		t.Fatalf("unmarshal %s: %v", name, err)
	}
	return cfg
}

func TestConfigDefaults(t *testing.T) {
	t.Setenv("PERF_PG_DSN", "")
	cfg := loadConfig(t, "")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.ServerConfig.NetAddr.Endpoint != "127.0.0.1:4000" {
		t.Errorf("default endpoint %q", cfg.ServerConfig.NetAddr.Endpoint)
	}
	if cfg.Tenants.AnonymousTenant != "" {
		t.Errorf("anonymous access must be opt-in, default is %q", cfg.Tenants.AnonymousTenant)
	}
	if s := cfg.ServerConfig; s.ReadTimeout <= 0 || s.ReadHeaderTimeout <= 0 || s.IdleTimeout <= 0 {
		t.Errorf("unbounded HTTP server timeouts: read %s, header %s, idle %s", s.ReadTimeout, s.ReadHeaderTimeout, s.IdleTimeout)
	}
	if cfg.DSN != "postgres://postgres@127.0.0.1:5432/perf?sslmode=disable" {
		t.Errorf("default dsn %q", cfg.DSN)
	}
}

func TestConfigFull(t *testing.T) {
	cfg := loadConfig(t, "full")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.ServerConfig.NetAddr.Endpoint != "0.0.0.0:4100" || !cfg.ServerConfig.CORS.HasValue() {
		t.Errorf("server config %+v", cfg.ServerConfig)
	}
	if len(cfg.Tenants.Tokens) != 2 || cfg.Tenants.Tokens[1].Tenant != "globex" || cfg.Tenants.Tokens[1].Token != "s3cr3t-globex" {
		t.Errorf("tokens %+v", cfg.Tenants.Tokens)
	}
	if cfg.Tenants.AnonymousTenant != "default" {
		t.Errorf("anonymous tenant %q", cfg.Tenants.AnonymousTenant)
	}
	if cfg.ReadDSN != "postgres://reader@db-standby.example:5432/perf" {
		t.Errorf("read_dsn %q", cfg.ReadDSN)
	}
	if r := cfg.Retention; r.Logs != 240*time.Hour || r.HourlyRollups != 2160*time.Hour || r.DailyRollups != 9600*time.Hour {
		t.Errorf("retention %+v", r)
	}
}

func TestConfigValidationErrors(t *testing.T) {
	for name, want := range map[string]string{
		"empty_dsn":              "dsn must not be empty",
		"no_endpoint":            "endpoint must not be empty",
		"empty_token":            "tenants.tokens[0]: token must not be empty",
		"duplicate_token":        "tenants.tokens[1]: the same token is listed twice",
		"empty_tenant":           "tenants.tokens[0]: tenant must not be empty",
		"short_rollup_retention": "retention.hourly_rollups must exceed retention.logs",
		"read_dsn_is_dsn":        "read_dsn must be a standby of dsn, not dsn itself",
		"bad_read_dsn":           "read_dsn is not a valid PostgreSQL connection string",
	} {
		t.Run(name, func(t *testing.T) {
			err := confmap.Validate(loadConfig(t, name))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want it to contain %q", err, want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error leaks a password: %v", err)
			}
		})
	}
}

// dashboard.trace_url: empty, or an absolute http(s) address with {trace_id}; anything
// else would end up in a link of the page and is refused.
func TestConfigTraceURL(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://jaeger.example/trace/{trace_id}", true},
		{"http://tempo:3000/explore?left=%7B%22queries%22:%5B%7B%22query%22:%22{trace_id}%22%7D%5D%7D", true},
		{"https://jaeger.example/trace/", false},
		{"javascript:alert({trace_id})", false},
		{"/trace/{trace_id}", false},
		{"ftp://x/{trace_id}", false},
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.Dashboard.TraceURL = c.url
		err := cfg.Validate()
		if (err == nil) != c.ok {
			t.Errorf("trace_url %q: Validate() = %v, want ok=%v", c.url, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "dashboard.trace_url") {
			t.Errorf("trace_url %q: error does not name the key: %v", c.url, err)
		}
	}
}

func TestConfigSubscriptionLimits(t *testing.T) {
	cfg, err := unmarshalYAML(t, "limits: {subscriptions: {max_connections_per_tenant: 3, max_per_connection: 4, max_messages_per_second: 2.5, connection_init_timeout: 2s, keepalive: 5s}}\n")
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Limits.Subscriptions; s != (SubscriptionLimitsConfig{3, 4, 2.5, 2 * time.Second, 5 * time.Second}) {
		t.Fatalf("decoded %+v", s)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mutate func(*SubscriptionLimitsConfig)
		want   string
	}{
		{func(s *SubscriptionLimitsConfig) { s.MaxConnectionsPerTenant = 0 }, "limits.subscriptions.max_connections_per_tenant must be positive"},
		{func(s *SubscriptionLimitsConfig) { s.MaxPerConnection = -1 }, "limits.subscriptions.max_per_connection must be positive"},
		{func(s *SubscriptionLimitsConfig) { s.MaxMessagesPerSecond = 0 }, "limits.subscriptions.max_messages_per_second must be positive"},
		{func(s *SubscriptionLimitsConfig) { s.ConnectionInitTimeout = 0 }, "limits.subscriptions.connection_init_timeout must be at least 100ms"},
		{func(s *SubscriptionLimitsConfig) { s.KeepAlive = time.Millisecond }, "limits.subscriptions.keepalive must be at least 100ms"},
	} {
		c2 := *cfg
		c.mutate(&c2.Limits.Subscriptions)
		if err := c2.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
