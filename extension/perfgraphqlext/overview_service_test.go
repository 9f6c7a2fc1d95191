package perfgraphqlext

import (
	"slices"
	"sort"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// performanceOverview(service:) lists only the bottlenecks of that service; without a
// service, those of every service.
func TestOverviewBottlenecksFollowTheService(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA) // service acme-api
	perfdbtest.Exec(t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'billing')", tid)
	for _, r := range []struct{ id, services string }{
		{"rec-acme", `["acme-api"]`},
		{"rec-billing", `["billing"]`},
		{"rec-both", `["acme-api", "billing"]`},
		{"rec-none", `[]`},
	} {
		perfdbtest.Exec(t, pool, `INSERT INTO perf_recommendations (tenant_id, id, category, kind, priority, title, description, impact, effort,
			recommendation, implementation, evidence) VALUES ($1, $2, 'QUERY', 'SLOW_QUERY', 'HIGH', $2, 'd', 'i', 'e', 'r', 'x',
			jsonb_build_object('services', $3::jsonb))`, tid, r.id, r.services)
	}
	url := startExt(t, dsn, nil, "acme")
	ids := func(service string) []string {
		arg := ""
		if service != "" {
			arg = `service: "` + service + `", `
		}
		d := mustData(t, query(t, url, "token-acme", `{ performanceOverview(`+arg+`timeRange: LAST_HOUR) { topBottlenecks { recommendationId } } }`, nil))
		var out []string
		for _, b := range d["performanceOverview"].(map[string]any)["topBottlenecks"].([]any) {
			out = append(out, b.(map[string]any)["recommendationId"].(string))
		}
		sort.Strings(out)
		return out
	}
	for service, want := range map[string][]string{
		"acme-api": {"rec-acme", "rec-both"},
		"billing":  {"rec-billing", "rec-both"},
		"":         {"rec-acme", "rec-billing", "rec-both", "rec-none"},
		"unknown":  nil,
	} {
		if got := ids(service); !slices.Equal(got, want) {
			t.Errorf("service %q: bottlenecks %v, want %v", service, got, want)
		}
	}
}
