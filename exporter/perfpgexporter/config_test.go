package perfpgexporter

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
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

func TestConfigDefaultsAreValid(t *testing.T) {
	t.Setenv("PERF_PG_DSN", "")
	cfg := loadConfig(t, "")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.DSN != "postgres://postgres@127.0.0.1:5432/perf?sslmode=disable" {
		t.Errorf("default dsn %q", cfg.DSN)
	}
	if cfg.Tenant != (TenantConfig{MetadataKey: "X-Scope-OrgID", ResourceAttribute: "tenant.id", Default: "default", MaxTenants: 1000}) {
		t.Errorf("default tenant config %+v", cfg.Tenant)
	}
	if cfg.Retention.Logs != 720*time.Hour || cfg.Retention.Resources != 720*time.Hour {
		t.Errorf("default retention %+v", cfg.Retention)
	}
	if cfg.FingerprintAttribute != "db.query.fingerprint" {
		t.Errorf("default fingerprint_attribute %q, want queryhash's default", cfg.FingerprintAttribute)
	}
}

func TestConfigDSNFromEnvironment(t *testing.T) {
	t.Setenv("PERF_PG_DSN", "postgres://u@10.1.2.3:6543/other")
	if got := createDefaultConfig().(*Config).DSN; got != "postgres://u@10.1.2.3:6543/other" {
		t.Fatalf("dsn %q does not come from PERF_PG_DSN", got)
	}
}

func TestConfigFull(t *testing.T) {
	cfg := loadConfig(t, "full")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Tenant.MetadataKey != "X-Tenant" || cfg.Tenant.ResourceAttribute != "org.id" || cfg.Tenant.Default != "acme" || cfg.Tenant.MaxTenants != 20 {
		t.Errorf("tenant %+v", cfg.Tenant)
	}
	if cfg.Retention.Logs != 168*time.Hour || cfg.Retention.Resources != 72*time.Hour {
		t.Errorf("retention %+v", cfg.Retention)
	}
	if cfg.Endpoints.MaxPerService != 50 || cfg.MaxFutureSkew != 10*time.Minute || cfg.TimeoutConfig.Timeout != 7*time.Second {
		t.Errorf("endpoints/skew/timeout: %+v %s %s", cfg.Endpoints, cfg.MaxFutureSkew, cfg.TimeoutConfig.Timeout)
	}
	q := cfg.QueueConfig.Get()
	if q == nil || q.QueueSize != 42 || q.StorageID == nil || q.StorageID.String() != "file_storage" {
		t.Errorf("sending_queue %+v", q)
	}
	if cfg.FingerprintAttribute != "app.sql.fingerprint" {
		t.Errorf("fingerprint_attribute %q", cfg.FingerprintAttribute)
	}
}

func TestConfigValidationErrors(t *testing.T) {
	for name, want := range map[string]string{
		"empty_dsn":                "dsn must not be empty",
		"bad_dsn":                  "dsn is not a valid PostgreSQL connection string",
		"no_default_tenant":        "tenant.default must not be empty",
		"short_retention":          "retention.logs must be at least 1h",
		"zero_endpoints":           "endpoints.max_per_service must be at least 1",
		"negative_skew":            "max_future_skew must not be negative",
		"zero_max_tenants":         "tenant.max_tenants must be at least 1",
		"no_fingerprint_attribute": "fingerprint_attribute must not be empty",
	} {
		t.Run(name, func(t *testing.T) {
			err := confmap.Validate(loadConfig(t, name))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want it to contain %q", err, want)
			}
		})
	}
}
