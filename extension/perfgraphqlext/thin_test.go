package perfgraphqlext

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/scheduler"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// thinFps are the fingerprints of seedThinTraffic: four statements every request runs, one
// that an endpoint runs in a loop (N+1), one with a leading-wildcard LIKE.
var thinFps = []int64{0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666}

// seedThinTraffic writes perHour requests per hour of [from, to) for tenant tid shaped as
// real traces: one server span and 2-4 DB spans of four statements (the first of them a
// steady 20-40 ms, slower in older hours, most of the database time: dominant, with example
// executions in sealed hours that only the slowest-per-hour rule keeps), a 10-execution loop of
// one statement under a tenth of the checkout requests, a leading-wildcard LIKE under one
// request in a hundred, 2% of requests failing with a 500, a few DB spans failing, log-normal
// latencies with a long tail; half the DB spans carry their endpoint (the request was in
// their batch), half not (the refresh attributes them). Resource and pool samples per minute.
func seedThinTraffic(t testing.TB, pool *pgxpool.Pool, tid int32, from, to time.Time, perHour int) {
	t.Helper()
	ep1, ep2, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly))
	perfdbtest.Exec(t, pool, `
		INSERT INTO api_performance_log
		SELECT h + (k * (3600.0 / $4)) * interval '1 second', $1::bigint * 10000000000 + extract(epoch FROM h)::bigint * 10 + k * 100000000000,
		       md5($1::text || h::text || k::text)::uuid, $5::int, CASE WHEN k % 3 = 0 THEN $7::int ELSE $6::int END,
		       greatest(2000, 40000 * exp(1.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int, 120, 2400,
		       CASE WHEN k % 50 = 7 THEN 500 WHEN k % 40 = 3 THEN 404 ELSE 200 END, $1::integer, k % 50 = 7
		FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') h, generate_series(0, $4 - 1) k`,
		tid, from, to, perHour, svc, ep1, ep2)
	// DB spans: j-th span of a request starts j ms after it and lasts a share of it
	perfdbtest.Exec(t, pool, `
		INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id, db_id,
		                                   duration_us, rows_returned, tenant_id, is_error, like_pattern)
		SELECT a.ts + (j * 1000) * interval '1 microsecond', ($4::bigint[])[1 + (a.span_id / 100000000000 + j) % 4],
		       a.span_id + 1 + j, a.span_id, a.trace_id, a.service_id,
		       CASE WHEN (a.span_id / 100000000000) % 2 = 0 THEN a.endpoint_id ELSE 0 END, 1,
		       CASE WHEN (a.span_id / 100000000000 + j) % 4 = 0
		            THEN 20000 + (random() * 20000)::int + 500 * (extract(epoch FROM $3::timestamptz - a.ts) / 3600)::int
		            ELSE greatest(100, (a.duration_us / 8 * (0.3 + random()))::int) END, (random() * 20)::int, a.tenant_id,
		       random() < 0.003, 0
		FROM api_performance_log a, generate_series(0, 1 + (a.span_id / 100000000000)::int % 3) j
		WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3`, tid, from, to, thinFps)
	perfdbtest.Exec(t, pool, `
		INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id, db_id,
		                                   duration_us, rows_returned, tenant_id, is_error, like_pattern)
		SELECT a.ts + ((10 + j) * 1000) * interval '1 microsecond', $4, a.span_id + 10 + j, a.span_id, a.trace_id, a.service_id,
		       0, 1, 6000 + (random() * 2000)::int, 1, a.tenant_id, false, 0
		FROM api_performance_log a, generate_series(0, 9) j
		WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3 AND a.endpoint_id = $5 AND (a.span_id / 100000000000) % 10 = 1`,
		tid, from, to, thinFps[4], ep2)
	perfdbtest.Exec(t, pool, `
		INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id, db_id,
		                                   duration_us, rows_returned, tenant_id, is_error, like_pattern)
		SELECT a.ts + interval '30 milliseconds', $4, a.span_id + 30, a.span_id, a.trace_id, a.service_id, a.endpoint_id, 1,
		       20000 + (random() * 30000)::int, 3, a.tenant_id, false, 3
		FROM api_performance_log a
		WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3 AND (a.span_id / 100000000000) % 100 = 42`, tid, from, to, thinFps[5])
	perfdbtest.Exec(t, pool, `
		INSERT INTO system_resource_metrics SELECT m, $1, i.instance_id, 20 + 10 * random(), 500e6, 2e9, 100e6, 200e6, 3, 5
		FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', interval '1 minute') m, perf_instances i
		WHERE i.tenant_id = $1`, tid, from, to)
	perfdbtest.Exec(t, pool, `
		INSERT INTO db_pool_metrics SELECT m, $1, i.instance_id, 'main', 5 + (random() * 4)::int, 2, 10, 0, 1.5
		FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', interval '1 minute') m, perf_instances i
		WHERE i.tenant_id = $1`, tid, from, to)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT $1::integer, h FROM generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') h
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, from, to)
}

