//go:build bench

// Package bench measures the perfgraphql read path against a raw-rows baseline. Not part of
// go test ./... (build tag bench):
//
//	PERF_BENCH_SPANS_PER_DAY=20000 PERF_BENCH_DAYS=30 go test -tags bench -run TestBench -v -timeout 60m ./extension/perfgraphqlext/internal/bench
//
// It loads DAYS days of server spans (each with one DB span) for 3 tenants, 200 endpoints
// and 2000 fingerprints, refreshes the rollups, then times GraphQL queries (p95 over
// repeated calls) against the same answer computed from raw rows with percentile_cont,
// times the refresh of one hour, and reports the percentile error of the rollups.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func must(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func p95(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[(len(d)*95+99)/100-1]
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func TestBench(t *testing.T) {
	perDay, days := envInt("PERF_BENCH_SPANS_PER_DAY", 20000), envInt("PERF_BENCH_DAYS", 30)
	reps := envInt("PERF_BENCH_REPS", 20)
	pool, dsn := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-time.Duration(days) * 24 * time.Hour)
	must(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", start.Format(time.DateOnly), now.Format(time.DateOnly))
	for _, tn := range []string{"acme", "globex", "initech"} {
		must(t, pool, "INSERT INTO perf_tenants(name) VALUES ($1)", tn)
	}
	must(t, pool, `INSERT INTO perf_services(tenant_id, name) SELECT t, 'svc' || s FROM generate_series(1, 3) t, generate_series(1, 4) s`)
	must(t, pool, `INSERT INTO perf_endpoints(tenant_id, service_id, span_kind, method, route)
		SELECT s.tenant_id, s.service_id, 'server', 'GET', '/r' || e FROM perf_services s, generate_series(1, 50) e`) // 200 per tenant
	must(t, pool, `INSERT INTO query_fingerprints SELECT t, f, 'postgresql', 'SELECT', 't' || (f % 50), 'SELECT t' || (f % 50),
		'SELECT * FROM t' || (f % 50) || ' WHERE id = ? /*' || f || '*/', now() - interval '40 days', now()
		FROM generate_series(1, 3) t, generate_series(1, 2000) f`)

	load := time.Now()
	total := perDay * days
	// Endpoints are numbered 0..199 per tenant (their ids interleave across tenants). Spans
	// are spread evenly over the days, tenants 1..3 and endpoints. Each server span has one
	// DB span; half of them carry the endpoint, the other half are attributed by the refresh
	// (same trace). Each endpoint owns 10 fingerprints; 20% of its calls use fingerprints of
	// the next two endpoints, so a fingerprint is issued by 1 to 3 endpoints, as in real
	// services (not by every endpoint).
	must(t, pool, `CREATE TABLE bench_eprank AS SELECT tenant_id, endpoint_id, service_id,
		(row_number() OVER (PARTITION BY tenant_id ORDER BY endpoint_id) - 1)::int rn FROM perf_endpoints`)
	const chunk = 500000
	for off := 0; off < total; off += chunk {
		n := min(chunk, total-off)
		must(t, pool, `INSERT INTO api_performance_log
			SELECT $1::timestamptz + (g::float8 / $3) * ($4::float8 * interval '1 day'), g, md5(g::text)::uuid,
			       e.service_id, e.endpoint_id,
			       greatest(50, 30000 * exp(1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int,
			       200, 1500, CASE WHEN g % 40 = 0 THEN 500 ELSE 200 END, e.tenant_id, g % 40 = 0
			FROM generate_series($2::bigint, $2::bigint + $5 - 1) g
			JOIN bench_eprank e ON e.tenant_id = 1 + g % 3 AND e.rn = g * 7 % 200`,
			start, off, total, days, n)
		must(t, pool, `INSERT INTO query_performance_log
			SELECT ts + least(duration_us / 2, 1000) * interval '1 microsecond',
			       1 + ((span_id * 7 % 200 + CASE (span_id / 2000) % 10 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END) % 200) * 10 + (span_id / 200) % 10,
			       span_id + 1000000000000, span_id,
			       trace_id, service_id, CASE WHEN span_id % 2 = 0 THEN endpoint_id ELSE 0 END, 1, greatest(1, duration_us / 3), 10, tenant_id, false
			FROM api_performance_log WHERE span_id >= $1 AND span_id < $1 + $2`, off, n)
	}
	must(t, pool, "ANALYZE")
	t.Logf("loaded %d server + %d DB spans in %s", total, total, time.Since(load).Round(time.Second))
	must(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) SELECT DISTINCT tenant_id, date_trunc('hour', ts, 'UTC') FROM api_performance_log`)

	full := time.Now()
	for _, tn := range []string{"acme", "globex", "initech"} {
		must(t, pool, "SELECT refresh_performance_metrics_incremental($1, $2)", tn, minuteRetention)
	}
	fullDur := time.Since(full)
	// A running system's rollup tables are vacuumed and analyzed by autovacuum after the
	// refresh writes them: every table the reads use, minute rollups included (the ANALYZE
	// above ran before the refresh gave them rows: left out here, the edge reads would be
	// planned on the statistics of empty tables, which a running system does not see).
	must(t, pool, `VACUUM ANALYZE performance_metrics_cache, performance_metrics_daily, perf_endpoint_hourly, perf_endpoint_daily,
		perf_query_hourly, perf_query_daily, perf_rollup_state, perf_endpoint_minutely, perf_query_minutely,
		perf_service_minutely, perf_resource_hourly, perf_pool_hourly`)

	// one hour of tenant acme re-aggregated (as when late data marks it dirty)
	hour := now.Truncate(time.Hour).Add(-5 * time.Hour)
	var hourRows int64
	_ = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM api_performance_log WHERE tenant_id = 1 AND ts >= $1 AND ts < $1 + interval '1 hour')
		+ (SELECT count(*) FROM query_performance_log WHERE tenant_id = 1 AND ts >= $1 AND ts < $1 + interval '1 hour')`, hour).Scan(&hourRows)
	must(t, pool, "INSERT INTO rollup_dirty_hours VALUES (1, $1) ON CONFLICT DO NOTHING", hour)
	inc := time.Now()
	must(t, pool, "SELECT refresh_performance_metrics_incremental('acme', $1)", minuteRetention)
	incDur := time.Since(inc)

	// the extension's GraphQL endpoint
	addr := startAnonymous(t, dsn, "acme")
	gql := func(q string) {
		body, _ := json.Marshal(map[string]string{"query": q})
		resp, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Errors []any }
		_ = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if len(out.Errors) > 0 {
			t.Fatalf("%s: %v", q, out.Errors)
		}
	}
	// raw computes the same answer from the raw rows: $1 is the start of the range, $2 the
	// start of the previous equal period, which the trend fields of the GraphQL answers
	// (performanceTrend, trend) are computed against.
	raw := func(sql string, hours int) {
		from := time.Now().UTC().Truncate(time.Hour).Add(-time.Duration(hours) * time.Hour)
		rows, err := pool.Query(ctx, sql, from, from.Add(-time.Duration(hours)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	type qdef struct {
		name, gql, raw string
	}
	defs := []qdef{
		{"performanceOverview", `{ performanceOverview(timeRange: %s) { healthScore p95ResponseTimeMs p99ResponseTimeMs totalRequests errorRate performanceTrend } }`,
			`SELECT count(*) FILTER (WHERE ts >= $1), avg(duration_us) FILTER (WHERE ts >= $1),
			        percentile_cont(ARRAY[0.5,0.95,0.99]) WITHIN GROUP (ORDER BY duration_us) FILTER (WHERE ts >= $1),
			        count(*) FILTER (WHERE is_error AND ts >= $1),
			        count(*) FILTER (WHERE NOT is_error AND duration_us <= 500000 AND ts >= $1),
			        count(*) FILTER (WHERE NOT is_error AND duration_us <= 2000000 AND ts >= $1),
			        count(*) FILTER (WHERE ts < $1), count(*) FILTER (WHERE is_error AND ts < $1),
			        count(*) FILTER (WHERE NOT is_error AND duration_us <= 500000 AND ts < $1),
			        count(*) FILTER (WHERE NOT is_error AND duration_us <= 2000000 AND ts < $1)
			   FROM api_performance_log WHERE tenant_id = 1 AND ts >= $2`},
		{"slowQueries", `{ slowQueries(threshold: 1000, timeRange: %s, limit: 20) { queryHash executionTimeMs p95ExecutionTimeMs occurrenceCount } }`,
			`SELECT fingerprint, max(duration_us), count(*), percentile_cont(ARRAY[0.5,0.95,0.99]) WITHIN GROUP (ORDER BY duration_us)
			   FROM query_performance_log WHERE tenant_id = 1 AND ts >= $1 AND $2::timestamptz IS NOT NULL GROUP BY fingerprint HAVING max(duration_us) >= 1000000
			   ORDER BY max(duration_us) DESC LIMIT 20`},
		{"endpointMetrics", `{ endpointMetrics(timeRange: %s) { endpoint totalRequests p95ResponseTimeMs p99ResponseTimeMs trend } }`,
			`SELECT endpoint_id, count(*) FILTER (WHERE ts >= $1), count(*) FILTER (WHERE is_error AND ts >= $1),
			        percentile_cont(ARRAY[0.5,0.95,0.99]) WITHIN GROUP (ORDER BY duration_us) FILTER (WHERE ts >= $1),
			        count(*) FILTER (WHERE ts < $1), count(*) FILTER (WHERE is_error AND ts < $1),
			        percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) FILTER (WHERE ts < $1)
			   FROM api_performance_log WHERE tenant_id = 1 AND ts >= $2 GROUP BY endpoint_id`},
	}
	fmt.Printf("\n## perfgraphql read path: %d spans/day × %d days (+ as many DB spans), 3 tenants, 200 endpoints and 2000 fingerprints per tenant\n\n", perDay, days)
	fmt.Println("| query | range | GraphQL p95 (median) | raw percentile_cont p95 (median), same answer incl. the previous period of the trend | ratio of p95s (of medians) |")
	fmt.Println("|---|---|---|---|---|")
	for _, d := range defs {
		for _, tr := range []struct {
			name  string
			hours int
		}{{"LAST_HOUR", 1}, {"LAST_24_HOURS", 24}, {"LAST_30_DAYS", 720}} {
			q := fmt.Sprintf(d.gql, tr.name)
			gql(q)
			var g, r []time.Duration
			for range reps {
				t0 := time.Now()
				gql(q)
				g = append(g, time.Since(t0))
			}
			rreps := max(3, reps/4)
			for range rreps {
				t0 := time.Now()
				raw(d.raw, tr.hours)
				r = append(r, time.Since(t0))
			}
			gp, rp, gm, rm := p95(g), p95(r), median(g), median(r)
			fmt.Printf("| %s | %s | %.1f ms (%.1f) | %.1f ms (%.1f) | %.1f× (%.1f×) |\n", d.name, tr.name, ms(gp), ms(gm), ms(rp), ms(rm),
				float64(rp)/float64(gp), float64(rm)/float64(gm))
		}
	}

	// The optimization engine over the same data set (tenant acme, 30-day window): the first
	// run computes the N+1 groups of every hour of the window (none stored yet), the next
	// runs only those of the hours refreshed since (here: none but the current hour).
	// It runs on a connection like the scheduler's (optimizer.SessionParams: without them its
	// 30-day reads were JIT-compiled here, ~1 s of error_rate).
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	optimizer.UseSessionParams(pc.ConnConfig)
	enginePool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		t.Fatal(err)
	}
	defer enginePool.Close()
	ocfg := optimizer.DefaultConfig()
	ocfg.Window = time.Duration(days) * 24 * time.Hour
	en := optimizer.New(ocfg, nil)
	t0 := time.Now()
	if _, err := en.Run(ctx, enginePool, "acme", time.Now()); err != nil {
		t.Fatal(err)
	}
	first := time.Since(t0)
	var best time.Duration
	var slow map[string]time.Duration
	for range 3 {
		must(t, pool, "SELECT refresh_performance_metrics_incremental('acme', $1)", minuteRetention) // the current hour, as the scheduler does
		t0 := time.Now()
		res, err := en.Run(ctx, enginePool, "acme", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); best == 0 || d < best {
			best, slow = d, res.DetectorDurations
		}
	}
	fmt.Printf("\n| optimization engine, acme, %d-day window | time |\n|---|---|\n", days)
	fmt.Printf("| first run (N+1 groups of all %d hours computed) | %s |\n", days*24, first.Round(time.Millisecond))
	fmt.Printf("| run after a rollup refresh (best of 3) | %s |\n", best.Round(time.Millisecond))
	names := make([]string, 0, len(slow))
	for name := range slow {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Printf("| … of which detector %s | %s |\n", name, slow[name].Round(time.Millisecond))
	}

	var exact, got []float64
	from := now.Truncate(time.Hour).Add(-720 * time.Hour)
	if err := pool.QueryRow(ctx, `SELECT percentile_cont(ARRAY[0.5,0.95,0.99]) WITHIN GROUP (ORDER BY duration_us / 1000.0)
		FROM api_performance_log WHERE tenant_id = 1 AND ts >= $1`, from).Scan(&exact); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT ARRAY[p50_response_time_ms, p95_response_time_ms, p99_response_time_ms] FROM perf_summary_range(1::integer, $1, now())`, from).Scan(&got); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\n| percentile (acme, 30 days) | rollup | exact | error |\n|---|---|---|---|\n")
	for i, n := range []string{"p50", "p95", "p99"} {
		fmt.Printf("| %s | %.2f ms | %.2f ms | %+.3f%% |\n", n, got[i], exact[i], 100*(got[i]-exact[i])/exact[i])
	}

	// One past hour of acme receives PERF_BENCH_HOUR_ROWS new rows (half server spans, half
	// DB spans, half of those without endpoint), is marked dirty as the exporter does, and
	// one incremental refresh re-aggregates it (with the hour after it, the current hour and
	// the day it belongs to when that day is over), compared with the full recompute above.
	hourN := envInt("PERF_BENCH_HOUR_ROWS", 1000000) / 2
	bh := now.Truncate(time.Hour).Add(-2 * time.Hour)
	const base = 10_000_000_000
	must(t, pool, `INSERT INTO api_performance_log
		SELECT $1::timestamptz + ((g - $2)::float8 / $3) * interval '1 hour', g, md5(g::text)::uuid, e.service_id, e.endpoint_id,
		       greatest(50, 30000 * exp(1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int,
		       200, 1500, CASE WHEN g % 40 = 0 THEN 500 ELSE 200 END, 1, g % 40 = 0
		FROM generate_series($2::bigint, $2::bigint + $3 - 1) g
		JOIN bench_eprank e ON e.tenant_id = 1 AND e.rn = g * 7 % 200`, bh, base, hourN)
	must(t, pool, `INSERT INTO query_performance_log
		SELECT least(ts + least(duration_us / 2, 1000) * interval '1 microsecond', $2::timestamptz + interval '1 hour' - interval '1 microsecond'),
		       1 + ((span_id * 7 % 200 + CASE (span_id / 2000) % 10 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END) % 200) * 10 + (span_id / 200) % 10,
		       span_id + 1000000000000, span_id, trace_id, service_id, CASE WHEN span_id % 2 = 0 THEN endpoint_id ELSE 0 END, 1,
		       greatest(1, duration_us / 3), 10, tenant_id, false
		FROM api_performance_log WHERE tenant_id = 1 AND ts >= $2 AND ts < $2 + interval '1 hour' AND span_id >= $1`, base, bh)
	must(t, pool, "INSERT INTO rollup_dirty_hours VALUES (1, $1) ON CONFLICT DO NOTHING", bh)
	var bigRows int64
	_ = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM api_performance_log WHERE tenant_id = 1 AND ts >= $1 AND ts < $1 + interval '1 hour')
		+ (SELECT count(*) FROM query_performance_log WHERE tenant_id = 1 AND ts >= $1 AND ts < $1 + interval '1 hour')`, bh).Scan(&bigRows)
	var hoursDone int
	big := time.Now()
	if err := pool.QueryRow(ctx, "SELECT hours_refreshed FROM refresh_performance_metrics_incremental('acme', $1)", minuteRetention).Scan(&hoursDone); err != nil {
		t.Fatal(err)
	}
	bigDur := time.Since(big)
	fmt.Printf("\n| refresh | time | vs full recompute |\n|---|---|---|\n")
	fmt.Printf("| full recompute: %d days × 3 tenants (%d hours, %d server + %d DB spans) | %s | 1 |\n", days, days*24*3, total, total, fullDur.Round(time.Millisecond))
	// the refresh of an hour of a past day also re-merges that day into the daily rollups
	dayNote := func(h time.Time) string {
		if h.Truncate(24 * time.Hour).Before(now.Truncate(24 * time.Hour)) {
			return " + re-merge of its day"
		}
		return " (today: no day merge)"
	}
	fmt.Printf("| one dirty hour of acme (%d rows: server + DB spans) + current hour%s | %s | 1/%.0f |\n", hourRows, dayNote(hour), incDur.Round(time.Millisecond), float64(fullDur)/float64(incDur))
	fmt.Printf("| one hour of acme holding %d rows (%d new: server + DB spans), %d hours refreshed%s | %s | 1/%.1f |\n",
		bigRows, 2*hourN, hoursDone, dayNote(bh), bigDur.Round(time.Millisecond), float64(fullDur)/float64(bigDur))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// minuteRetention is the default retention.minute_rollups, which the scheduler passes to every
// refresh: hours wholly older than it get no minute rows, so the bench refreshes as it does.
var minuteRetention = perfgraphqlext.NewFactory().CreateDefaultConfig().(*perfgraphqlext.Config).Retention.MinuteRollups
