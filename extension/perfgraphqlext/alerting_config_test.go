package perfgraphqlext

import (
	"os"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// The README's alerting example is testdata/alerting.yaml: it decodes (its ${env:...} secret
// resolved), validates, and is in the README word for word.
func TestAlertingExampleIsValidAndDocumented(t *testing.T) {
	t.Setenv("PERF_WEBHOOK_SECRET", "hunter2")
	raw, err := os.ReadFile("testdata/alerting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(raw)) {
		t.Error("README.md does not contain testdata/alerting.yaml word for word")
	}
	cm, err := confmaptest.LoadConf("testdata/alerting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cm.Sub("extensions::perfgraphql")
	if err != nil {
		t.Fatal(err)
	}
	// confmaptest does not resolve ${env:...}; the collector does
	if err := sub.Merge(confmap.NewFromStringMap(map[string]any{"alerting": map[string]any{"webhook": map[string]any{"secret": os.Getenv("PERF_WEBHOOK_SECRET")}}})); err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := sub.Unmarshal(cfg); err != nil {
		t.Fatal(err)
	}
	if err := confmap.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	a := cfg.Alerting
	if len(a.Rules) != 5 || a.Rules[0].SLO == nil || len(a.Rules[0].SLO.BurnRates) != 3 || a.Rules[0].SLO.BurnRates[0].Short != 5*time.Minute ||
		a.Rules[2].Health == nil || a.Rules[2].For != 10*time.Minute || a.Webhook.Secret != "hunter2" {
		t.Fatalf("decoded %+v", a)
	}
}

// Rules are refused at start when they cannot work.
func TestAlertingConfigRefused(t *testing.T) {
	for name, c := range map[string]struct{ block, want string }{
		"no notifier":    {"alerting: {rules: [{name: a, absence: {}}]}\n", "no notifier"},
		"two kinds":      {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, absence: {}, health: {status: DEGRADED}}]}\n", "exactly one of"},
		"objective":      {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, slo: {sli: availability, objective: 99.9}}]}\n", "objective"},
		"latency":        {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, slo: {sli: latency, objective: 0.99}}]}\n", "latency_threshold"},
		"burn windows":   {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, slo: {sli: availability, objective: 0.99, burn_rates: [{factor: 2, long: 5m, short: 1h}]}}]}\n", "long longer than short"},
		"status":         {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, health: {status: BAD}}]}\n", "health.status"},
		"priority":       {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, recommendation: {min_priority: urgent}}]}\n", "min_priority"},
		"same name":      {"alerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, absence: {}}, {name: a, absence: {}}]}\n", "used twice"},
		"webhook secret": {"alerting: {webhook: {endpoint: 'http://h'}}\n", "webhook.secret"},
		"scheduler off":  {"scheduler: {enabled: false}\nalerting: {webhook: {endpoint: 'http://h', secret: s}, rules: [{name: a, absence: {}}]}\n", "scheduler.enabled"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := unmarshalYAML(t, c.block)
			if err != nil {
				t.Fatal(err)
			}
			err = confmap.Validate(cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
