package perfgraphqlext

import (
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// What the dashboard reads besides the figures: NO_DATA and the time of the latest request,
// the caller (tenant, anonymous, trace URL), endpoint rows as route + method + label, the
// database spans of one trace (tenant-scoped), pool history and detail series at minute
// buckets.
func TestDashboardReads(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	acme := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	perfgraphqltest.SeedTenant(t, pool, "globex")
	h := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, acme, h, h.Add(time.Hour), 30, fpA, 1)
	perfgraphqltest.Refresh(t, pool, "acme")
	const traceURL = "https://tempo.example/explore?trace={trace_id}"
	url := startExt(t, dsn, func(c *Config) {
		c.Tenants.AnonymousTenant = "visitors"
		c.Dashboard.TraceURL = traceURL
	}, "acme", "globex")

	// NO_DATA: no request in the range, with or without earlier ones
	overview := func(token, tr string) map[string]any {
		d := mustData(t, query(t, url, token, `{ performanceOverview(timeRange: `+tr+`) { status hasData lastDataAt healthScore } }`, nil))
		return d["performanceOverview"].(map[string]any)
	}
	if o := overview("token-globex", "LAST_24_HOURS"); o["status"] != "NO_DATA" || o["hasData"] != false || o["lastDataAt"] != nil {
		t.Errorf("globex without any request: %v", o)
	}
	o := overview("token-acme", "LAST_HOUR")
	last, err := time.Parse(time.RFC3339, strOf(o["lastDataAt"]))
	if o["status"] != "NO_DATA" || o["hasData"] != false || err != nil || last.Before(h) || !last.Before(h.Add(time.Hour)) {
		t.Errorf("acme, last hour, requests 2-3 h ago: %v; want NO_DATA and the last request's minute in [%s, %s)", o, h, h.Add(time.Hour))
	}
	if o := overview("token-acme", "LAST_6_HOURS"); o["status"] == "NO_DATA" || o["hasData"] != true {
		t.Errorf("acme, 6 hours with requests: %v", o)
	}

	// viewer: the token's tenant, or the anonymous one
	viewer := func(token string) map[string]any {
		return mustData(t, query(t, url, token, `{ viewer { tenant anonymous traceUrlTemplate } }`, nil))["viewer"].(map[string]any)
	}
	if v := viewer("token-acme"); v["tenant"] != "acme" || v["anonymous"] != false || v["traceUrlTemplate"] != traceURL {
		t.Errorf("viewer with acme's token: %v", v)
	}
	if v := viewer(""); v["tenant"] != "visitors" || v["anonymous"] != true {
		t.Errorf("viewer without credentials: %v", v)
	}

	// endpointMetrics: endpoint is the route, method beside it, label both
	rows := mustData(t, query(t, url, "token-acme", `{ endpointMetrics(timeRange: LAST_6_HOURS) { endpoint method route label } }`, nil))["endpointMetrics"].([]any)
	labels := map[string]bool{}
	for _, r := range rows {
		e := r.(map[string]any)
		if e["endpoint"] != e["route"] || e["label"] != strOf(e["method"])+" "+strOf(e["route"]) {
			t.Errorf("endpoint row %v", e)
		}
		labels[strOf(e["label"])] = true
	}
	if !labels["GET /acme/orders/{id}"] || !labels["POST /acme/checkout"] {
		t.Errorf("endpoint labels %v", labels)
	}

	// traceDbSpans: one of acme's traces, offsets from the request's start
	var id string
	var reqUs, dbUs int64
	var offUs float64
	if err := pool.QueryRow(t.Context(), `SELECT replace(a.trace_id::text, '-', ''), a.duration_us, q.duration_us, extract(epoch FROM q.ts - a.ts) * 1e6
		FROM api_performance_log a JOIN query_performance_log q ON q.tenant_id = a.tenant_id AND q.trace_id = a.trace_id
		WHERE a.tenant_id = $1 ORDER BY a.ts LIMIT 1`, acme).Scan(&id, &reqUs, &dbUs, &offUs); err != nil {
		t.Fatal(err)
	}
	spans := func(token string) map[string]any {
		return mustData(t, query(t, url, token, `query($id: String!) { traceDbSpans(traceId: $id, timeRange: LAST_6_HOURS) {
			traceId truncated request { label service startOffsetMs durationMs } spans { queryHash summary startOffsetMs durationMs isError } } }`,
			map[string]any{"id": strings.ToUpper(id)}))["traceDbSpans"].(map[string]any)
	}
	s := spans("token-acme")
	list := s["spans"].([]any)
	if len(list) != 1 || s["request"] == nil || s["traceId"] != id || s["truncated"] != false {
		t.Fatalf("acme's trace %s: %v", id, s)
	}
	rq, sp := s["request"].(map[string]any), list[0].(map[string]any)
	if rq["service"] != "acme-api" || !strings.HasSuffix(strOf(rq["label"]), "/acme/orders/{id}") && !strings.HasSuffix(strOf(rq["label"]), "/acme/checkout") ||
		num(t, rq["durationMs"]) != float64(reqUs)/1000 || num(t, rq["startOffsetMs"]) != 0 {
		t.Errorf("request of the trace: %v, want %d µs", rq, reqUs)
	}
	if sp["queryHash"] != "edcba98765432110" || sp["summary"] != "SELECT orders" || num(t, sp["durationMs"]) != float64(dbUs)/1000 ||
		!within(num(t, sp["startOffsetMs"]), offUs/1000, 1e-9) {
		t.Errorf("DB span of the trace: %v, want %d µs at +%v µs", sp, dbUs, offUs)
	}
	if g := spans("token-globex"); len(g["spans"].([]any)) != 0 || g["request"] != nil {
		t.Errorf("acme's trace read with globex's token: %v", g)
	}
	if r := query(t, url, "token-acme", `{ traceDbSpans(traceId: "xyz") { traceId } }`, nil); len(r.Errors) == 0 || !strings.Contains(r.Raw, "32 hex digits") {
		t.Errorf("bad trace id: %s", r.Raw)
	}

	// pool history at 5-minute buckets from the minute samples; a maximum of 0 is unknown
	m := time.Now().UTC().Truncate(5 * time.Minute).Add(-20 * time.Minute)
	perfdbtest.Exec(t, pool, "SELECT perf_create_partitions($1::date, $1::date)", m.Format(time.DateOnly))
	inst := perfdbtest.Scalar[int32](t, pool, "SELECT instance_id FROM perf_instances WHERE tenant_id = $1", acme)
	perfdbtest.Exec(t, pool, `INSERT INTO db_pool_metrics (ts, tenant_id, instance_id, pool_name, used, idle, max, pending_requests, wait_time_ms) VALUES
		($1, $2, $3, 'main', 5, 5, 10, 0, 2), ($1 + interval '1 minute', $2, $3, 'main', 9, 1, 10, 2, 4),
		($1 + interval '10 minutes', $2, $3, 'main', 3, 0, 0, 0, NULL)`, m, acme, inst)
	hist := mustData(t, query(t, url, "token-acme", `{ databasePoolMetrics(timeRange: LAST_HOUR, interval: "5m") { utilizationHistory { timestamp utilizationPercent activeConnections waitTimeMs } } }`, nil))["databasePoolMetrics"].(map[string]any)["utilizationHistory"].([]any)
	if len(hist) != 2 {
		t.Fatalf("pool history at 5m: %v", hist)
	}
	p0, p1 := hist[0].(map[string]any), hist[1].(map[string]any)
	if p0["timestamp"] != m.Format(time.RFC3339) || num(t, p0["utilizationPercent"]) != 70 || num(t, p0["activeConnections"]) != 7 || num(t, p0["waitTimeMs"]) != 3 {
		t.Errorf("first 5-minute bucket %v, want %s, 70 %%, 7 used, 3 ms", p0, m.Format(time.RFC3339))
	}
	if p1["utilizationPercent"] != nil || num(t, p1["activeConnections"]) != 3 {
		t.Errorf("bucket with an unknown maximum: %v, want no utilization, 3 used", p1)
	}

	// a window of a part of an hour: the per-pool figures come from the minute samples
	prng := fmtRange(m, m.Add(15*time.Minute))
	pm := mustData(t, query(t, url, "token-acme", `query($from: DateTime, $to: DateTime) { databasePoolMetrics(from: $from, to: $to) {
		peakUtilizationPercent avgUtilizationPercent pools { poolName avgUsed maxConnections peakUtilizationPercent } } }`, prng))["databasePoolMetrics"].(map[string]any)
	pools := pm["pools"].([]any)
	if len(pools) != 1 || num(t, pm["peakUtilizationPercent"]) != 90 || num(t, pm["avgUtilizationPercent"]) != 70 {
		t.Fatalf("pools of a 15-minute window: %v", pm)
	}
	if p := pools[0].(map[string]any); p["poolName"] != "main" || !within(num(t, p["avgUsed"]), 17.0/3, 1e-9) || num(t, p["maxConnections"]) != 10 || num(t, p["peakUtilizationPercent"]) != 90 {
		t.Errorf("pool of a 15-minute window: %v", p)
	}

	// detail series at 5-minute buckets (minute rollups) within their retention
	rng := fmtRange(h, h.Add(time.Hour))
	rng["fp"] = "edcba98765432110"
	d := mustData(t, query(t, url, "token-acme", `query($fp: String!, $from: DateTime, $to: DateTime) { queryDetail(fingerprint: $fp, from: $from, to: $to, interval: "5m") {
		totalCalls timeSeries { timestamp count } } }`, rng))["queryDetail"].(map[string]any)
	total := 0.0
	for _, p := range d["timeSeries"].([]any) {
		pt := p.(map[string]any)
		ts, _ := time.Parse(time.RFC3339, strOf(pt["timestamp"]))
		if ts.Truncate(5*time.Minute) != ts || ts.Before(h) || !ts.Before(h.Add(time.Hour)) {
			t.Errorf("5-minute point at %v", pt["timestamp"])
		}
		total += num(t, pt["count"])
	}
	if n := len(d["timeSeries"].([]any)); n != 12 || total != num(t, d["totalCalls"]) {
		t.Errorf("queryDetail at 5m: %d points, %v calls in them, totalCalls %v", n, total, d["totalCalls"])
	}
	old := fmtRange(h.Add(-72*time.Hour), h.Add(-71*time.Hour))
	old["fp"] = "edcba98765432110"
	if r := query(t, url, "token-acme", `query($fp: String!, $from: DateTime, $to: DateTime) { queryDetail(fingerprint: $fp, from: $from, to: $to, interval: "5m") { totalCalls } }`, old); len(r.Errors) == 0 {
		t.Errorf("5-minute buckets beyond the minute rollups' retention: %s", r.Raw)
	}
}

func strOf(v any) string {
	s, _ := v.(string)
	return s
}
