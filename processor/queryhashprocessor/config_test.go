package queryhashprocessor

import (
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
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
	cfg := loadConfig(t, "")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	want := Config{MaxStatementLength: 32 << 10, FingerprintAttribute: "db.query.fingerprint"}
	if *cfg != want {
		t.Fatalf("defaults %+v, want %+v", *cfg, want)
	}
}

func TestConfigCustom(t *testing.T) {
	cfg := loadConfig(t, "custom")
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	want := Config{KeepRawStatement: true, MaxStatementLength: 4096, FingerprintAttribute: "app.sql.fingerprint"}
	if *cfg != want {
		t.Fatalf("got %+v, want %+v", *cfg, want)
	}
}

func TestConfigValidationErrors(t *testing.T) {
	for name, want := range map[string]string{
		"tiny_cap":     "max_statement_length must be between 64 and 1048576 bytes, got 10",
		"huge_cap":     "max_statement_length must be between 64 and 1048576 bytes, got 10485760",
		"no_attribute": "fingerprint_attribute must not be empty",
	} {
		t.Run(name, func(t *testing.T) {
			err := confmap.Validate(loadConfig(t, name))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want it to contain %q", err, want)
			}
		})
	}
}
