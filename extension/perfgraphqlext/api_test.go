package perfgraphqlext

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

const fpB = int64(0x0bbb_0000_0000_0001)

// Tenant A's token gets nothing of tenant B through any query, detail queries with B's
// fingerprint and endpoint included; and row-level security stops a query that forgets
// the tenant filter.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	ta := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	tb := perfgraphqltest.SeedTenant(t, pool, "globex", fpB)
	now := time.Now().UTC()
	from := now.Truncate(time.Hour).Add(-3 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, ta, from, now, 40, fpA, 5) // all in the past: the window ends with the current minute
	perfgraphqltest.SeedTraffic(t, pool, tb, from, now, 70, fpB, 6)
	perfdbtest.Exec(t, pool, `INSERT INTO perf_recommendations (tenant_id, id, category, priority, title, description, impact, effort, recommendation, implementation)
		VALUES ($1, 'globex-secret', 'SLOW_QUERY', 'HIGH', 'globex only', 'd', 'i', 'e', 'r', 'CREATE INDEX globex_secret')`, tb)
	_, _, svcB := perfgraphqltest.EndpointIDs(t, pool, tb)
	perfdbtest.Exec(t, pool, `INSERT INTO system_resource_metrics VALUES (date_trunc('minute', now()), $1, 1, 99, 1, 2, 3, 4, 5, 6)`, tb)
	perfdbtest.Exec(t, pool, `INSERT INTO db_pool_metrics VALUES (date_trunc('minute', now()), $1, 1, 'globex-pool', 9, 1, 10, 3, 7)`, tb)
	_ = svcB
	perfgraphqltest.Refresh(t, pool, "acme")
	perfgraphqltest.Refresh(t, pool, "globex")
	url := startExt(t, dsn, nil, "acme", "globex")

	bHex := fmt.Sprintf("%016x", uint64(fpB))
	q := `{
		performanceOverview(timeRange: LAST_6_HOURS) { totalRequests totalQueries avgCpuUsagePercent }
		svc: performanceOverview(service: "globex-api", timeRange: LAST_6_HOURS) { totalRequests }
		slowQueries(threshold: 0, timeRange: LAST_6_HOURS) { queryHash service endpoint queryPreview }
		endpointMetrics(timeRange: LAST_6_HOURS) { endpoint service totalRequests }
		bEp: endpointMetrics(endpoint: "GET /globex/orders/{id}", timeRange: LAST_6_HOURS) { endpoint }
		resourceUtilization(timeRange: LAST_6_HOURS, interval: "1h") { cpuUsagePercent instances }
		databasePoolMetrics(timeRange: LAST_6_HOURS) { currentConnections pools { poolName } }
		recommendations(timeRange: LAST_24_HOURS) { id title }
		queryDetail(fingerprint: "` + bHex + `", timeRange: LAST_6_HOURS) { queryHash totalCalls }
		endpointDetail(endpoint: "GET /globex/orders/{id}", timeRange: LAST_6_HOURS) { metric { totalRequests } }
	}`
	r := query(t, url, "token-acme", q, nil)
	d := mustData(t, r)
	if strings.Contains(strings.ToLower(r.Raw), "globex") || strings.Contains(r.Raw, bHex) {
		t.Errorf("tenant A sees tenant B: %s", r.Raw)
	}
	var rawA int64 = perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", ta)
	if got := int64(num(t, d["performanceOverview"].(map[string]any)["totalRequests"])); got != rawA {
		t.Errorf("A's total %d, raw %d", got, rawA)
	}
	if d["queryDetail"] != nil || d["endpointDetail"] != nil || len(d["bEp"].([]any)) != 0 || len(d["recommendations"].([]any)) != 0 {
		t.Errorf("B's objects visible: %s", r.Raw)
	}
	if num(t, d["svc"].(map[string]any)["totalRequests"]) != 0 {
		t.Errorf("B's service visible")
	}
	// B with its own token sees its data
	rb := mustData(t, query(t, url, "token-globex", `{ queryDetail(fingerprint: "`+bHex+`", timeRange: LAST_6_HOURS) { totalCalls } recommendations { id } }`, nil))
	if rb["queryDetail"] == nil || len(rb["recommendations"].([]any)) != 1 {
		t.Errorf("B does not see its own data: %v", rb)
	}

	// second wall: as perf_reader with A's tenant, even unfiltered SQL sees only A's rows
	ctx := tctx(t)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('role', 'perf_reader', true), set_config('perf.tenant_id', $1, true)", "1"); err != nil {
			return err
		}
		for _, table := range []string{"api_performance_log", "query_performance_log", "query_fingerprints", "perf_endpoints",
			"performance_metrics_cache", "perf_endpoint_hourly", "perf_query_hourly", "perf_recommendations",
			"system_resource_metrics", "db_pool_metrics", "perf_tenants", "performance_metrics_daily", "perf_query_daily"} {
			var others int64
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE tenant_id <> $1", ta).Scan(&others); err != nil {
				return err
			}
			if others != 0 {
				t.Errorf("RLS: %s shows %d rows of other tenants", table, others)
			}
		}
		// and the reader cannot write
		sp, err := tx.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := sp.Exec(ctx, "DELETE FROM api_performance_log"); err == nil {
			t.Error("perf_reader could delete")
		}
		return sp.Rollback(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	// without a tenant setting, the reader sees nothing
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE perf_reader"); err != nil {
			return err
		}
		if n := 0; tx.QueryRow(ctx, "SELECT count(*) FROM api_performance_log").Scan(&n) != nil || n != 0 {
			t.Errorf("reader without tenant sees %d rows", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	url := startExt(t, dsn, nil, "acme")
	const q = `{ performanceOverview { healthScore } }`
	if r := query(t, url, "", q, nil); r.Status != http.StatusUnauthorized || len(r.Errors) == 0 {
		t.Errorf("no token: %d %s", r.Status, r.Raw)
	}
	if r := query(t, url, "wrong", q, nil); r.Status != http.StatusUnauthorized || !strings.Contains(r.Raw, "invalid token") {
		t.Errorf("wrong token: %d %s", r.Status, r.Raw)
	}
	if r := query(t, url, "token-acme", q, nil); r.Status != 200 || len(r.Errors) != 0 {
		t.Errorf("good token: %d %s", r.Status, r.Raw)
	}
	// anonymous tenant when configured; a wrong token is still refused
	url2 := startExt(t, dsn, func(c *Config) { c.Tenants.AnonymousTenant = "default" }, "acme")
	if r := query(t, url2, "", q, nil); r.Status != 200 || len(r.Errors) != 0 {
		t.Errorf("anonymous: %d %s", r.Status, r.Raw)
	}
	if r := query(t, url2, "wrong", q, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("wrong token with anonymous enabled: %d", r.Status)
	}
	// the explorer page and the placeholder at /
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("explorer: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = http.Get(strings.TrimSuffix(url, "/graphql") + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("/ (dashboard): %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestBadArgumentsAreGraphQLErrors(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	url := startExt(t, dsn, func(c *Config) { c.Limits.MaxCost = 10 }, "acme")
	for name, tc := range map[string]struct{ q, want string }{
		"unknown enum":     {`{ performanceOverview(timeRange: LAST_YEAR) { healthScore } }`, "LAST_YEAR"},
		"both range forms": {`{ performanceOverview(timeRange: LAST_HOUR, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { healthScore } }`, "either timeRange or from/to"},
		"from after to":    {`{ slowQueries(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { id } }`, "must be before"},
		"span too long":    {`{ endpointMetrics(from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { endpoint } }`, "at most 31 days"},
		"only from":        {`{ endpointMetrics(from: "2026-01-01T00:00:00Z") { endpoint } }`, "together"},
		"bad date":         {`{ endpointMetrics(from: "yesterday", to: "2026-01-01T00:00:00Z") { endpoint } }`, "RFC 3339"},
		"bad interval":     {`{ resourceUtilization(interval: "7m") { timestamp } }`, "interval"},
		"too many points":  {`{ resourceUtilization(timeRange: LAST_30_DAYS, interval: "1m") { timestamp } }`, "points"},
		"detail too fine":  {`{ queryDetail(fingerprint: "00000000000000ab", timeRange: LAST_7_DAYS, interval: "5m") { queryHash } }`, "finer"}, // minutes only within retention.minute_rollups
		"bad fingerprint":  {`{ queryDetail(fingerprint: "xyz") { queryHash } }`, "hex"},
		"limit too big":    {`{ slowQueries(limit: 100000) { id } }`, "maximum"},
		"limit zero":       {`{ slowQueries(limit: 0) { id } }`, "at least 1"},
		"negative thresh":  {`{ slowQueries(threshold: -5) { id } }`, "threshold"},
		"empty endpoint":   {`{ endpointDetail(endpoint: " ") { timeSeries { count } } }`, "must not be empty"},
		"unknown field":    {`{ performanceOverview { secret } }`, "secret"},
		"cost":             {`{ a: performanceOverview(timeRange: LAST_30_DAYS) { healthScore } b: performanceOverview(timeRange: LAST_30_DAYS) { healthScore } c: performanceOverview(timeRange: LAST_30_DAYS) { healthScore } }`, "cost limit"},
		"depth/size":       {`{ ` + strings.Repeat("x", 20000) + ` }`, "length"},
	} {
		r := query(t, url, "token-acme", tc.q, nil)
		if len(r.Errors) == 0 || !strings.Contains(r.Raw, tc.want) {
			t.Errorf("%s: want an error containing %q, got %d %s", name, tc.want, r.Status, r.Raw)
		}
		if strings.Contains(r.Raw, "SELECT") || strings.Contains(r.Raw, "perf_") {
			t.Errorf("%s: error leaks SQL: %s", name, r.Raw)
		}
	}
}
