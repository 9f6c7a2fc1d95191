package optimizer

import (
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The N+1 refresh attributes only the spans of the traces that hold a group
// (perf_attributed_queries with a trace list). The stored groups must equal those of every
// DB span of the hour attributed first, including a group whose spans are partly stored
// with an endpoint and one inside a request nested in another of the same trace.
func TestNPlusOneGroupsEqualFullAttribution(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	seedProblems(t, pool, f, now)
	t0 := now.Add(-50 * time.Minute)
	// one trace: GET /loop (500 ms) holding POST /pay (200 ms, starting 100 ms later)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES
		($2::timestamptz, 30000, md5('nested')::uuid, $3, $4, 500000, 100, 2000, 200, $1, false),
		($2::timestamptz + interval '100 ms', 30001, md5('nested')::uuid, $3, $5, 200000, 100, 2000, 200, $1, false)`,
		f.tid, t0, f.svc, f.epLoop, f.epPay)
	// 8 executions of 10 ms under POST /pay, 3 of them stored with another endpoint (the group takes
	// the highest), and 8 under GET /loop before POST /pay started
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $2::timestamptz + interval '100 ms' + k * interval '10 ms', $3, 40000 + k, 30001, md5('nested')::uuid, $4,
		       CASE WHEN k < 3 THEN $5 ELSE 0 END, 1, 10000, 1, $1, false
		FROM generate_series(0, 7) k`, f.tid, t0, fpN1, f.svc, f.epOrders)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $2::timestamptz + interval '1 ms' + k * interval '5 ms', $3, 40100 + k, 30000, md5('nested')::uuid, $4, 0, 1, 10000, 1, $1, false
		FROM generate_series(0, 7) k`, f.tid, t0, fpN1, f.svc)

	if _, err := New(DefaultConfig(), nil).Run(tctx(t), pool, "acme", now); err != nil {
		t.Fatal(err)
	}
	stored := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_nplusone_hourly WHERE tenant_id = $1", f.tid)
	if stored < 3 {
		t.Fatalf("%d N+1 rows stored, want those of GET /orders and of both requests of the nested trace", stored)
	}
	// every span of each computed hour attributed, then grouped under the stored rule
	diff := perfdbtest.Scalar[int64](t, pool, `WITH g AS (
		SELECT h.bucket, a.trace_id, a.parent_span_id, a.fingerprint, count(*) AS n, sum(a.duration_us) AS su,
		       max(a.endpoint_id) AS endpoint_id
		FROM perf_nplusone_hours h, perf_nplusone_rule r,
		     perf_attributed_queries(h.tenant_id, h.bucket, h.bucket + interval '1 hour') a
		WHERE h.tenant_id = $1 AND a.parent_span_id <> 0
		GROUP BY h.bucket, a.trace_id, a.parent_span_id, a.fingerprint, r.min_repetitions, r.min_total_us
		HAVING count(*) >= r.min_repetitions AND sum(a.duration_us) >= r.min_total_us
	), ranked AS (
		SELECT g.*, row_number() OVER (PARTITION BY bucket, endpoint_id, fingerprint ORDER BY n DESC, su DESC, trace_id) AS rk FROM g
	), want AS (
		SELECT bucket, endpoint_id, fingerprint, count(*) AS requests, sum(n) AS executions, max(n) AS max_reps,
		       sum(su) AS sum_us, sum(su - su / n) AS wasted_us,
		       array_agg(trace_id ORDER BY rk) FILTER (WHERE rk <= 3) AS trace_ids,
		       array_agg(n ORDER BY rk) FILTER (WHERE rk <= 3) AS trace_reps,
		       array_agg(su ORDER BY rk) FILTER (WHERE rk <= 3) AS trace_us
		FROM ranked GROUP BY bucket, endpoint_id, fingerprint
	), got AS (
		SELECT bucket, endpoint_id, fingerprint, requests, executions, max_reps, sum_us, wasted_us, trace_ids, trace_reps, trace_us
		FROM perf_nplusone_hourly WHERE tenant_id = $1
	)
	SELECT (SELECT count(*) FROM (TABLE want EXCEPT TABLE got) x) + (SELECT count(*) FROM (TABLE got EXCEPT TABLE want) y)`, f.tid)
	if diff != 0 {
		t.Errorf("%d stored N+1 rows differ from the groups of every span attributed", diff)
	}
	// the nested trace: the group under POST /pay takes the higher of its endpoints, the one
	// under GET /loop that of GET /loop
	for _, c := range []struct {
		name string
		ep   int32
	}{{"POST /pay (over GET /orders stored on 3 spans)", max(f.epPay, f.epOrders)}, {"GET /loop", f.epLoop}} {
		if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_nplusone_hourly
			WHERE tenant_id = $1 AND endpoint_id = $2 AND md5('nested')::uuid = ANY (trace_ids)`, f.tid, c.ep); n != 1 {
			t.Errorf("nested trace: %d groups stored for %s", n, c.name)
		}
	}
}
