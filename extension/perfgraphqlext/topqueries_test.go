package perfgraphqlext

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

const (
	fpLoadLoop   = int64(0x0a01) // 40 calls of 2 ms in each GET orders request, 1 row each
	fpLoadOnce   = int64(0x0a02) // 1 call of 30 ms per GET orders request, rows not reported
	fpLoadReport = int64(0x0a03) // 5 unattributed calls of 500 ms, 1000 rows each
	fpLoadOther  = int64(0x0a04) // 10 calls of 100 ms by another service, 0 rows
)

// seedLoad plants the statement load of topQueries' tests in the hour starting at h for
// tenant name and refreshes its rollups; the DB spans of requests carry no endpoint, the
// refresh attributes them through their parent span.
func seedLoad(t *testing.T, pool *pgxpool.Pool, name string, h time.Time, spanBase int64) int32 {
	t.Helper()
	tid := perfgraphqltest.SeedTenant(t, pool, name, fpLoadLoop, fpLoadOnce, fpLoadReport, fpLoadOther)
	ep1, _, svc := perfgraphqltest.EndpointIDs(t, pool, tid)
	billing := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_services(tenant_id, name) VALUES ($1, $2) RETURNING service_id", tid, name+"-billing")
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $2::date)", h.AddDate(0, 0, -1).Format(time.DateOnly), h.AddDate(0, 0, 1).Format(time.DateOnly))
	// 100 GET orders requests of 200 ms, one every 30 s
	perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log
		SELECT $2::timestamptz + g * interval '30 s', $3 + g, md5($1::integer::text || '-' || g)::uuid, $4, $5, 200000, 100, 2000, 200, $1::integer, false
		FROM generate_series(0, 99) g`, tid, h, spanBase, svc, ep1)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + (k * 2 + 1) * interval '1 ms', $2, a.span_id * 1000 + k, a.span_id, a.trace_id, a.service_id, 0, 1, 2000, 1, a.tenant_id, false
		FROM api_performance_log a, generate_series(0, 39) k WHERE a.tenant_id = $1`, tid, fpLoadLoop)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT a.ts + interval '100 ms', $2, a.span_id * 1000 + 500, a.span_id, a.trace_id, a.service_id, 0, 1, 30000, -1, a.tenant_id, false
		FROM api_performance_log a WHERE a.tenant_id = $1`, tid, fpLoadOnce)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '5 min', $2, $4 + 900000 + g, 0, md5('report' || g)::uuid, $5, 0, 1, 500000, 1000, $1, false
		FROM generate_series(0, 4) g`, tid, fpLoadReport, h, spanBase, svc)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $3::timestamptz + g * interval '3 min', $2, $4 + 950000 + g, 0, md5('other' || g)::uuid, $5, 0, 1, 100000, 0, $1, false
		FROM generate_series(0, 9) g`, tid, fpLoadOther, h, spanBase, billing)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) VALUES ($1, $2)
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, tid, h)
	perfgraphqltest.Refresh(t, pool, name)
	return tid
}

const topQueriesFields = `queryHash summary normalizedQuery operation collection dbSystem calls errors totalTimeMs meanTimeMs
	p95TimeMs maxTimeMs rowsPerCall shareOfDbTime shareScope callsPerRequest
	endpoints { endpoint service method route calls totalTimeMs requests callsPerRequest }`

// topQueries ranks every statement of the range by the order asked for, with the share of
// all database time (of the tenant, or of the service when filtered), rows per call (null
// when no call reported rows) and calls per request; another tenant's load never shows.
func TestTopQueriesRankByLoad(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	h := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	seedLoad(t, pool, "acme", h, 1_000_000)
	// globex: the same fingerprints with ten times the load
	gid := seedLoad(t, pool, "globex", h, 5_000_000)
	perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
		SELECT $2::timestamptz + g * interval '1 s', $3, 7000000 + g, 0, md5('g' || g)::uuid, s.service_id, 0, 1, 90000, 3, $1, false
		FROM generate_series(0, 999) g, perf_services s WHERE s.tenant_id = $1 AND s.name = 'globex-api'`, gid, h, fpLoadOnce)
	perfdbtest.Exec(t, pool, `INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket) VALUES ($1, $2)
		ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()`, gid, h)
	perfgraphqltest.Refresh(t, pool, "globex")
	url := startExt(t, dsn, nil, "acme", "globex")

	top := func(token, args string) []map[string]any {
		t.Helper()
		d := mustData(t, query(t, url, token, fmt.Sprintf(`query($from: DateTime, $to: DateTime) { topQueries(from: $from, to: $to%s) { %s } }`, args, topQueriesFields),
			fmtRange(h, h.Add(time.Hour))))
		var out []map[string]any
		for _, x := range d["topQueries"].([]any) {
			out = append(out, x.(map[string]any))
		}
		return out
	}
	hashes := func(l []map[string]any) []string {
		var s []string
		for _, x := range l {
			s = append(s, x["queryHash"].(string))
		}
		return s
	}
	hx := func(fps ...int64) []string {
		var s []string
		for _, fp := range fps {
			s = append(s, fmt.Sprintf("%016x", uint64(fp)))
		}
		return s
	}

	// ranking for each order (database time: 8000 + 3000 + 2500 + 1000 ms)
	for _, c := range []struct {
		order string
		want  []string
	}{
		{"", hx(fpLoadLoop, fpLoadOnce, fpLoadReport, fpLoadOther)},
		{"TOTAL_TIME", hx(fpLoadLoop, fpLoadOnce, fpLoadReport, fpLoadOther)},
		{"CALLS", hx(fpLoadLoop, fpLoadOnce, fpLoadOther, fpLoadReport)},
		{"MEAN_TIME", hx(fpLoadReport, fpLoadOther, fpLoadOnce, fpLoadLoop)},
		{"P95_TIME", hx(fpLoadReport, fpLoadOther, fpLoadOnce, fpLoadLoop)},
		{"ROWS_PER_CALL", hx(fpLoadReport, fpLoadLoop, fpLoadOther, fpLoadOnce)},
	} {
		arg := ""
		if c.order != "" {
			arg = ", orderBy: " + c.order
		}
		if got := hashes(top("token-acme", arg)); !slices.Equal(got, c.want) {
			t.Errorf("orderBy %q: %v, want %v", c.order, got, c.want)
		}
	}
	if got := hashes(top("token-acme", ", orderBy: P95_TIME, limit: 2")); !slices.Equal(got, hx(fpLoadReport, fpLoadOther)) {
		t.Errorf("P95_TIME limit 2: %v", got)
	}

	all := top("token-acme", "")
	if b, err := json.MarshalIndent(all[:2], "", "  "); err == nil {
		t.Logf("topQueries (TOTAL_TIME), first two:\n%s", b)
	}
	byHash := map[string]map[string]any{}
	for _, x := range all {
		byHash[x["queryHash"].(string)] = x
	}
	loop, once, report, other := byHash[hx(fpLoadLoop)[0]], byHash[hx(fpLoadOnce)[0]], byHash[hx(fpLoadReport)[0]], byHash[hx(fpLoadOther)[0]]
	const total = 14500.0
	for _, c := range []struct {
		x                        map[string]any
		calls, totalMs, share    float64
		rowsPerCall, callsPerReq any
	}{
		{loop, 4000, 8000, 8000 / total, 1.0, 40.0},
		{once, 100, 3000, 3000 / total, nil, 1.0},
		{report, 5, 2500, 2500 / total, 1000.0, nil},
		{other, 10, 1000, 1000 / total, 0.0, nil},
	} {
		x := c.x
		if num(t, x["calls"]) != c.calls || math.Abs(num(t, x["totalTimeMs"])-c.totalMs) > 1e-6 ||
			math.Abs(num(t, x["meanTimeMs"])-c.totalMs/c.calls) > 1e-9 || math.Abs(num(t, x["shareOfDbTime"])-c.share) > 1e-9 ||
			x["shareScope"] != "TENANT" || x["rowsPerCall"] != c.rowsPerCall || x["callsPerRequest"] != c.callsPerReq {
			t.Errorf("%s: %v", x["queryHash"], x)
		}
		// every execution lasts the same: p95 is that duration within the histogram's 1%, and
		// never above the max (a bucket's value may lie above every duration in it)
		if p95, mx := num(t, x["p95TimeMs"]), num(t, x["maxTimeMs"]); p95 > mx || !within(p95, c.totalMs/c.calls, 0.01) {
			t.Errorf("%s: p95 %v, max %v", x["queryHash"], p95, mx)
		}
	}
	if loop["normalizedQuery"] != "SELECT * FROM orders WHERE id = ? /*acme*/" || loop["collection"] != "orders" || loop["dbSystem"] != "postgresql" {
		t.Errorf("names: %v", loop)
	}
	eps := loop["endpoints"].([]any)
	if len(eps) != 1 {
		t.Fatalf("endpoints of the loop: %v", eps)
	}
	ep := eps[0].(map[string]any)
	if ep["endpoint"] != "GET /acme/orders/{id}" || ep["method"] != "GET" || ep["route"] != "/acme/orders/{id}" || ep["service"] != "acme-api" ||
		num(t, ep["requests"]) != 100 || num(t, ep["calls"]) != 4000 || num(t, ep["callsPerRequest"]) != 40 {
		t.Errorf("loop endpoint: %v", ep)
	}
	if reps := report["endpoints"].([]any); len(reps) != 1 || reps[0].(map[string]any)["endpoint"] != "" || reps[0].(map[string]any)["callsPerRequest"] != nil {
		t.Errorf("unattributed endpoints: %v", reps)
	}

	// service filter: the shares are of the service's database time
	svc := top("token-acme", `, service: "acme-api"`)
	if got := hashes(svc); !slices.Equal(got, hx(fpLoadLoop, fpLoadOnce, fpLoadReport)) {
		t.Errorf("service: %v", got)
	}
	if s := svc[0]; s["shareScope"] != "SERVICE" || math.Abs(num(t, s["shareOfDbTime"])-8000.0/13500) > 1e-9 {
		t.Errorf("service share: %v", s)
	}
	// endpoint and method filters keep the executions of that endpoint; the share stays of the tenant
	ep1 := top("token-acme", `, endpoint: "GET /acme/orders/{id}"`)
	if got := hashes(ep1); !slices.Equal(got, hx(fpLoadLoop, fpLoadOnce)) || math.Abs(num(t, ep1[0]["shareOfDbTime"])-8000/total) > 1e-9 {
		t.Errorf("endpoint: %v", ep1)
	}
	if got := hashes(top("token-acme", `, method: "get"`)); !slices.Equal(got, hx(fpLoadLoop, fpLoadOnce)) {
		t.Errorf("method GET: %v", got)
	}
	if got := top("token-acme", `, method: "POST"`); len(got) != 0 {
		t.Errorf("method POST: %v", got)
	}

	// tenant isolation: globex sees its own load (fpLoadOnce on top), acme never does
	g := top("token-globex", "")
	if len(g) == 0 || g[0]["queryHash"] != hx(fpLoadOnce)[0] || num(t, g[0]["calls"]) != 1100 ||
		g[0]["normalizedQuery"] != "SELECT * FROM orders WHERE id = ? /*globex*/" {
		t.Errorf("globex: %v", g)
	}
	if num(t, once["calls"]) != 100 || once["normalizedQuery"] != "SELECT * FROM orders WHERE id = ? /*acme*/" {
		t.Errorf("acme sees globex: %v", once)
	}

	// limits: the list size is capped like every list
	r := query(t, url, "token-acme", `{ topQueries(limit: 100000) { queryHash } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("limit over the maximum accepted: %s", r.Raw)
	}
}

// The statement with most database time is a recommendation of its own (DOMINANT_QUERY) and
// shows in performanceOverview.topBottlenecks like every recommendation, with the figures
// topQueries shows for it.
func TestDominantStatementInTopBottlenecks(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	h := now.Truncate(time.Hour).Add(-2 * time.Hour)
	seedLoad(t, pool, "acme", h, 1_000_000)
	// the loop's 8 s is under the default floor of a statement's own time (10 s)
	cfg := optimizer.DefaultConfig()
	cfg.Dominant.MinTotalDuration = 5 * time.Second
	res, err := optimizer.New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	var dom *optimizer.Recommendation
	for i, r := range res.Recommendations {
		if r.Kind == optimizer.KindDominantQuery {
			if dom != nil {
				t.Errorf("second dominant statement: %s", r.Title)
			}
			dom = &res.Recommendations[i]
		}
	}
	if dom == nil || dom.Evidence.Fingerprints[0] != fmt.Sprintf("%016x", fpLoadLoop) {
		t.Fatalf("dominant statement: %+v", dom)
	}
	url := startExt(t, dsn, nil, "acme")
	d := mustData(t, query(t, url, "token-acme", `{ performanceOverview(timeRange: LAST_24_HOURS) { topBottlenecks { type severity recommendationId fingerprints } }
		recommendations(timeRange: LAST_24_HOURS) { id kind figures { name value } }
		topQueries(timeRange: LAST_24_HOURS, limit: 1) { queryHash shareOfDbTime callsPerRequest } }`, nil))
	var found bool
	for _, b := range d["performanceOverview"].(map[string]any)["topBottlenecks"].([]any) {
		b := b.(map[string]any)
		if b["recommendationId"] == dom.ID {
			found = b["type"] == "DOMINANT_QUERY" && b["severity"] == optimizer.High
		}
	}
	if !found {
		t.Errorf("dominant statement %s not in topBottlenecks as DOMINANT_QUERY HIGH: %v", dom.ID, d["performanceOverview"])
	}
	top := d["topQueries"].([]any)[0].(map[string]any)
	for _, r := range d["recommendations"].([]any) {
		r := r.(map[string]any)
		if r["id"] != dom.ID {
			continue
		}
		figs := map[string]float64{}
		for _, f := range r["figures"].([]any) {
			f := f.(map[string]any)
			figs[f["name"].(string)] = num(t, f["value"])
		}
		if r["kind"] != "DOMINANT_QUERY" || math.Abs(figs["share_of_db_time"]-num(t, top["shareOfDbTime"])) > 0.001 ||
			figs["calls_per_request"] != num(t, top["callsPerRequest"]) || figs["n_plus_one_endpoints"] != 1 {
			t.Errorf("recommendation %v against topQueries %v", r, top)
		}
	}
}
