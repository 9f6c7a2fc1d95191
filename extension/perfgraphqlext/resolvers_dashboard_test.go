package perfgraphqlext

import (
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// trafficSeries: the hourly and per-minute series (both from the rollups) add up to the raw
// request and error counts of the caller's tenant, and never show another tenant's rows.
func TestTrafficSeriesCountsEqualRawLog(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	acme := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	globex := perfgraphqltest.SeedTenant(t, pool, "globex", fpA)
	now := time.Now().UTC()
	from := now.Truncate(time.Hour).Add(-3 * time.Hour)
	to := now.Truncate(time.Hour).Add(time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, acme, from, to, 120, fpA, 1)
	perfgraphqltest.SeedTraffic(t, pool, globex, from, to, 45, fpA, 2)
	perfgraphqltest.Refresh(t, pool, "acme")
	perfgraphqltest.Refresh(t, pool, "globex")
	url := startExt(t, dsn, nil, "acme", "globex")

	for _, tc := range []struct {
		tenant string
		tid    int32
	}{{"acme", acme}, {"globex", globex}} {
		var rawReq, rawErr int64
		if err := pool.QueryRow(tctx(t), `SELECT count(*), count(*) FILTER (WHERE is_error) FROM api_performance_log
			WHERE tenant_id = $1 AND ts >= $2 AND ts < $3`, tc.tid, from, to).Scan(&rawReq, &rawErr); err != nil {
			t.Fatal(err)
		}
		vars := fmtRange(from, to)
		for _, iv := range []string{"1h", "5m", "1m"} {
			vars["iv"] = iv
			d := mustData(t, query(t, url, "token-"+tc.tenant, `query($from: DateTime, $to: DateTime, $iv: String) {
				trafficSeries(from: $from, to: $to, interval: $iv) { timestamp count errors p50Ms p95Ms p99Ms avgMs maxMs } }`, vars))
			pts := d["trafficSeries"].([]any)
			var n, e int64
			for _, p := range pts {
				m := p.(map[string]any)
				n += int64(num(t, m["count"]))
				e += int64(num(t, m["errors"]))
				if num(t, m["count"]) > 0 && !(num(t, m["p50Ms"]) <= num(t, m["p95Ms"]) && num(t, m["p95Ms"]) <= num(t, m["p99Ms"]) && num(t, m["p99Ms"]) <= num(t, m["maxMs"])*1.01) {
					t.Errorf("%s %s: percentiles out of order: %v", tc.tenant, iv, m)
				}
			}
			if n != rawReq || e != rawErr {
				t.Errorf("%s interval %s: series sums to %d requests / %d errors; raw log %d / %d", tc.tenant, iv, n, e, rawReq, rawErr)
			}
			// acme has a request every 30 s, so every bucket of the 4 hours has one
			want := map[string]int{"1h": 4, "5m": 48, "1m": 240}[iv]
			if tc.tenant == "acme" && len(pts) != want {
				t.Errorf("%s interval %s: %d points, want %d", tc.tenant, iv, len(pts), want)
			}
		}
	}
	r := query(t, url, "token-acme", `{ trafficSeries(timeRange: LAST_24_HOURS, interval: "1m") { count } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("a 1m series over 24 h should be refused: %s", r.Raw)
	}
	// minute intervals come from the minute rollups: not for a range older than their retention
	old := fmtRange(now.Add(-72*time.Hour).Truncate(time.Hour), now.Add(-70*time.Hour).Truncate(time.Hour))
	old["iv"] = "5m"
	r = query(t, url, "token-acme", `query($from: DateTime, $to: DateTime, $iv: String) {
		trafficSeries(from: $from, to: $to, interval: $iv) { count } }`, old)
	if len(r.Errors) == 0 || !strings.Contains(r.Raw, "finer than this series supports") {
		t.Errorf("a 5m series older than retention.minute_rollups should be refused: %s", r.Raw)
	}
}
