// Package perfgraphqltest seeds a migrated test database (internal/perfdb/perfdbtest) with
// tenants, traffic and rollups for the tests of the perfgraphql extension's packages.
package perfgraphqltest

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// SeedTenant creates a tenant with one service, two endpoints and two fingerprints, and
// returns its id. Fingerprints are given as signed bigint.
func SeedTenant(t testing.TB, pool *pgxpool.Pool, name string, fps ...int64) int32 {
	t.Helper()
	id := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ($1) RETURNING tenant_id", name)
	svc := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, $2) RETURNING service_id", id, name+"-api")
	perfdbtest.Exec(t, pool, `INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route) VALUES
		($1, $2, 'server', 'GET', '/'||$3||'/orders/{id}'), ($1, $2, 'server', 'POST', '/'||$3||'/checkout')`, id, svc, name)
	perfdbtest.Exec(t, pool, `INSERT INTO perf_databases(tenant_id, db_system, db_namespace) VALUES ($1, 'postgresql', 'shop')`, id)
	perfdbtest.Exec(t, pool, `INSERT INTO perf_instances(tenant_id, service_id, host_name, service_instance_id) VALUES ($1, $2, 'host-'||$3, 'i1')`, id, svc, name)
	for _, fp := range fps {
		perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', 'orders',
			'SELECT orders', 'SELECT * FROM orders WHERE id = ? /*'||$3||'*/', now() - interval '10 days', now())`, id, fp, name)
	}
	return id
}

// EndpointIDs of a tenant, ordered (GET orders first, POST checkout second)
func EndpointIDs(t testing.TB, pool *pgxpool.Pool, tid int32) (int32, int32, int32) {
	rows, err := pool.Query(t.Context(), "SELECT endpoint_id, service_id FROM perf_endpoints WHERE tenant_id = $1 ORDER BY endpoint_id", tid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int32
	var svc int32
	for rows.Next() {
		var id int32
		if err := rows.Scan(&id, &svc); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids[0], ids[1], svc
}

// SeedTraffic inserts n requests per hour for the hours [from, to) (one DB span per request,
// issued 1 ms after the request started, without endpoint so the rollup attributes it) and
// marks the hours dirty. Durations are deterministic pseudo-random log-normal-ish.
func SeedTraffic(t testing.TB, pool *pgxpool.Pool, tid int32, from, to time.Time, perHour int, fp int64, seed int) {
	t.Helper()
	ep1, ep2, svc := EndpointIDs(t, pool, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly))
	perfdbtest.Exec(t, pool, `
		WITH g AS (
			SELECT h, k, $8::bigint * 1000000000 + extract(epoch FROM h)::bigint * 100000 + k AS sid,
			       md5($8::text || h::text || k::text)::uuid AS trace,
			       h + (k * (3600.0 / $4)) * interval '1 second' AS ts,
			       -- log-normal around 40 ms with a long tail ($8 only varies ids)
			       greatest(50, 40000 * exp(1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int AS dur
			FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') h,
			     generate_series(0, $4 - 1) k)
		INSERT INTO api_performance_log
		SELECT ts, sid, trace, $5::int, CASE WHEN k % 3 = 0 THEN $7::int ELSE $6::int END, dur, 100, 2000,
		       CASE WHEN k % 50 = 0 THEN 500 ELSE 200 END, $1::integer, k % 50 = 0 FROM g`,
		tid, from, to, perHour, svc, ep1, ep2, seed)
	perfdbtest.Exec(t, pool, `
		INSERT INTO query_performance_log
		SELECT a.ts + least(a.duration_us / 2, 1000) * interval '1 microsecond', $4, a.span_id + 1, a.span_id, a.trace_id, a.service_id, 0, 1,
		       greatest(1, a.duration_us / 3), 5, a.tenant_id, false
		FROM api_performance_log a WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3`, tid, from, to, fp)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT DISTINCT $1::integer, date_trunc('hour', ts, 'UTC') FROM api_performance_log WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, from, to)
}

func Refresh(t testing.TB, pool *pgxpool.Pool, tenant string) int {
	t.Helper()
	return perfdbtest.Scalar[int](t, pool, "SELECT hours_refreshed FROM refresh_performance_metrics_incremental($1)", tenant)
}

// SeedRequests inserts n requests of the tenant's first endpoint (GET /<tenant>/orders/{id})
// spread evenly over [from, to), each of durationUs and the given HTTP status (an error when
// 5xx), with span ids from spanBase on, and marks their hours for the refresh. Tests of
// sub-hour windows (alerting) use it where SeedTraffic's whole hours are too coarse.
func SeedRequests(t testing.TB, pool *pgxpool.Pool, tid int32, from, to time.Time, n, status, durationUs int, spanBase int64) {
	t.Helper()
	ep, _, svc := EndpointIDs(t, pool, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly))
	perfdbtest.Exec(t, pool, `
		INSERT INTO api_performance_log (ts, span_id, trace_id, service_id, endpoint_id, duration_us, request_size,
		                                 response_size, status_code, tenant_id, is_error)
		SELECT $1::timestamptz + (k * extract(epoch FROM $2::timestamptz - $1::timestamptz) / $3) * interval '1 second',
		       $7::bigint + k, md5($7::text || '-' || k)::uuid, $4, $5, $9, 100, 200, $6::smallint, $8, $6 >= 500
		  FROM generate_series(0, $3 - 1) k`, from, to, n, svc, ep, status, spanBase, tid, durationUs)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT DISTINCT $1::integer, date_trunc('hour', ts, 'UTC') FROM api_performance_log WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, from, to)
}