// markAllDirty marks every hour of tid that has rollups for the refresh: the worst case of
// late data, every hour re-aggregated (or, sealed, merged).
func markAllDirty(t testing.TB, pool *pgxpool.Pool, tid int32) {
	t.Helper()
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
		SELECT tenant_id, hour_bucket FROM performance_metrics_cache WHERE tenant_id = $1
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid)
}

// gqlSelection builds the selection set of every field of typ (object types recursively,
// fields with required arguments left out), from the schema's introspection: a test that
// compares whole answers then compares every field the API has, including fields added later.
type gqlType struct {
	Kind   string
	Name   *string
	OfType *gqlType
}

type gqlField struct {
	Name string
	Args []struct {
		Type gqlType
	}
	Type gqlType
}

func introspectFields(t *testing.T, url, token string) map[string][]gqlField {
	t.Helper()
	d := mustData(t, query(t, url, token, `{ __schema { types { name fields { name args { type { kind name ofType { kind name } } }
		type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`, nil))
	raw, _ := json.Marshal(d["__schema"])
	var s struct {
		Types []struct {
			Name   string
			Fields []gqlField
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	out := map[string][]gqlField{}
	for _, ty := range s.Types {
		out[ty.Name] = ty.Fields
	}
	return out
}

func namedType(ty gqlType) (string, string) {
	for ty.OfType != nil && (ty.Kind == "NON_NULL" || ty.Kind == "LIST") {
		ty = *ty.OfType
	}
	if ty.Name == nil {
		return ty.Kind, ""
	}
	return ty.Kind, *ty.Name
}

func gqlSelection(types map[string][]gqlField, typ string, depth int) string {
	var parts []string
	for _, f := range types[typ] {
		required := false
		for _, a := range f.Args {
			if a.Type.Kind == "NON_NULL" {
				required = true
			}
		}
		if required {
			continue
		}
		kind, name := namedType(f.Type)
		if kind == "OBJECT" {
			if depth <= 0 {
				continue
			}
			parts = append(parts, f.Name+" { "+gqlSelection(types, name, depth-1)+" }")
			continue
		}
		parts = append(parts, f.Name)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// thinAnswers are the answers of every read query of the API over the given ranges, each
// as its JSON, with the recommendations' episode times left out (they say when a run saw a
// problem, not what the data says).
func thinAnswers(t *testing.T, url, token string, ranges [][2]time.Time, fps []int64, endpoints []string) map[string]string {
	t.Helper()
	types := introspectFields(t, url, token)
	root := map[string]gqlField{}
	for _, f := range types["Query"] {
		root[f.Name] = f
	}
	sel := func(field string) string {
		f, ok := root[field]
		if !ok {
			t.Fatalf("no query %s", field)
		}
		_, name := namedType(f.Type)
		if s := gqlSelection(types, name, 3); s != "" {
			return " { " + s + " }"
		}
		return ""
	}
	out := map[string]string{}
	ask := func(key, q string) {
		d := mustData(t, query(t, url, token, q, nil))
		scrubDetected(d)
		b, _ := json.Marshal(d)
		out[key] = string(b)
	}
	// recommendations are selected by when the engine detected them, not by the data's time
	ask("recommendations", "{ recommendations(timeRange: LAST_7_DAYS)"+sel("recommendations")+" }")
	for i, r := range ranges {
		rg := fmt.Sprintf(`from: "%s", to: "%s"`, r[0].UTC().Format(time.RFC3339), r[1].UTC().Format(time.RFC3339))
		for _, f := range []string{"performanceOverview", "endpointMetrics", "databasePoolMetrics", "topQueries"} {
			ask(fmt.Sprintf("%d/%s", i, f), fmt.Sprintf("{ %s(%s)%s }", f, rg, sel(f)))
		}
		ask(fmt.Sprintf("%d/slowQueries", i), fmt.Sprintf("{ slowQueries(%s, threshold: 1)%s }", rg, sel("slowQueries")))
		for _, iv := range []string{"1h", "5m"} {
			ask(fmt.Sprintf("%d/resourceUtilization/%s", i, iv), fmt.Sprintf(`{ resourceUtilization(%s, interval: "%s")%s }`, rg, iv, sel("resourceUtilization")))
		}
		ask(fmt.Sprintf("%d/trafficSeries/1h", i), fmt.Sprintf(`{ trafficSeries(%s, interval: "1h")%s }`, rg, sel("trafficSeries")))
		if r[1].Sub(r[0]) <= 8*time.Hour {
			ask(fmt.Sprintf("%d/trafficSeries/5m", i), fmt.Sprintf(`{ trafficSeries(%s, interval: "5m")%s }`, rg, sel("trafficSeries")))
		}
		for _, fp := range fps {
			ask(fmt.Sprintf("%d/queryDetail/%016x", i, uint64(fp)), fmt.Sprintf(`{ queryDetail(fingerprint: "%016x", %s)%s }`, uint64(fp), rg, sel("queryDetail")))
		}
		for _, ep := range endpoints {
			ask(fmt.Sprintf("%d/endpointDetail/%s", i, ep), fmt.Sprintf(`{ endpointDetail(endpoint: %q, %s)%s }`, ep, rg, sel("endpointDetail")))
		}
	}
	return out
}

// scrubDetected leaves out of a recommendation when the engine saw it: its episode times and
// the end of the run's window (the run's clock, to the sub-second; the texts name its minute,
// which the test's clock keeps).
func scrubDetected(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "firstDetected")
		delete(x, "lastDetected")
		if ev, ok := x["evidence"].(string); ok {
			var m map[string]any
			if json.Unmarshal([]byte(ev), &m) == nil {
				delete(m, "windowTo")
				b, _ := json.Marshal(m)
				x["evidence"] = string(b)
			}
		}
		for _, e := range x {
			scrubDetected(e)
		}
	case []any:
		for _, e := range x {
			scrubDetected(e)
		}
	}
}

// thinScheduler is a scheduler over dsn with the engine running on every tick that has new data.
func thinScheduler(t *testing.T, dsn string, mutate func(*Config), clock ...func() time.Time) *scheduler.Scheduler {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.Optimizer.MinInterval = 0
	if mutate != nil {
		mutate(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	metrics, err := scheduler.NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	s := scheduler.New(cfg.schedulerConfig(), zap.NewNop(), metrics)
	t.Cleanup(s.Close)
	for _, c := range clock {
		s.SetClock(c)
	}
	return s
}

func tick(t *testing.T, s *scheduler.Scheduler) scheduler.TickResult {
	t.Helper()
	res, err := s.Tick(tctx(t))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Thinning the DB spans of sealed hours (keep_interesting) changes no GraphQL answer: every
// read query over ranges of sealed hours (whole hours, minute edges, with unsealed hours)
// answers the same JSON before and after, with the rollups refreshed and the engine re-run
// on the thinned rows (every hour marked dirty, the worst case), while most DB-span rows are gone.
func TestThinningKeepsEveryAnswer(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", thinFps...)
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-20 * time.Hour)
	seedThinTraffic(t, pool, tid, start, now.Truncate(time.Hour).Add(-2*time.Hour), 300)
	assertThinningKeepsAnswers(t, pool, dsn, "acme", start, now, thinFps, []string{"GET /acme/orders/{id}", "POST /acme/checkout"})
}

// thinDetectors lowers the thresholds of the detectors whose evidence reads request rows, so
// that the traffic gives their recommendations: caching (the 3 slowest requests of an
// endpoint as example traces) and the 5xx state of error_rate (the 5xx breakdown by status,
// failed requests as example traces).
func thinDetectors(c *Config) {
	c.Optimizer.Cache.MinAvgDuration = time.Millisecond
	c.Optimizer.Cache.MaxErrorRate = 1
	c.Optimizer.ErrorRate.State.MinShare = 0.01
}

// traceIDsOf are the example trace ids (exampleTraceIds, also inside an evidence string) an
// answer names, in order, each once.
func traceIDsOf(answer string) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range regexp.MustCompile(`exampleTraceIds\\?":\[([^\]]*)\]`).FindAllStringSubmatch(answer, -1) {
		for _, id := range regexp.MustCompile(`[0-9a-f]{32}`).FindAllString(list[1], -1) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// assertThinningKeepsAnswers takes the answers of tenant's traffic stored from start (and
// ending at least 2 hours before now), seals and thins with keep_interesting, refreshes every
// hour and re-runs the engine, and compares the answers, those of traceDbSpans for every
// example trace of the recommendations included.
func assertThinningKeepsAnswers(t *testing.T, pool *pgxpool.Pool, dsn, tenant string, start, now time.Time, fps []int64, endpoints []string) {
	t.Helper()
	tid := perfdbtest.Scalar[int32](t, pool, "SELECT tenant_id FROM perf_tenants WHERE name = $1", tenant)
	// every tick in one minute (a second apart): the engine's texts name their window to the minute
	minute := time.Now().UTC().Truncate(time.Minute)
	var ticks atomic.Int64
	clock := func() time.Time { return minute.Add(time.Duration(ticks.Add(1)) * 100 * time.Millisecond) }
	// before: no horizon; two engine runs so that the recommendations are ONGOING, as after
	before := thinScheduler(t, dsn, thinDetectors, clock)
	if res := tick(t, before); !res.OptimizerRan || res.Recommendations == 0 {
		t.Fatalf("engine: ran %v, %d recommendations; the traffic should give some", res.OptimizerRan, res.Recommendations)
	}
	markAllDirty(t, pool, tid)
	tick(t, before)
	before.Close()

	url := startExt(t, dsn, nil, tenant)
	token := "token-" + tenant
	edge := now.Truncate(time.Minute)
	ranges := [][2]time.Time{
		{start, start.Add(12 * time.Hour)},                                                    // sealed whole hours
		{start.Add(90*time.Minute + 17*time.Second), start.Add(5*time.Hour + 43*time.Minute)}, // sealed, minute edges
		{start.Add(3 * time.Hour), edge},                                                      // sealed and unsealed
	}
	want := thinAnswers(t, url, token, ranges, fps, endpoints)
	traces := traceIDsOf(want["recommendations"])
	for _, cat := range []string{`"category":"CACHE"`, `"category":"ERROR"`, `"category":"CODE"`} {
		if !strings.Contains(want["recommendations"], cat) {
			t.Errorf("no recommendation of %s: the test should compare its evidence", cat)
		}
	}
	traceAnswers := func() map[string]string {
		out := map[string]string{}
		rg := fmt.Sprintf(`from: "%s", to: "%s"`, start.UTC().Format(time.RFC3339), edge.UTC().Format(time.RFC3339))
		for _, id := range traces {
			d := mustData(t, query(t, url, token, fmt.Sprintf(`{ traceDbSpans(traceId: %q, %s) { traceId truncated
				request { label service startOffsetMs durationMs } spans { queryHash summary startOffsetMs durationMs isError } } }`, id, rg), nil))
			b, _ := json.Marshal(d)
			out["traceDbSpans/"+id] = string(b)
		}
		return out
	}
	maps.Copy(want, traceAnswers())
	rowsBefore := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE tenant_id = $1", tid)
	requestsBefore := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", tid)

	after := thinScheduler(t, dsn, func(c *Config) {
		thinDetectors(c)
		c.Retention.LateDataHorizon = 6 * time.Hour
		c.Retention.RawSpans = RawSpansKeepInteresting
	}, clock)
	res := tick(t, after)
	if res.Sealed.Hours < 12 || res.Sealed.RowsThinned == 0 {
		t.Fatalf("sealed %d hours, thinned %d rows; want the 12+ hours past the horizon thinned", res.Sealed.Hours, res.Sealed.RowsThinned)
	}
	// the records list every row thinning deleted, their counts are their lists' lengths,
	// and together they are what the seals returned
	var listed, counted int64
	if err := pool.QueryRow(t.Context(), `SELECT coalesce(sum(cardinality(query_thinned_spans) + cardinality(api_thinned_spans)), 0),
		coalesce(sum(query_thinned + api_thinned), 0) FROM perf_sealed_hours WHERE tenant_id = $1`, tid).Scan(&listed, &counted); err != nil {
		t.Fatal(err)
	}
	gone := rowsBefore + requestsBefore -
		perfdbtest.Scalar[int64](t, pool, "SELECT (SELECT count(*) FROM query_performance_log WHERE tenant_id = $1) + (SELECT count(*) FROM api_performance_log WHERE tenant_id = $1)", tid)
	if listed != gone || counted != gone || res.Sealed.RowsThinned != gone {
		t.Errorf("%d rows deleted; the records list %d and count %d, the seals returned %d", gone, listed, counted, res.Sealed.RowsThinned)
	}
	markAllDirty(t, pool, tid)
	if res := tick(t, after); !res.OptimizerRan {
		t.Fatal("the engine did not run again after the thinning")
	}
	rowsAfter := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE tenant_id = $1", tid)
	if rowsAfter*2 > rowsBefore {
		t.Errorf("DB-span rows %d -> %d: keep_interesting should drop most of them", rowsBefore, rowsAfter)
	}
	requestsAfter := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM api_performance_log WHERE tenant_id = $1", tid)
	if requestsAfter*2 > requestsBefore {
		t.Errorf("request rows %d -> %d: keep_interesting should drop most of those of the sealed hours", requestsBefore, requestsAfter)
	}
	t.Logf("DB-span rows %d -> %d, request rows %d -> %d, %d example traces", rowsBefore, rowsAfter, requestsBefore, requestsAfter, len(traces))

	got := thinAnswers(t, url, token, ranges, fps, endpoints)
	maps.Copy(got, traceAnswers())
	hasResources := perfdbtest.Scalar[bool](t, pool, "SELECT EXISTS (SELECT 1 FROM system_resource_metrics WHERE tenant_id = $1)", tid)
	if len(got) != len(want) {
		t.Fatalf("%d answers, want %d", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			i := 0
			for i < len(w) && i < len(got[k]) && w[i] == got[k][i] {
				i++
			}
			lo := max(0, i-200)
			t.Errorf("%s changed by thinning at byte %d:\nbefore ...%s\nafter  ...%s", k, i, w[lo:min(len(w), i+300)], got[k][lo:min(len(got[k]), i+300)])
		}
		if strings.Contains(k, "resourceUtilization") && !hasResources {
			continue // traffic without resource metrics: nothing to compare, nothing thinned either
		}
		if strings.HasPrefix(k, "traceDbSpans/") {
			if !strings.Contains(w, `"request":{`) {
				t.Errorf("%s shows no request: %s", k, w)
			}
			continue
		}
		if !strings.Contains(w, "[{") && !strings.Contains(w, `":{`) {
			t.Errorf("%s answered nothing to compare: %s", k, w)
		}
	}
	// and the recommendations carried evidence read from the raw rows (example executions)
	if !strings.Contains(want["recommendations"], "exampleTraceIds\":[\"") {
		t.Errorf("no recommendation with example traces: %s", want["recommendations"])
	}
}

// A late span of a sealed hour is added to its rollups, and the result equals what a recompute
// of the hour from all its rows gives (hour, minutes, per-tenant row, day); replaying it counts
// it once.
func TestLateSpansMergeIntoSealedHour(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", thinFps...)
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-30 * time.Hour)
	seedThinTraffic(t, pool, tid, start, start.Add(4*time.Hour), 60)
	s := thinScheduler(t, dsn, func(c *Config) {
		c.Optimizer.Enabled = false
		c.Retention.LateDataHorizon = 6 * time.Hour // keep_all: the merge is compared with a recompute
	})
	tick(t, s)
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_sealed_hours WHERE tenant_id = $1", tid); n != 4 {
		t.Fatalf("%d sealed hours, want 4", n)
	}
	hour := start.Add(2 * time.Hour)
	ep1, _, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	late := func() {
		// a late request with its own DB span, and a late DB span of a request already counted
		perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES ($1, 777001, md5('late')::uuid, $2, $3, 9000000, 10, 20, 503, $4, true)
			ON CONFLICT DO NOTHING`, hour.Add(59*time.Minute+30*time.Second), svc, ep1, tid)
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id,
			db_id, duration_us, rows_returned, tenant_id, is_error, like_pattern)
			VALUES ($1, $2, 777002, 777001, md5('late')::uuid, $3, 0, 1, 2500000, 7, $4, false, 0)
			ON CONFLICT DO NOTHING`, hour.Add(59*time.Minute+31*time.Second), thinFps[0], svc, tid)
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id,
			db_id, duration_us, rows_returned, tenant_id, is_error, like_pattern)
			SELECT a.ts + interval '1 microsecond', $2, 777003, a.span_id, a.trace_id, a.service_id, 0, 1, 33, -1, a.tenant_id, true, 0
			FROM api_performance_log a WHERE a.tenant_id = $1 AND a.ts >= $3 ORDER BY a.ts LIMIT 1
			ON CONFLICT DO NOTHING`, tid, thinFps[1], hour)
		perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours VALUES ($1, $2) ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, hour)
	}
	snapshot := func() string {
		var b strings.Builder
		for _, q := range []string{
			`SELECT endpoint_id, service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us, req_bytes_sum, req_bytes_n,
			        resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt, lat_pack FROM perf_endpoint_hourly WHERE tenant_id = $1 AND bucket = $2 ORDER BY 1`,
			`SELECT bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us, lat_idx, lat_cnt, err_idx, err_cnt
			   FROM perf_endpoint_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2::timestamptz + interval '1 hour' ORDER BY 1, 2`,
			`SELECT fingerprint, endpoint_id, service_id, calls, errors, slow_calls, sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt
			   FROM perf_query_hourly WHERE tenant_id = $1 AND bucket = $2 ORDER BY 1, 2, 3`,
			`SELECT bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls, sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt
			   FROM perf_query_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2::timestamptz + interval '1 hour' ORDER BY 1, 2, 3, 4`,
			`SELECT * FROM perf_service_minutely WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $2::timestamptz + interval '1 hour' ORDER BY 2, 3`,
			`SELECT total_requests, failed_requests, sum_response_us, max_response_us, lat_idx, lat_cnt, err_idx, err_cnt, total_queries,
			        slow_query_count, sum_query_us, failed_queries, q_idx, q_cnt, p95_response_time_ms, health_score
			   FROM performance_metrics_cache WHERE tenant_id = $1 AND hour_bucket = $2`,
			`SELECT total_requests, failed_requests, sum_response_us, total_queries, sum_query_us, lat_idx, lat_cnt
			   FROM performance_metrics_daily WHERE tenant_id = $1 AND hour_bucket = date_trunc('day', $2::timestamptz, 'UTC')`,
		} {
			rows, err := pool.Query(tctx(t), q, tid, hour)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				v, err := rows.Values()
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, v...)
			}
			rows.Close()
		}
		return b.String()
	}
	// the late rows fall in minutes that have service rows already: their merge is exercised
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_service_minutely WHERE tenant_id = $1 AND bucket IN ($2, $3)`,
		tid, hour, hour.Add(59*time.Minute)); n != 2 {
		t.Fatalf("%d service minute rows in the late rows' minutes, want 2", n)
	}
	beforeLate := snapshot()
	late()
	tick(t, s)
	merged := snapshot()
	if merged == beforeLate {
		t.Fatal("the late spans changed nothing")
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_rollup_refresh_log WHERE tenant_id = $1 AND hour_bucket = $2", tid, hour); n < 2 {
		t.Fatalf("the sealed hour was refreshed %d times", n)
	}
	late() // a replay: the rows are stored already, nothing is added twice
	tick(t, s)
	if again := snapshot(); again != merged {
		t.Errorf("a replay changed the sealed hour:\n%s\nwant\n%s", again, merged)
	}

	// the same hour recomputed from all its rows, as an unsealed hour is
	perfdbtest.Exec(t, pool, "DELETE FROM perf_sealed_hours WHERE tenant_id = $1 AND bucket = $2", tid, hour)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_hour($1, $2)", tid, hour)
	perfdbtest.Exec(t, pool, "SELECT perf_refresh_day($1, date_trunc('day', $2::timestamptz, 'UTC'))", tid, hour)
	if recomputed := snapshot(); recomputed != merged {
		t.Errorf("merged late spans differ from a recompute:\nmerged\n%s\nrecomputed\n%s", merged, recomputed)
	}
}

// A changed N+1 rule reaches the unsealed hours only: the engine's stale-hours query skips
// sealed ones, whose groups it reads under the rule they were sealed with.
func TestNPlusOneRuleChangeSparesSealedHours(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", thinFps...)
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-10 * time.Hour)
	seedThinTraffic(t, pool, tid, start, now.Truncate(time.Hour), 60)
	s := thinScheduler(t, dsn, func(c *Config) {
		c.Retention.LateDataHorizon = 6 * time.Hour
		c.Retention.RawSpans = RawSpansKeepInteresting
	})
	tick(t, s)
	sealed := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_sealed_hours WHERE tenant_id = $1", tid)
	if sealed == 0 {
		t.Fatal("nothing sealed")
	}
	s.Close()
	s2 := thinScheduler(t, dsn, func(c *Config) {
		c.Retention.LateDataHorizon = 6 * time.Hour
		c.Retention.RawSpans = RawSpansKeepInteresting
		c.Optimizer.NPlusOne.MinRepetitions = 11 // the seeded loops have 10: no group under the new rule
	})
	markAllDirty(t, pool, tid)
	tick(t, s2)
	// sealed hours keep their groups (of the old rule), unsealed ones have none under the new
	var sealedGroups, unsealedGroups int64
	if err := pool.QueryRow(tctx(t), `SELECT count(*) FILTER (WHERE s.bucket IS NOT NULL), count(*) FILTER (WHERE s.bucket IS NULL)
		FROM perf_nplusone_hourly h LEFT JOIN perf_sealed_hours s ON s.tenant_id = h.tenant_id AND s.bucket = h.bucket
		WHERE h.tenant_id = $1`, tid).Scan(&sealedGroups, &unsealedGroups); err != nil {
		t.Fatal(err)
	}
	if sealedGroups == 0 || unsealedGroups != 0 {
		t.Errorf("groups: %d in sealed hours (want > 0), %d in unsealed hours (want 0 under the new rule)", sealedGroups, unsealedGroups)
	}
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_nplusone_hours k JOIN perf_sealed_hours s USING (tenant_id, bucket)
		WHERE k.tenant_id = $1 AND k.min_repetitions = 11`, tid); n != 0 {
		t.Errorf("%d sealed hours were recomputed under the new rule", n)
	}
}

// A seal that finds its hour marked dirty when done (rows committed while it ran) undoes
// itself: nothing deleted, nothing recorded; perf_seal_hours skips the hour for a later tick.
func TestSealUndoneWhenRowsArriveMeanwhile(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", thinFps...)
	start := time.Now().UTC().Truncate(time.Hour).Add(-12 * time.Hour)
	seedThinTraffic(t, pool, tid, start, start.Add(2*time.Hour), 60)
	perfgraphqltest.Refresh(t, pool, "acme")
	rows := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE tenant_id = $1", tid)
	// the mark a writer leaves with its rows, as if committed while the seal ran
	perfdbtest.Exec(t, pool, "INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) VALUES ($1, $2)", tid, start)
	_, err := pool.Exec(tctx(t), "SELECT perf_seal_hour($1, $2, 'keep_interesting', 0, 2000000, 1000000)", tid, start)
	if err == nil || !strings.Contains(err.Error(), "PX001") {
		t.Fatalf("seal of a dirty hour: %v, want SQLSTATE PX001", err)
	}
	var hours int
	var thinned int64
	if err := pool.QueryRow(tctx(t), "SELECT * FROM perf_seal_hours('acme', $1, $2, 'keep_interesting', 0, 2000000, 1000000, 24)",
		start.Add(-time.Hour), start.Add(2*time.Hour)).Scan(&hours, &thinned); err != nil {
		t.Fatal(err)
	}
	// the dirty hour and the one after it wait; the seal re-checks what the candidate list saw
	if hours != 0 || thinned != 0 {
		t.Errorf("sealed %d hours, thinned %d rows; want none while the first hour is dirty", hours, thinned)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE tenant_id = $1", tid); n != rows {
		t.Errorf("%d DB-span rows, want %d", n, rows)
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM perf_sealed_hours"); n != 0 {
		t.Errorf("%d sealed hours recorded", n)
	}
}

// A request that starts in a sealed hour and ends in the next one may own DB spans of that
// hour, which is refreshed (and thinned) later: thinning the sealed hour keeps it, so they
// are attributed to its endpoint as before. Here it is neither slow, failed, one of its
// endpoint's 3 slowest nor its service's latest of the hour, and has no DB span in its hour.
func TestThinningKeepsRequestsReachingTheNextHour(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "acme", thinFps...)
	h := time.Now().UTC().Truncate(time.Hour).Add(-12 * time.Hour)
	seedThinTraffic(t, pool, tid, h, h.Add(2*time.Hour), 60)
	ep1, _, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log VALUES
		($1::timestamptz + interval '59 minutes 59.9 seconds', 888001, md5('straddle')::uuid, $2, $3, 300000, 10, 20, 200, $4, false),
		($1::timestamptz + interval '59 minutes 59.95 seconds', 888002, md5('latest')::uuid, $2, $3, 1000, 10, 20, 200, $4, false),
		($1::timestamptz + interval '10 minutes', 888003, md5('slow1')::uuid, $2, $3, 1900000, 10, 20, 200, $4, false),
		($1::timestamptz + interval '20 minutes', 888004, md5('slow2')::uuid, $2, $3, 1900000, 10, 20, 200, $4, false),
		($1::timestamptz + interval '30 minutes', 888005, md5('slow3')::uuid, $2, $3, 1900000, 10, 20, 200, $4, false)`, h, svc, ep1, tid)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id,
		db_id, duration_us, rows_returned, tenant_id, is_error, like_pattern)
		VALUES ($1::timestamptz + interval '1 hour 0.1 second', $2, 888011, 888001, md5('straddle')::uuid, $3, 0, 1, 500, 1, $4, false, 0)`,
		h, thinFps[1], svc, tid)
	perfgraphqltest.Refresh(t, pool, "acme")
	attributed := func() int32 {
		return perfdbtest.Scalar[int32](t, pool, `SELECT endpoint_id FROM perf_attributed_queries($1, $2, $3) WHERE span_id = 888011`,
			tid, h.Add(time.Hour), h.Add(2*time.Hour))
	}
	if got := attributed(); got != ep1 {
		t.Fatalf("before thinning the DB span is attributed to endpoint %d, want %d", got, ep1)
	}
	var hours int
	var thinned int64
	if err := pool.QueryRow(tctx(t), "SELECT * FROM perf_seal_hours('acme', $1, $2, 'keep_interesting', 0, 2000000, 1000000, 24)",
		h, h.Add(time.Hour)).Scan(&hours, &thinned); err != nil {
		t.Fatal(err)
	}
	if hours != 1 || perfdbtest.Scalar[int64](t, pool, "SELECT api_thinned FROM perf_sealed_hours WHERE tenant_id = $1", tid) == 0 {
		t.Fatalf("sealed %d hours, thinned no request row", hours)
	}
	if got := attributed(); got != ep1 {
		t.Errorf("after thinning the DB span is attributed to endpoint %d, want %d", got, ep1)
	}
}
