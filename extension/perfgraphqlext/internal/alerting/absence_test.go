package alerting

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// An absence rule's silence of any length is read from the request log, which sealing thins
// (keep_interesting): the services it finds absent are the same before and after, at every
// hour and at each service's last request to the microsecond. The worker service's last
// request of each hour is its fastest, so only the rule that keeps a service's latest request
// of an hour keeps it.
func TestAbsenceUnchangedByThinning(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop", 0x1111)
	now := time.Now().UTC().Truncate(time.Microsecond)
	base := now.Truncate(time.Hour).Add(-30 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, base, base.Add(20*time.Hour), 60, 0x1111, 1)
	worker := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, 'worker') RETURNING service_id", tid)
	job := perfdbtest.Scalar[int32](t, pool, `INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route)
		VALUES ($1, $2, 'consumer', '', 'jobs') RETURNING endpoint_id`, tid, worker)
	// the worker: 12 requests an hour for 10 hours, 5 minutes apart, each faster than the one before
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT h + k * interval '5 minutes' + interval '17 seconds', 900000000 + extract(epoch FROM h)::bigint / 60 + k,
		       md5('worker' || h::text || k)::uuid, $2, $3, 100000 - k * 5000, -1, -1, 0, $1, false
		FROM generate_series($4::timestamptz, $4::timestamptz + interval '9 hours', interval '1 hour') h, generate_series(0, 11) k`,
		tid, worker, job, base)
	perfgraphqltest.Refresh(t, pool, "shop")

	var sinces []time.Time
	for h := range 22 {
		sinces = append(sinces, base.Add(time.Duration(h)*time.Hour))
	}
	rows, err := pool.Query(t.Context(), "SELECT max(ts) FROM api_performance_log WHERE tenant_id = $1 GROUP BY service_id", tid)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var last time.Time
		if err := rows.Scan(&last); err != nil {
			t.Fatal(err)
		}
		sinces = append(sinces, last.Add(-time.Minute), last, last.Add(time.Microsecond))
	}
	rows.Close()
	absent := func() string {
		t.Helper()
		var b strings.Builder
		for _, since := range sinces {
			names, err := absentServices(t.Context(), pool, tid, now, now.Sub(since), 48*time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", since.Format(time.RFC3339Nano), names)
		}
		return b.String()
	}
	want := absent()
	if !strings.Contains(want, "[shop-api worker]") || !strings.Contains(want, "[worker]") || !strings.Contains(want, "[]") {
		t.Fatalf("the checks should find both, one and none of the services absent:\n%s", want)
	}

	requests := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", tid)
	perfdbtest.Exec(t, pool, "SELECT * FROM perf_seal_hours('shop', $1, $2, 'keep_interesting', 0, 2000000, 1000000, 48)",
		base, now.Add(-6*time.Hour))
	if left := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", tid); left*2 > requests {
		t.Fatalf("request rows %d -> %d: keep_interesting should thin most", requests, left)
	}
	if got := absent(); got != want {
		t.Errorf("absent services after thinning:\n%s\nwant\n%s", got, want)
	}
}
