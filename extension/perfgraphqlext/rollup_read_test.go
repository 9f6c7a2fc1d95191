package perfgraphqlext

import (
	"math"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// The Go read path (rollup_read.go: day split in Go, histograms merged in Go, packed daily
// endpoint histograms) answers exactly what the SQL readers (perf_summary_range,
// perf_endpoint_range / perf_query_range merged with perf_hist_quantiles) answer, over a
// range that mixes daily and hourly rollups; quantiles clamped to each group's [min, max].
func TestGoReadPathEqualsSQLReaders(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	now := time.Now().UTC()
	from := now.Truncate(24 * time.Hour).Add(-3 * 24 * time.Hour).Add(7 * time.Hour) // 3 days ago, 07:00
	to := now.Truncate(time.Hour).Add(time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, from, to, 120, fpA, 3)
	perfgraphqltest.Refresh(t, pool, "acme")
	for _, table := range []string{"perf_endpoint_daily", "perf_endpoint_hourly"} {
		if n := perfdbtest.Scalar[int](t, pool, "SELECT count(*) FROM "+table+" WHERE tenant_id = $1 AND lat_pack IS NULL", tid); n != 0 {
			t.Fatalf("%s: %d rows without the packed histogram", table, n)
		}
	}
	url := startExt(t, dsn, nil, "acme")
	d := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		performanceOverview(from: $from, to: $to) { healthScore apdex p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs
			avgResponseTimeMs maxResponseTimeMs totalRequests failedRequests totalQueries p95QueryTimeMs avgQueryTimeMs }
		endpointMetrics(from: $from, to: $to) { route totalRequests p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs }
		slowQueries(threshold: 0, from: $from, to: $to) { queryHash occurrenceCount p50ExecutionTimeMs p95ExecutionTimeMs p99ExecutionTimeMs maxExecutionTimeMs slowCount }
	}`, fmtRange(from, to)))

	eq := func(what string, got any, want float64) {
		t.Helper()
		g := num(t, got)
		if math.Abs(g-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: Go %v, SQL %v", what, g, want)
		}
	}
	var s struct{ score, apdex, p50, p95, p99, avg, max, req, fail, q, p95q, avgq float64 }
	if err := pool.QueryRow(tctx(t), `SELECT health_score, apdex, p50_response_time_ms, p95_response_time_ms, p99_response_time_ms,
		avg_response_time_ms, max_response_time_ms, total_requests, failed_requests, total_queries, p95_query_time_ms, avg_query_time_ms
		FROM perf_summary_range($1, $2, $3)`, tid, from, to).Scan(&s.score, &s.apdex, &s.p50, &s.p95, &s.p99, &s.avg, &s.max,
		&s.req, &s.fail, &s.q, &s.p95q, &s.avgq); err != nil {
		t.Fatal(err)
	}
	ov := d["performanceOverview"].(map[string]any)
	eq("healthScore", ov["healthScore"], s.score)
	eq("apdex", ov["apdex"], s.apdex)
	eq("p50", ov["p50ResponseTimeMs"], s.p50)
	eq("p95", ov["p95ResponseTimeMs"], s.p95)
	eq("p99", ov["p99ResponseTimeMs"], s.p99)
	eq("avg", ov["avgResponseTimeMs"], s.avg)
	eq("max", ov["maxResponseTimeMs"], s.max)
	eq("requests", ov["totalRequests"], s.req)
	eq("failed", ov["failedRequests"], s.fail)
	eq("queries", ov["totalQueries"], s.q)
	eq("p95 query", ov["p95QueryTimeMs"], s.p95q)
	eq("avg query", ov["avgQueryTimeMs"], s.avgq)

	// one service: the same Go formulas over the service's rollups (service_summary.sql)
	// answer what perf_summary_range computes in SQL for it
	_, _, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	ds := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		performanceOverview(service: "acme-api", from: $from, to: $to) { healthScore apdex p50ResponseTimeMs p95ResponseTimeMs
			p99ResponseTimeMs avgResponseTimeMs maxResponseTimeMs totalRequests failedRequests totalQueries p95QueryTimeMs avgQueryTimeMs status }
	}`, fmtRange(from, to)))
	var status string
	if err := pool.QueryRow(tctx(t), `SELECT health_score, apdex, p50_response_time_ms, p95_response_time_ms, p99_response_time_ms,
		avg_response_time_ms, max_response_time_ms, total_requests, failed_requests, total_queries, p95_query_time_ms, avg_query_time_ms, status
		FROM perf_summary_range($1, $2, $3, 500, $4)`, tid, from, to, svc).Scan(&s.score, &s.apdex, &s.p50, &s.p95, &s.p99, &s.avg, &s.max,
		&s.req, &s.fail, &s.q, &s.p95q, &s.avgq, &status); err != nil {
		t.Fatal(err)
	}
	ov = ds["performanceOverview"].(map[string]any)
	if s.req == 0 || ov["status"] != status {
		t.Errorf("service: %v requests, status Go %v, SQL %s", s.req, ov["status"], status)
	}
	for name, want := range map[string]float64{"healthScore": s.score, "apdex": s.apdex, "p50ResponseTimeMs": s.p50,
		"p95ResponseTimeMs": s.p95, "p99ResponseTimeMs": s.p99, "avgResponseTimeMs": s.avg, "maxResponseTimeMs": s.max,
		"totalRequests": s.req, "failedRequests": s.fail, "totalQueries": s.q, "p95QueryTimeMs": s.p95q, "avgQueryTimeMs": s.avgq} {
		eq("service "+name, ov[name], want)
	}

	rows, err := pool.Query(tctx(t), `
		WITH r AS (SELECT * FROM perf_endpoint_range($1, $2, $3)),
		h AS (SELECT r.endpoint_id, u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2),
		b AS (SELECT endpoint_id, CASE WHEN count(min_us) = count(*) THEN min(min_us) END::float8 mn, max(max_us)::float8 mx FROM r GROUP BY 1)
		SELECT e.route, (SELECT sum(requests) FROM r WHERE r.endpoint_id = e.endpoint_id)::float8,
		       perf_hist_quantiles(array_agg(h.i ORDER BY h.i), array_agg(h.c ORDER BY h.i), '{0.5,0.95,0.99}',
		           (SELECT mn FROM b WHERE b.endpoint_id = e.endpoint_id), (SELECT mx FROM b WHERE b.endpoint_id = e.endpoint_id))
		FROM h JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = h.endpoint_id GROUP BY e.endpoint_id, e.route`, tid, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{}
	for rows.Next() {
		var route string
		var n float64
		var q []float64
		if err := rows.Scan(&route, &n, &q); err != nil {
			t.Fatal(err)
		}
		want[route] = append([]float64{n}, q...)
	}
	rows.Close()
	checkEndpoints := func(d map[string]any) {
		t.Helper()
		eps := d["endpointMetrics"].([]any)
		if len(eps) != len(want) || len(eps) != 2 {
			t.Fatalf("endpointMetrics %v, SQL %v", eps, want)
		}
		for _, e := range eps {
			m := e.(map[string]any)
			w := want[m["route"].(string)]
			eq("endpoint requests", m["totalRequests"], w[0])
			eq("endpoint p50", m["p50ResponseTimeMs"], w[1]/1000)
			eq("endpoint p95", m["p95ResponseTimeMs"], w[2]/1000)
			eq("endpoint p99", m["p99ResponseTimeMs"], w[3]/1000)
		}
	}
	checkEndpoints(d)
	// rows without the packed histogram (a count beyond int4) are read from their arrays
	// and merged with the packed ones
	for _, table := range []string{"perf_endpoint_hourly", "perf_endpoint_daily"} {
		perfdbtest.Exec(t, pool, "ALTER TABLE "+table+" DISABLE TRIGGER USER")
		perfdbtest.Exec(t, pool, "UPDATE "+table+" SET lat_pack = NULL WHERE tenant_id = $1 AND extract(hour FROM bucket) < 12", tid)
		perfdbtest.Exec(t, pool, "ALTER TABLE "+table+" ENABLE TRIGGER USER")
	}
	if n := perfdbtest.Scalar[int](t, pool, "SELECT count(*) FROM perf_endpoint_daily WHERE tenant_id = $1 AND lat_pack IS NULL", tid); n == 0 {
		t.Fatal("no daily row without packed histogram")
	}
	checkEndpoints(mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		endpointMetrics(from: $from, to: $to) { route totalRequests p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs } }`, fmtRange(from, to))))

	var calls, maxUs, slow float64
	var q []float64
	if err := pool.QueryRow(tctx(t), `
		WITH r AS (SELECT * FROM perf_query_range($1, $2, $3) WHERE fingerprint = $4),
		h AS (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1)
		SELECT (SELECT sum(calls) FROM r)::float8, (SELECT max(max_us) FROM r)::float8, (SELECT sum(c) FROM h)::float8,
		       (SELECT perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}',
		           (SELECT CASE WHEN count(min_us) = count(*) THEN min(min_us) END FROM r)::float8, (SELECT max(max_us) FROM r)::float8) FROM h)`,
		tid, from, to, fpA).Scan(&calls, &maxUs, &slow, &q); err != nil {
		t.Fatal(err)
	}
	sq := d["slowQueries"].([]any)
	if len(sq) != 1 {
		t.Fatalf("slowQueries %v", sq)
	}
	m := sq[0].(map[string]any)
	eq("query calls", m["occurrenceCount"], calls)
	eq("query slowCount (threshold 0)", m["slowCount"], slow)
	eq("query max", m["maxExecutionTimeMs"], maxUs/1000)
	eq("query p50", m["p50ExecutionTimeMs"], q[0]/1000)
	eq("query p95", m["p95ExecutionTimeMs"], q[1]/1000)
	eq("query p99", m["p99ExecutionTimeMs"], q[2]/1000)

	// slowQueries above a threshold: the candidates come from the max_us index
	thr := int(maxUs/1000) - 1
	d = mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime, $thr: Int) {
		slowQueries(threshold: $thr, from: $from, to: $to) { queryHash occurrenceCount } }`,
		map[string]any{"from": from.UTC().Format(time.RFC3339), "to": to.UTC().Format(time.RFC3339), "thr": thr}))
	if sq := d["slowQueries"].([]any); len(sq) != 1 || int64(num(t, sq[0].(map[string]any)["occurrenceCount"])) != int64(calls) {
		t.Errorf("slowQueries(threshold: %d) = %v", thr, sq)
	}
	d = mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime, $thr: Int) {
		slowQueries(threshold: $thr, from: $from, to: $to) { queryHash } }`,
		map[string]any{"from": from.UTC().Format(time.RFC3339), "to": to.UTC().Format(time.RFC3339), "thr": int(maxUs/1000) + 1}))
	if sq := d["slowQueries"].([]any); len(sq) != 0 {
		t.Errorf("slowQueries above the max = %v", sq)
	}
}
