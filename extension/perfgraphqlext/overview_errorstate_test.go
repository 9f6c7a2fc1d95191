package perfgraphqlext

import (
	"context"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// The engine's error-state and leading-wildcard LIKE findings reach performanceOverview's
// topBottlenecks like the seed's detectors: as HIGH_ERROR_RATE and (by category) SLOW_QUERY.
func TestOverviewShowsErrorStateAndLikeScan(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	const fpLike int64 = 0x4242
	tid := perfgraphqltest.SeedTenant(t, pool, "acme")
	_, checkout, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	now := time.Now().UTC()
	start := now.Add(-50 * time.Minute)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", now.AddDate(0, 0, -2).Format(time.DateOnly), now.AddDate(0, 0, 1).Format(time.DateOnly))
	// POST /acme/checkout answers 500 to every 4th of 200 requests
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + g * interval '10 s', 9000 + g, md5(g::text)::uuid, $3, $4, 20000, 100, 200,
		       CASE WHEN g % 4 = 0 THEN 500 ELSE 200 END, $1, g % 4 = 0
		FROM generate_series(0, 199) g`, tid, start, svc, checkout)
	perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', 'products', 'SELECT products',
		'SELECT id FROM products WHERE description LIKE ?', now(), now())`, tid, fpLike)
	db := perfdbtest.Scalar[int32](t, pool, "SELECT db_id FROM perf_databases WHERE tenant_id = $1", tid)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '1 s', $2, 50000 + g, 9000 + g % 200, md5((g % 200)::text)::uuid, $4, 0, $5, 8000, 3, $1, false, $6
		FROM generate_series(0, 659) g`, tid, fpLike, start, svc, db, int16(likeclass.LeadingWildcard))
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT DISTINCT $1::integer, date_trunc('hour', ts, 'UTC') FROM api_performance_log WHERE tenant_id = $1`, tid)
	perfdbtest.Exec(t, pool, "SELECT refresh_performance_metrics_incremental('acme')")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := optimizer.New(optimizer.DefaultConfig(), nil).Run(ctx, pool, "acme", now); err != nil {
		t.Fatal(err)
	}

	url := startExt(t, dsn, nil, "acme")
	d := mustData(t, query(t, url, "token-acme", `{ performanceOverview(timeRange: LAST_HOUR) { topBottlenecks { type severity description affectedEndpoints exampleTraceIds } } }`, nil))
	got := map[string]map[string]any{}
	for _, b := range d["performanceOverview"].(map[string]any)["topBottlenecks"].([]any) {
		m := b.(map[string]any)
		t.Logf("%s %s %s %v", m["type"], m["severity"], m["description"], m["affectedEndpoints"])
		got[m["type"].(string)] = m
	}
	if e := got["HIGH_ERROR_RATE"]; e == nil || e["severity"] != "HIGH" || e["affectedEndpoints"].([]any)[0] != "POST /acme/checkout" || len(e["exampleTraceIds"].([]any)) != 3 {
		t.Errorf("error state bottleneck: %v", e)
	}
	if q := got["SLOW_QUERY"]; q == nil || q["affectedEndpoints"].([]any)[0] != "POST /acme/checkout" {
		t.Errorf("leading-wildcard LIKE bottleneck: %v", q)
	}
}
