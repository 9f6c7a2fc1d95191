//go:build bench

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// BenchmarkSeedQueries times the five seed queries of the API end to end (HTTP, GraphQL
// parsing, validation, execution, database, JSON) against a small migrated database: one
// tenant, 20 endpoints, 200 fingerprints, 48 hours of 600 requests (+ as many DB spans)
// per hour, a day of resource and pool samples per minute. It only uses the extension's
// factory, so the same file measures any version of the API (compare two trees with
// benchstat or the ratio of ns/op):
//
//	go test -tags bench -run '^$' -bench BenchmarkSeedQueries -benchmem ./extension/perfgraphqlext/internal/bench
func BenchmarkSeedQueries(b *testing.B) {
	pool, dsn := perfdbtest.NewMigratedPool(b)
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-48 * time.Hour)
	exec := func(sql string, args ...any) { perfdbtest.Exec(b, pool, sql, args...) }
	exec("SELECT perf_create_partitions($1::date, $2::date)", start.Format(time.DateOnly), now.Format(time.DateOnly))
	exec("INSERT INTO perf_tenants(name) VALUES ('acme')")
	exec(`INSERT INTO perf_services(tenant_id, name) SELECT 1, 'svc' || s FROM generate_series(1, 2) s`)
	exec(`INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route)
		SELECT 1, s.service_id, 'server', 'GET', '/r' || e FROM perf_services s, generate_series(1, 10) e`)
	exec(`INSERT INTO perf_instances(tenant_id, service_id, host_name, service_instance_id) SELECT 1, service_id, 'host', 'i' || service_id FROM perf_services`)
	exec(`INSERT INTO query_fingerprints SELECT 1, f, 'postgresql', 'SELECT', 't' || (f % 20), 'SELECT t' || (f % 20),
		'SELECT * FROM t' || (f % 20) || ' WHERE id = ?', now() - interval '3 days', now() FROM generate_series(1, 200) f`)
	exec(`CREATE TABLE bench_ep AS SELECT endpoint_id, service_id, (row_number() OVER (ORDER BY endpoint_id) - 1)::int rn FROM perf_endpoints`)
	const perHour = 600
	exec(`INSERT INTO api_performance_log
		SELECT $1::timestamptz + (g::float8 / $2) * interval '1 hour', g, md5(g::text)::uuid, e.service_id, e.endpoint_id,
		       greatest(50, 30000 * exp(1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int,
		       200, 1500, CASE WHEN g % 40 = 0 THEN 500 ELSE 200 END, 1, g % 40 = 0
		FROM generate_series(0, $2 * 48 - 1) g JOIN bench_ep e ON e.rn = g % 20`, start, perHour)
	exec(`INSERT INTO query_performance_log
		SELECT ts + interval '1 millisecond', 1 + span_id % 200, span_id + 1000000000, span_id, trace_id, service_id, 0, 1,
		       greatest(1, duration_us / 3) * CASE WHEN span_id % 97 = 0 THEN 100 ELSE 1 END, 10, 1, false
		FROM api_performance_log`)
	exec(`INSERT INTO system_resource_metrics SELECT m, 1, i.instance_id, 20 + 10 * random(), 500e6, 2e9, 100e6, 200e6, 3, 5
		FROM generate_series(date_trunc('minute', now()) - interval '24 hours', date_trunc('minute', now()), interval '1 minute') m, perf_instances i`)
	exec(`INSERT INTO db_pool_metrics SELECT m, 1, i.instance_id, 'main', 5 + (random() * 4)::int, 2, 10, 0, 1.5
		FROM generate_series(date_trunc('minute', now()) - interval '24 hours', date_trunc('minute', now()), interval '1 minute') m, perf_instances i`)
	exec(`INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) SELECT DISTINCT 1, date_trunc('hour', ts, 'UTC') FROM api_performance_log`)
	exec("SELECT refresh_performance_metrics_incremental('acme')")
	exec("VACUUM ANALYZE")

	addr := startAnonymous(b, dsn, "acme")
	url := "http://" + addr + "/graphql"
	post := func(q string) ([]byte, error) {
		body, _ := json.Marshal(map[string]string{"query": q})
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) { // the database opens in the background
		if out, err := post("{ __typename }"); err == nil && bytes.Contains(out, []byte(`"Query"`)) {
			break
		} else if time.Now().After(deadline) {
			b.Fatalf("not ready: %v %s", err, out)
		}
	}
	for _, q := range []struct{ name, query string }{
		{"performanceOverview", `{ performanceOverview(timeRange: LAST_24_HOURS) { healthScore status apdex p95ResponseTimeMs totalRequests errorRate performanceTrend
			previousHealthScore topBottlenecks { type severity description } rangeFrom rangeTo } }`},
		{"slowQueries", `{ slowQueries(threshold: 100, timeRange: LAST_24_HOURS, limit: 20) { id queryHash queryPreview executionTimeMs endpoint service
			occurrenceCount slowCount p95ExecutionTimeMs timestamp } }`},
		{"endpointMetrics", `{ endpointMetrics(timeRange: LAST_24_HOURS) { endpoint service totalRequests failedRequests errorRate
			p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs trend } }`},
		{"resourceUtilization", `{ resourceUtilization(timeRange: LAST_24_HOURS, interval: "1h") { timestamp cpuUsagePercent memoryUsedMB eventLoopLagMs instances } }`},
		{"databasePoolMetrics", `{ databasePoolMetrics(timeRange: LAST_24_HOURS) { currentConnections maxConnections utilizationPercent
			pools { poolName avgUtilizationPercent } utilizationHistory { timestamp utilizationPercent } } }`},
	} {
		out, err := post(q.query)
		if err != nil || !bytes.Contains(out, []byte(`"data":{"`+q.name)) || bytes.Contains(out, []byte(`"errors"`)) {
			b.Fatalf("%s: %v %s", q.name, err, out)
		}
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := post(q.query); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// startAnonymous starts the extension on dsn serving tenant to requests without credentials,
// and returns its address; it stops with the test.
func startAnonymous(tb testing.TB, dsn, tenant string) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	f := perfgraphqlext.NewFactory()
	cfg := f.CreateDefaultConfig().(*perfgraphqlext.Config)
	cfg.DSN = dsn
	cfg.ServerConfig.NetAddr.Endpoint = addr
	cfg.Scheduler.Enabled = false
	cfg.Tenants.AnonymousTenant = tenant
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := ext.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	// The extension opens its database in the background: wait for /healthz to say so.
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("perfgraphql on %s not ready after a minute (last error %v)", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
