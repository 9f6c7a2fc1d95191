package perfgraphqlext

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/scheduler"
)

const fpA = int64(-0x1234_5678_9abc_def0) // unsigned value > 2^63 on purpose

// Percentiles from merged histograms agree with percentile_cont over the raw rows within 1%,
// over several hours and days (daily and hourly rollups merged).
func TestMergedHistogramPercentilesWithinOnePercent(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	now := time.Now().UTC()
	from := now.Truncate(time.Hour).Add(-50 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, from, now.Truncate(time.Hour).Add(time.Hour), 1500, fpA, 1)
	if n := perfgraphqltest.Refresh(t, pool, "acme"); n < 50 {
		t.Fatalf("%d hours refreshed", n)
	}
	if d := perfdbtest.Scalar[int](t, pool, "SELECT count(*) FROM performance_metrics_daily WHERE tenant_id = $1", tid); d < 1 {
		t.Fatalf("no daily rollups (%d)", d)
	}
	var exact []float64
	if err := pool.QueryRow(tctx(t), `SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us)
		FROM api_performance_log WHERE tenant_id = $1 AND ts >= $2`, tid, from).Scan(&exact); err != nil {
		t.Fatal(err)
	}
	var got []float64
	if err := pool.QueryRow(tctx(t), `SELECT ARRAY[p50_response_time_ms, p95_response_time_ms, p99_response_time_ms]
		FROM perf_summary_range($1, $2, now())`, tid, from).Scan(&got); err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{"p50", "p95", "p99"} {
		if !within(got[i]*1000, exact[i], 0.01) {
			t.Errorf("%s: rollup %.1f µs, exact %.1f µs (error %.3f%%)", q, got[i]*1000, exact[i], 100*(got[i]*1000-exact[i])/exact[i])
		}
	}
	// the same for the DB spans' histograms via the fingerprint rollups
	if err := pool.QueryRow(tctx(t), `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us)
		FROM query_performance_log WHERE tenant_id = $1`, tid).Scan(&exact[0]); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(tctx(t), `SELECT p95_query_time_ms FROM perf_summary_range($1, $2, now())`, tid, from).Scan(&got[0]); err != nil {
		t.Fatal(err)
	}
	if !within(got[0]*1000, exact[0], 0.01) {
		t.Errorf("query p95: rollup %.1f µs, exact %.1f µs", got[0]*1000, exact[0])
	}
}

