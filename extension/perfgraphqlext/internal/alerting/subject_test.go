package alerting_test

import (
	"testing"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
)

// A tenant name never adds a subject token or a wildcard, and two names never share a subject.
func TestSubjectEscapesTenants(t *testing.T) {
	for tenant, want := range map[string]string{
		"acme":      "perf.alerts.acme",
		"Shop_eu-1": "perf.alerts.Shop_eu-1",
		"a.b":       "perf.alerts.a%2Eb",
		"a%2Eb":     "perf.alerts.a%252Eb",
		"*":         "perf.alerts.%2A",
		"x > y":     "perf.alerts.x%20%3E%20y",
		"caf\u00e9": "perf.alerts.caf%C3%A9",
	} {
		if got := alerting.Subject("perf.alerts", tenant); got != want {
			t.Errorf("Subject(%q) = %q, want %q", tenant, got, want)
		}
	}
}