// Totals from GraphQL equal counts over the raw rows, for tenant, endpoint and fingerprint
// views, across daily and hourly rollups.
func TestGraphQLTotalsEqualRawCounts(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	now := time.Now().UTC()
	from := now.Truncate(24 * time.Hour).Add(-2 * 24 * time.Hour).Add(5 * time.Hour) // 2 days ago, 05:00
	to := now.Truncate(time.Hour).Add(time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, from, to, 200, fpA, 2)
	perfgraphqltest.Refresh(t, pool, "acme")
	url := startExt(t, dsn, nil, "acme")

	var rawReq, rawErr, rawQ int64
	if err := pool.QueryRow(tctx(t), `SELECT (SELECT count(*) FROM api_performance_log WHERE tenant_id = $1),
		(SELECT count(*) FILTER (WHERE is_error) FROM api_performance_log WHERE tenant_id = $1),
		(SELECT count(*) FROM query_performance_log WHERE tenant_id = $1)`, tid).Scan(&rawReq, &rawErr, &rawQ); err != nil {
		t.Fatal(err)
	}
	d := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		performanceOverview(from: $from, to: $to) { totalRequests failedRequests totalQueries healthScore status performanceTrend
			errorRate topBottlenecks { type } rangeFrom rangeTo }
		endpointMetrics(from: $from, to: $to) { endpoint totalRequests failedRequests successfulRequests p95ResponseTimeMs }
		slowQueries(threshold: 0, from: $from, to: $to) { queryHash occurrenceCount endpoint }
		queryDetail(fingerprint: "edcba98765432110", from: $from, to: $to) { totalCalls endpoints { endpoint count } timeSeries { count } }
	}`, fmtRange(from, to)))
	ov := d["performanceOverview"].(map[string]any)
	if int64(num(t, ov["totalRequests"])) != rawReq || int64(num(t, ov["failedRequests"])) != rawErr || int64(num(t, ov["totalQueries"])) != rawQ {
		t.Errorf("overview %v, raw requests %d errors %d queries %d", ov, rawReq, rawErr, rawQ)
	}
	var sumEp, sumOK int64
	for _, e := range d["endpointMetrics"].([]any) {
		m := e.(map[string]any)
		sumEp += int64(num(t, m["totalRequests"]))
		sumOK += int64(num(t, m["successfulRequests"]))
	}
	if sumEp != rawReq || sumOK != rawReq-rawErr {
		t.Errorf("endpoint sums %d/%d, raw %d/%d", sumEp, sumOK, rawReq, rawReq-rawErr)
	}
	// the trend reads the previous period too; the other fields are the same as without it
	// (the query above asks for no trend, so it reads the range only)
	d2 := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		endpointMetrics(from: $from, to: $to) { endpoint totalRequests failedRequests successfulRequests p95ResponseTimeMs trend } }`, fmtRange(from, to)))
	withTrend := d2["endpointMetrics"].([]any)
	for _, e := range withTrend {
		m := e.(map[string]any)
		if m["trend"] == "" || m["trend"] == nil {
			t.Errorf("no trend: %v", m)
		}
		delete(m, "trend")
	}
	if a, b := fmt.Sprint(d["endpointMetrics"]), fmt.Sprint(withTrend); a != b {
		t.Errorf("endpointMetrics with and without trend differ:\n%s\n%s", a, b)
	}
	sq := d["slowQueries"].([]any)
	if len(sq) != 1 || sq[0].(map[string]any)["queryHash"] != "edcba98765432110" || int64(num(t, sq[0].(map[string]any)["occurrenceCount"])) != rawQ {
		t.Errorf("slowQueries %v, raw %d", sq, rawQ)
	}
	qd := d["queryDetail"].(map[string]any)
	if int64(num(t, qd["totalCalls"])) != rawQ {
		t.Errorf("queryDetail %v", qd)
	}
	// every DB span was attributed to its request's endpoint
	var attributed int64
	for _, e := range qd["endpoints"].([]any) {
		m := e.(map[string]any)
		if m["endpoint"] == "" {
			t.Errorf("unattributed DB spans: %v", m)
		}
		attributed += int64(num(t, m["count"]))
	}
	var series int64
	for _, p := range qd["timeSeries"].([]any) {
		series += int64(num(t, p.(map[string]any)["count"]))
	}
	if attributed != rawQ || series != rawQ {
		t.Errorf("attributed %d, series %d, raw %d", attributed, series, rawQ)
	}
}

// A span that arrives late for an old hour marks it dirty; the next refresh re-aggregates it.
func TestLateSpanReaggregatesItsHour(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	old := time.Now().UTC().Truncate(time.Hour).Add(-30 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, old, old.Add(time.Hour), 100, fpA, 3)
	perfgraphqltest.Refresh(t, pool, "acme")
	count := func() int64 {
		return perfdbtest.Scalar[int64](t, pool, "SELECT total_requests FROM performance_metrics_cache WHERE tenant_id = $1 AND hour_bucket = $2", tid, old)
	}
	if c := count(); c != 100 {
		t.Fatalf("hour has %d requests, want 100", c)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM rollup_dirty_hours"); n != 0 {
		t.Fatalf("%d dirty marks left", n)
	}
	ep1, _, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	// the late span, as the exporter writes it: row + dirty mark for its hour
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES ($1, 424242, gen_random_uuid(), $2, $3, 9000000, -1, -1, 200, $4, false)`,
		old.Add(17*time.Minute), svc, ep1, tid)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) VALUES ($1, $2)
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, old)
	perfgraphqltest.Refresh(t, pool, "acme")
	if c := count(); c != 101 {
		t.Fatalf("after the late span the hour has %d requests, want 101", c)
	}
	if mx := perfdbtest.Scalar[int64](t, pool, "SELECT max_response_us FROM performance_metrics_cache WHERE tenant_id = $1 AND hour_bucket = $2", tid, old); mx != 9000000 {
		t.Errorf("max %d", mx)
	}
	// its day (before today) was merged again into the daily rollup
	if c := perfdbtest.Scalar[int64](t, pool, "SELECT total_requests FROM performance_metrics_daily WHERE tenant_id = $1 AND hour_bucket = date_trunc('day', $2::timestamptz, 'UTC')", tid, old); c != 101 {
		t.Errorf("daily rollup has %d requests, want 101", c)
	}
}

// Three schedulers on one database: per tick only one works, and every dirty hour is
// refreshed exactly once.
func TestThreeSchedulersRefreshEachBucketOnce(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	base := time.Now().UTC().Truncate(time.Hour).Add(-6 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, base, base.Add(3*time.Hour), 50, fpA, 4) // hours base .. base+2h dirty
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	metrics, err := scheduler.NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	var scheds []*scheduler.Scheduler
	for range 3 {
		s := scheduler.New(cfg.schedulerConfig(), zap.NewNop(), metrics)
		scheds = append(scheds, s)
		t.Cleanup(s.Close)
	}
	var mu sync.Mutex
	leaders := 0
	for tick := 0; tick < 3; tick++ {
		var wg sync.WaitGroup
		perTick := 0
		for _, s := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.Tick(context.Background())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				if res.Leader {
					perTick++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if perTick != 1 {
			t.Fatalf("tick %d: %d schedulers worked, want 1", tick, perTick)
		}
		leaders += perTick
	}
	rows, err := pool.Query(tctx(t), `SELECT hour_bucket, count(*) FROM perf_rollup_refresh_log
		WHERE tenant_id = $1 AND hour_bucket < date_trunc('hour', now(), 'UTC') GROUP BY 1 ORDER BY 1`, tid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var h time.Time
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			t.Fatal(err)
		}
		seen++
		if n != 1 {
			t.Errorf("hour %s refreshed %d times", h, n)
		}
	}
	if seen != 4 { // 3 dirty hours + the hour after the last one
		t.Errorf("%d past hours refreshed, want 4", seen)
	}
	// the current hour is refreshed with the tenant's dirty hours, by the leader only: on the
	// first tick (the later ones find no dirty hour and skip the tenant)
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_rollup_refresh_log WHERE hour_bucket = date_trunc('hour', now(), 'UTC')`); n != 1 {
		t.Errorf("current hour refreshed %d times in 3 ticks, want 1", n)
	}
	// partitions were premade for today .. today+3
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM pg_class WHERE relname = 'api_performance_log_p' || to_char(now() AT TIME ZONE 'UTC' + interval '3 days', 'YYYYMMDD')`); n != 1 {
		t.Errorf("partition of today+3 not premade")
	}
	// when the leader stops, another replica takes over
	scheds[0].Close()
	scheds[1].Close()
	// (the server releases a closed session's lock when its backend exits: poll briefly)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := scheds[2].Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Leader {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("remaining scheduler did not take over")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestRetentionDropsExpiredPartitions(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	old := time.Now().UTC().AddDate(0, 0, -40)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $1::date)", old.Format(time.DateOnly))
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.Retention.Resources = 60 * 24 * time.Hour
	metrics, _ := scheduler.NewMetrics(noop.NewMeterProvider())
	s := scheduler.New(cfg.schedulerConfig(), zap.NewNop(), metrics)
	defer s.Close()
	res, err := s.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.PartitionsDropped != 2 { // the two log tables; resources are kept 60 days
		t.Errorf("dropped %d partitions, want 2", res.PartitionsDropped)
	}
	suffix := old.Format("20060102")
	if n := perfdbtest.Scalar[int](t, pool, "SELECT count(*) FROM pg_class WHERE relname LIKE '%_p' || $1", suffix); n != 2 {
		t.Errorf("%d partitions of the old day left, want 2 (resource tables)", n)
	}
}

// The histograms of the rollups are exactly those of the raw rows: each hourly endpoint row
// (latency and errors) and each hour of a fingerprint, against histograms counted from the
// raw rows; each daily row against the sum of its hours, counted another way (unnest and
// group all of the day's (row, bucket) pairs together).
func TestRollupHistogramsEqualRawRows(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	now := time.Now().UTC()
	from := now.Truncate(24 * time.Hour).Add(-2 * 24 * time.Hour).Add(19 * time.Hour) // 2 days ago, 19:00
	perfgraphqltest.SeedTraffic(t, pool, tid, from, now.Truncate(time.Hour).Add(time.Hour), 150, fpA, 4)
	perfgraphqltest.Refresh(t, pool, "acme")
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_endpoint_daily WHERE tenant_id = $1", tid); n == 0 {
		t.Fatal("no daily rollups to check")
	}
	checks := map[string]string{
		"endpoint hourly vs raw": `
			WITH raw AS (SELECT endpoint_id, date_trunc('hour', ts, 'UTC') b, perf_hist_bucket(duration_us) i,
			                    count(*) n, count(*) FILTER (WHERE is_error) e
			               FROM api_performance_log WHERE tenant_id = $1 GROUP BY 1, 2, 3),
			     want AS (SELECT endpoint_id, b, array_agg(i ORDER BY i) li, array_agg(n ORDER BY i) lc,
			                     coalesce(array_agg(i ORDER BY i) FILTER (WHERE e > 0), '{}') ei,
			                     coalesce(array_agg(e ORDER BY i) FILTER (WHERE e > 0), '{}') ec
			                FROM raw GROUP BY 1, 2)
			SELECT count(*) FROM want w FULL JOIN (SELECT * FROM perf_endpoint_hourly WHERE tenant_id = $1) h
			    ON h.endpoint_id = w.endpoint_id AND h.bucket = w.b
			 WHERE (h.lat_idx, h.lat_cnt, h.err_idx, h.err_cnt) IS DISTINCT FROM (w.li, w.lc, w.ei, w.ec)`,
		"query hourly vs raw (per fingerprint and hour)": `
			WITH raw AS (SELECT fingerprint, date_trunc('hour', ts, 'UTC') b, perf_hist_bucket(duration_us) i, count(*) n
			               FROM query_performance_log WHERE tenant_id = $1 GROUP BY 1, 2, 3),
			     got AS (SELECT h.fingerprint, h.bucket b, u.i, sum(u.c) n
			               FROM perf_query_hourly h, unnest(h.lat_idx, h.lat_cnt) u(i, c) WHERE h.tenant_id = $1 GROUP BY 1, 2, 3)
			SELECT count(*) FROM raw FULL JOIN got USING (fingerprint, b, i) WHERE raw.n IS DISTINCT FROM got.n`,
		"endpoint daily vs its hours": `
			SELECT count(*) FROM perf_endpoint_daily d
			CROSS JOIN LATERAL (SELECT array_agg(i ORDER BY i) li, array_agg(c ORDER BY i) lc FROM (SELECT u.i, sum(u.c)::bigint c
			          FROM perf_endpoint_hourly h, unnest(h.lat_idx, h.lat_cnt) u(i, c)
			         WHERE h.tenant_id = d.tenant_id AND h.endpoint_id = d.endpoint_id AND h.bucket >= d.bucket AND h.bucket < d.bucket + interval '1 day'
			         GROUP BY u.i) x) l
			CROSS JOIN LATERAL (SELECT coalesce(array_agg(i ORDER BY i), '{}') ei, coalesce(array_agg(c ORDER BY i), '{}') ec FROM (SELECT u.i, sum(u.c)::bigint c
			          FROM perf_endpoint_hourly h, unnest(h.err_idx, h.err_cnt) u(i, c)
			         WHERE h.tenant_id = d.tenant_id AND h.endpoint_id = d.endpoint_id AND h.bucket >= d.bucket AND h.bucket < d.bucket + interval '1 day'
			         GROUP BY u.i) x) e
			 WHERE d.tenant_id = $1 AND (d.lat_idx, d.lat_cnt, d.err_idx, d.err_cnt) IS DISTINCT FROM (l.li, l.lc, e.ei, e.ec)`,
		"query daily vs its hours": `
			SELECT count(*) FROM perf_query_daily d
			CROSS JOIN LATERAL (SELECT array_agg(i ORDER BY i) li, array_agg(c ORDER BY i) lc FROM (SELECT u.i, sum(u.c)::bigint c
			          FROM perf_query_hourly h, unnest(h.lat_idx, h.lat_cnt) u(i, c)
			         WHERE h.tenant_id = d.tenant_id AND h.fingerprint = d.fingerprint AND h.endpoint_id = d.endpoint_id
			           AND h.service_id = d.service_id AND h.bucket >= d.bucket AND h.bucket < d.bucket + interval '1 day'
			         GROUP BY u.i) x) l
			 WHERE d.tenant_id = $1 AND (d.lat_idx, d.lat_cnt) IS DISTINCT FROM (l.li, l.lc)`,
	}
	for name, sql := range checks {
		if n := perfdbtest.Scalar[int64](t, pool, sql, tid); n != 0 {
			t.Errorf("%s: %d rows differ", name, n)
		}
	}
}

// Rollup rows are deleted by whole days after their retention (hourly: retention.hourly_rollups,
// daily: retention.daily_rollups); newer ones stay.
func TestRetentionDeletesExpiredRollups(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	now := time.Now().UTC()
	from := now.Truncate(24 * time.Hour).Add(-2 * 24 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, from, now.Truncate(time.Hour), 60, fpA, 5)
	perfgraphqltest.Refresh(t, pool, "acme")
	hourly := []string{"performance_metrics_cache", "perf_endpoint_hourly", "perf_query_hourly"}
	daily := []string{"performance_metrics_daily", "perf_endpoint_daily", "perf_query_daily"}
	col := func(table string) string {
		if strings.HasPrefix(table, "performance_metrics") {
			return "hour_bucket"
		}
		return "bucket"
	}
	// move the first day's rows back: hourly ones 100 days (past the 90-day default), daily
	// ones 500 days (past 400) and 300 days (kept)
	for _, table := range hourly {
		perfdbtest.Exec(t, pool, "UPDATE "+table+" SET "+col(table)+" = "+col(table)+" - interval '100 days' WHERE tenant_id = $1 AND "+col(table)+" < $2", tid, from.Add(24*time.Hour))
	}
	for _, table := range daily {
		perfdbtest.Exec(t, pool, "UPDATE "+table+" SET "+col(table)+" = "+col(table)+" - interval '500 days' WHERE tenant_id = $1 AND "+col(table)+" < $2", tid, from.Add(24*time.Hour))
		perfdbtest.Exec(t, pool, "UPDATE "+table+" SET "+col(table)+" = "+col(table)+" - interval '300 days' WHERE tenant_id = $1 AND "+col(table)+" >= $2 AND "+col(table)+" < $3",
			tid, from.Add(24*time.Hour), from.Add(48*time.Hour))
	}
	count := func(table, cond string) int64 {
		return perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM "+table+" WHERE tenant_id = $1 AND "+col(table)+" "+cond, tid, now)
	}
	for _, table := range append(hourly, daily...) {
		if count(table, "< $2::timestamptz - interval '90 days'") == 0 {
			t.Fatalf("%s: no old rows to test with", table)
		}
	}
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	metrics, _ := scheduler.NewMetrics(noop.NewMeterProvider())
	s := scheduler.New(cfg.schedulerConfig(), zap.NewNop(), metrics)
	defer s.Close()
	res, err := s.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.RollupRowsDropped == 0 {
		t.Error("no rollup rows dropped")
	}
	for _, table := range hourly {
		if n := count(table, "< $2::timestamptz - interval '90 days'"); n != 0 {
			t.Errorf("%s: %d hourly rows older than 90 days left", table, n)
		}
	}
	for _, table := range daily {
		if n := count(table, "< $2::timestamptz - interval '400 days'"); n != 0 {
			t.Errorf("%s: %d daily rows older than 400 days left", table, n)
		}
		if n := count(table, "BETWEEN $2::timestamptz - interval '400 days' AND $2::timestamptz - interval '200 days'"); n == 0 {
			t.Errorf("%s: the 300-day-old daily rows were dropped", table)
		}
	}
	for _, table := range hourly {
		if n := count(table, ">= $2::timestamptz - interval '3 days'"); n == 0 {
			t.Errorf("%s: recent rows dropped", table)
		}
	}
}

// An endpoint's trend compares it with the previous equal period: GET orders 4x slower than
// in the previous 6 hours is CRITICAL, POST checkout as fast as before is STABLE.
func TestEndpointTrendAgainstThePreviousPeriod(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	ep1, ep2, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	now := time.Now().UTC()
	to := now.Truncate(time.Hour)
	from := to.Add(-6 * time.Hour)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", from.Add(-7*time.Hour).Format(time.DateOnly), to.Format(time.DateOnly))
	// 100 requests an hour per endpoint over both periods; GET orders: 20 ms before, 80 ms now
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + g * interval '36 s', g, md5('t' || g)::uuid, $5::int, CASE WHEN g % 2 = 0 THEN $3::int ELSE $4::int END,
		       CASE WHEN g % 2 = 0 AND g >= 600 THEN 80000 ELSE 20000 END + g % 7, 100, 100, 200, $1::integer, false
		FROM generate_series(0, 1199) g`, tid, from.Add(-6*time.Hour), ep1, ep2, svc)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT DISTINCT $1::integer, date_trunc('hour', ts, 'UTC') FROM api_performance_log WHERE tenant_id = $1 ON CONFLICT DO NOTHING`, tid)
	perfgraphqltest.Refresh(t, pool, "acme")
	url := startExt(t, dsn, nil, "acme")
	d := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) {
		endpointMetrics(from: $from, to: $to) { method totalRequests trend } }`, fmtRange(from, to)))
	want := map[string]string{"GET": "CRITICAL", "POST": "STABLE"}
	eps := d["endpointMetrics"].([]any)
	if len(eps) != 2 {
		t.Fatalf("endpointMetrics %v", eps)
	}
	for _, e := range eps {
		m := e.(map[string]any)
		if m["trend"] != want[m["method"].(string)] || num(t, m["totalRequests"]) != 300 {
			t.Errorf("%v: want trend %s and 300 requests", m, want[m["method"].(string)])
		}
	}
}
