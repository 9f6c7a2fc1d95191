// Package demo generates a realistic mix of OTLP traffic for otelcol-perf: several
// services and endpoints, DB client spans with literal-laden SQL in both generations of
// the semantic conventions, an N+1 endpoint, a slow report query, a failing endpoint,
// host/runtime and connection-pool metrics (one pool saturated), for several tenants
// (X-Scope-OrgID). It posts OTLP/HTTP protobuf to /v1/traces and /v1/metrics.
//
// cmd/perfdemo is the command; the dashboard's browser test calls Run directly.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// Config of one run.
type Config struct {
	// Endpoint is the collector's OTLP/HTTP host:port (or a full http:// URL).
	Endpoint string
	// Duration of the run; zero or negative: until ctx is done.
	Duration time.Duration
	// Rate is requests per second per tenant (server spans; DB spans come on top).
	Rate float64
	// Tenants, each sent as the X-Scope-OrgID header.
	Tenants []string
	// FlushInterval between two trace exports (default 500ms).
	FlushInterval time.Duration
	// MetricsInterval between two metric exports (default 10s).
	MetricsInterval time.Duration
	// Seed of the random mix (0: time-based).
	Seed uint64
	// Logf, when set, receives progress lines.
	Logf func(format string, args ...any)
	// Client for the POSTs (default: 10 s timeout).
	Client *http.Client
}

// Stats of a run.
type Stats struct {
	Requests    int64 // server spans sent
	DBSpans     int64 // DB client spans sent
	MetricSets  int64 // metric exports
	Posts       int64 // successful POSTs
	FailedPosts int64 // POSTs that failed or were refused
	LastError   string
}

func (s *Stats) String() string {
	return fmt.Sprintf("%d requests, %d DB spans, %d metric exports, %d POSTs ok, %d failed",
		s.Requests, s.DBSpans, s.MetricSets, s.Posts, s.FailedPosts)
}

// Run sends traffic until the duration elapses or ctx is done. It returns an error only
// when nothing at all could be delivered.
func Run(ctx context.Context, cfg Config) (*Stats, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = "127.0.0.1:4318"
	}
	base := strings.TrimRight(cfg.Endpoint, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		base = "http://" + base
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 20
	}
	if len(cfg.Tenants) == 0 {
		cfg.Tenants = []string{"acme", "globex"}
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = 500 * time.Millisecond
	}
	if cfg.MetricsInterval <= 0 {
		cfg.MetricsInterval = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	g := &generator{cfg: cfg, base: base, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), stats: &Stats{}}
	g.started = time.Now()

	flush := time.NewTicker(cfg.FlushInterval)
	defer flush.Stop()
	metrics := time.NewTicker(cfg.MetricsInterval)
	defer metrics.Stop()
	progress := time.NewTicker(15 * time.Second)
	defer progress.Stop()

	g.sendMetrics(ctx) // pools and hosts are visible from the start
	last := time.Now()
	carry := 0.0
	for {
		select {
		case <-ctx.Done():
			cfg.Logf("perfdemo: done: %s", g.stats)
			if g.stats.Posts == 0 {
				return g.stats, fmt.Errorf("nothing delivered to %s: %s", base, g.stats.LastError)
			}
			return g.stats, nil
		case now := <-flush.C:
			carry += cfg.Rate * now.Sub(last).Seconds()
			last = now
			n := int(carry)
			carry -= float64(n)
			g.sendTraces(ctx, n)
		case <-metrics.C:
			g.sendMetrics(ctx)
		case <-progress.C:
			cfg.Logf("perfdemo: %s", g.stats)
		}
	}
}

type generator struct {
	cfg     Config
	base    string
	rnd     *rand.Rand
	stats   *Stats
	started time.Time
}

// ---------------------------------------------------------------------------------------
// services and endpoints

type semconv int

const (
	stable semconv = iota // http.route, http.request.method, db.query.text, db.system.name
	legacy                // http.target, http.method, http.status_code, db.statement, db.system
)

type service struct {
	name, lang, instance, host string
	conv                       semconv
	dbSystem, dbName           string
}

var (
	checkout  = service{"checkout-api", "nodejs", "checkout-api-7d9f", "node-a1", stable, "postgresql", "shop"}
	catalog   = service{"catalog-service", "java", "catalog-service-5c2b", "node-b2", legacy, "mysql", "catalog"}
	reporting = service{"reporting-service", "nodejs", "reporting-service-1a4e", "node-a1", stable, "postgresql", "shop"}
	services  = []service{checkout, catalog, reporting}
)

type dbCall struct {
	sql        string
	minMs      float64
	maxMs      float64
	rows       int
	errorRatio float64
}

type endpoint struct {
	svc       service
	method    string
	route     string                  // http.route (stable semconv)
	path      func(*generator) string // the concrete path
	weight    float64
	minMs     float64 // own time, besides the DB calls
	maxMs     float64
	failRatio float64 // 5xx
	clientErr float64 // 4xx
	queries   func(g *generator) []dbCall
}

func (g *generator) id(lo, hi int) int { return lo + g.rnd.IntN(hi-lo+1) }

func (g *generator) pick(xs ...string) string { return xs[g.rnd.IntN(len(xs))] }

var endpoints = []endpoint{
	{svc: checkout, method: "GET", route: "/api/orders/:id", weight: 30, minMs: 2, maxMs: 12,
		path: func(g *generator) string { return fmt.Sprintf("/api/orders/%d", g.id(1000, 99999)) },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("SELECT o.id, o.status, o.total, c.name, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = %d AND o.tenant_key = '%s'", g.id(1000, 99999), g.pick("eu-1", "us-2")), minMs: 2, maxMs: 15, rows: 1},
				{sql: fmt.Sprintf("SELECT sku, qty, price FROM order_items WHERE order_id = %d", g.id(1000, 99999)), minMs: 1, maxMs: 8, rows: 3},
			}
		}},
	{svc: checkout, method: "POST", route: "/api/orders", weight: 12, minMs: 5, maxMs: 25, clientErr: 0.03,
		path: func(*generator) string { return "/api/orders" },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: "BEGIN", minMs: 0.2, maxMs: 1},
				{sql: fmt.Sprintf("INSERT INTO orders (customer_id, total, currency, status, created_at) VALUES (%d, %d.%02d, 'EUR', 'pending', '2026-%02d-%02d 10:%02d:00')", g.id(1, 5000), g.id(5, 900), g.id(0, 99), g.id(1, 12), g.id(1, 28), g.id(0, 59)), minMs: 2, maxMs: 12},
				{sql: fmt.Sprintf("UPDATE inventory SET qty = qty - %d, updated_at = now() WHERE sku = 'SKU-%05d' AND qty >= %d", g.id(1, 4), g.id(1, 40000), g.id(1, 4)), minMs: 2, maxMs: 20, errorRatio: 0.01},
				{sql: "COMMIT", minMs: 0.5, maxMs: 3},
			}
		}},
	// N+1: the order list of a customer loads each order's items one query at a time.
	{svc: checkout, method: "GET", route: "/api/customers/:id/orders", weight: 8, minMs: 3, maxMs: 10,
		path: func(g *generator) string { return fmt.Sprintf("/api/customers/%d/orders", g.id(1, 5000)) },
		queries: func(g *generator) []dbCall {
			calls := []dbCall{{sql: fmt.Sprintf("SELECT id, status, total, created_at FROM orders WHERE customer_id = %d ORDER BY created_at DESC LIMIT 20", g.id(1, 5000)), minMs: 3, maxMs: 12, rows: 20}}
			first := g.id(1000, 90000)
			for i := 0; i < 20; i++ {
				calls = append(calls, dbCall{sql: fmt.Sprintf("SELECT id, sku, qty, price FROM order_items WHERE order_id = %d", first+i*7), minMs: 1.5, maxMs: 6, rows: g.id(1, 5)})
			}
			return calls
		}},
	// Failing endpoint: the payment provider times out, the handler answers 502/503.
	{svc: checkout, method: "POST", route: "/api/payments", weight: 6, minMs: 40, maxMs: 400, failRatio: 0.35,
		path: func(*generator) string { return "/api/payments" },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("INSERT INTO payments (order_id, amount, card_last4, provider) VALUES (%d, %d.%02d, '%04d', 'stripe') RETURNING id", g.id(1000, 99999), g.id(5, 900), g.id(0, 99), g.id(0, 9999)), minMs: 2, maxMs: 10},
			}
		}},
	{svc: catalog, method: "GET", route: "/products/{id}", weight: 30, minMs: 1, maxMs: 8, clientErr: 0.02,
		path: func(g *generator) string { return fmt.Sprintf("/products/%d", g.id(1, 250000)) },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("SELECT * FROM products WHERE id = %d AND deleted = 0", g.id(1, 250000)), minMs: 1, maxMs: 6, rows: 1},
				{sql: fmt.Sprintf("SELECT name, value FROM product_attributes WHERE product_id = %d", g.id(1, 250000)), minMs: 1, maxMs: 5, rows: 8},
			}
		}},
	{svc: catalog, method: "GET", route: "/products/search", weight: 12, minMs: 5, maxMs: 30,
		path: func(g *generator) string { return "/products/search?q=" + g.pick("lamp", "desk", "chair", "cable") },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("SELECT id, name, price FROM products WHERE name LIKE '%%%s%%' AND price BETWEEN %d AND %d ORDER BY popularity DESC LIMIT 50 OFFSET %d", g.pick("lamp", "desk", "chair", "cable"), g.id(1, 50), g.id(100, 900), 50*g.id(0, 40)), minMs: 60, maxMs: 900, rows: 50},
			}
		}},
	// Slow report: one aggregate over months of orders, 2–6 s.
	{svc: reporting, method: "GET", route: "/reports/sales", weight: 1.2, minMs: 20, maxMs: 80,
		path: func(*generator) string { return "/reports/sales" },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("SELECT date_trunc('day', o.created_at) AS day, c.country, count(*) AS orders, sum(o.total) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= '2026-%02d-01' AND o.created_at < '2026-%02d-01' AND o.status IN ('paid', 'shipped', 'refunded') GROUP BY 1, 2 ORDER BY 1, 4 DESC", g.id(1, 6), g.id(7, 12)), minMs: 2000, maxMs: 6000, rows: 900},
			}
		}},
	{svc: reporting, method: "GET", route: "/reports/top-customers", weight: 2, minMs: 10, maxMs: 40,
		path: func(*generator) string { return "/reports/top-customers" },
		queries: func(g *generator) []dbCall {
			return []dbCall{
				{sql: fmt.Sprintf("SELECT customer_id, sum(total) FROM orders WHERE created_at > now() - interval '%d days' GROUP BY customer_id ORDER BY 2 DESC LIMIT %d", g.id(7, 90), g.id(10, 50)), minMs: 150, maxMs: 1400, rows: 25},
			}
		}},
}

var totalWeight = func() float64 {
	s := 0.0
	for _, e := range endpoints {
		s += e.weight
	}
	return s
}()

func (g *generator) chooseEndpoint() *endpoint {
	x := g.rnd.Float64() * totalWeight
	for i := range endpoints {
		x -= endpoints[i].weight
		if x < 0 {
			return &endpoints[i]
		}
	}
	return &endpoints[len(endpoints)-1]
}

func (g *generator) between(lo, hi float64) time.Duration {
	ms := lo + (hi-lo)*g.rnd.Float64()
	return time.Duration(ms * float64(time.Millisecond))
}

// ---------------------------------------------------------------------------------------
// traces

func (g *generator) traceID() pcommon.TraceID {
	var id pcommon.TraceID
	for i := range id {
		id[i] = byte(g.rnd.UintN(256))
	}
	return id
}

func (g *generator) spanID() pcommon.SpanID {
	var id pcommon.SpanID
	for i := range id {
		id[i] = byte(g.rnd.UintN(256))
	}
	if id == (pcommon.SpanID{}) {
		id[7] = 1
	}
	return id
}

func setResource(r pcommon.Resource, s service) {
	a := r.Attributes()
	a.PutStr("service.name", s.name)
	a.PutStr("service.instance.id", s.instance)
	a.PutStr("service.version", "1.4.2")
	a.PutStr("host.name", s.host)
	a.PutStr("deployment.environment.name", "demo")
	a.PutStr("telemetry.sdk.language", s.lang)
}

// sendTraces builds n requests per tenant (spread over the services) and posts them.
func (g *generator) sendTraces(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	for ti, tenant := range g.cfg.Tenants {
		td := ptrace.NewTraces()
		scopes := map[string]ptrace.SpanSlice{}
		for _, s := range services {
			rs := td.ResourceSpans().AppendEmpty()
			setResource(rs.Resource(), s)
			ss := rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName("perfdemo")
			ss.Scope().SetVersion("1.0.0")
			scopes[s.name] = ss.Spans()
		}
		// the second and later tenants get a little less traffic, so they differ
		count := n
		if ti > 0 {
			count = int(math.Ceil(float64(n) * 0.6))
		}
		for i := 0; i < count; i++ {
			e := g.chooseEndpoint()
			g.request(scopes[e.svc.name], e)
		}
		body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
		if err != nil {
			g.fail(err)
			continue
		}
		g.post(ctx, "/v1/traces", tenant, body)
	}
}

// request appends one server span and its DB children, ending about now.
func (g *generator) request(spans ptrace.SpanSlice, e *endpoint) {
	g.stats.Requests++
	calls := e.queries(g)
	type timed struct {
		call dbCall
		d    time.Duration
	}
	var dbTotal time.Duration
	ts := make([]timed, len(calls))
	for i, c := range calls {
		ts[i] = timed{c, g.between(c.minMs, c.maxMs)}
		dbTotal += ts[i].d
	}
	own := g.between(e.minMs, e.maxMs)
	total := own + dbTotal + time.Duration(len(calls))*150*time.Microsecond
	// ended within the last flush interval
	end := time.Now().Add(-time.Duration(g.rnd.Int64N(int64(g.cfg.FlushInterval))))
	start := end.Add(-total)

	status := 200
	switch {
	case e.method == "POST" && e.route == "/api/orders":
		status = 201
	}
	r := g.rnd.Float64()
	switch {
	case r < e.failRatio:
		status = []int{502, 503, 500}[g.rnd.IntN(3)]
	case r < e.failRatio+e.clientErr:
		status = []int{404, 400, 409}[g.rnd.IntN(3)]
	}

	traceID := g.traceID()
	server := spans.AppendEmpty()
	serverID := g.spanID()
	server.SetTraceID(traceID)
	server.SetSpanID(serverID)
	server.SetKind(ptrace.SpanKindServer)
	server.SetName(e.method + " " + e.route)
	server.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
	server.SetEndTimestamp(pcommon.NewTimestampFromTime(end))
	a := server.Attributes()
	path := e.path(g)
	if e.svc.conv == stable {
		a.PutStr("http.request.method", e.method)
		a.PutStr("http.route", e.route)
		p, q, _ := strings.Cut(path, "?")
		a.PutStr("url.path", p)
		if q != "" {
			a.PutStr("url.query", q)
		}
		a.PutStr("url.scheme", "http")
		a.PutInt("http.response.status_code", int64(status))
		a.PutInt("http.response.body.size", int64(200+g.rnd.IntN(6000)))
		if e.method == "POST" {
			a.PutInt("http.request.body.size", int64(100+g.rnd.IntN(1500)))
		}
	} else { // old conventions, no route: the exporter templates the ids in the path
		a.PutStr("http.method", e.method)
		a.PutStr("http.target", path)
		a.PutStr("http.scheme", "http")
		a.PutInt("http.status_code", int64(status))
		a.PutInt("http.response_content_length", int64(200+g.rnd.IntN(6000)))
	}
	if status >= 500 {
		server.Status().SetCode(ptrace.StatusCodeError)
		server.Status().SetMessage(fmt.Sprintf("HTTP %d: upstream payment provider timed out", status))
	}

	at := start.Add(own / 2)
	for _, c := range ts {
		at = at.Add(150 * time.Microsecond)
		g.stats.DBSpans++
		s := spans.AppendEmpty()
		s.SetTraceID(traceID)
		s.SetSpanID(g.spanID())
		s.SetParentSpanID(serverID)
		s.SetKind(ptrace.SpanKindClient)
		op, _, _ := strings.Cut(c.call.sql, " ")
		s.SetName(op + " " + e.svc.dbName)
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(at))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(at.Add(c.d)))
		at = at.Add(c.d)
		da := s.Attributes()
		if e.svc.conv == stable {
			da.PutStr("db.system.name", e.svc.dbSystem)
			da.PutStr("db.query.text", c.call.sql)
			da.PutStr("db.namespace", e.svc.dbName)
			if c.call.rows > 0 {
				da.PutInt("db.response.returned_rows", int64(c.call.rows))
			}
		} else {
			da.PutStr("db.system", e.svc.dbSystem)
			da.PutStr("db.statement", c.call.sql)
			da.PutStr("db.name", e.svc.dbName)
		}
		da.PutStr("server.address", e.svc.dbSystem+".internal")
		if c.call.errorRatio > 0 && g.rnd.Float64() < c.call.errorRatio {
			s.Status().SetCode(ptrace.StatusCodeError)
			s.Status().SetMessage("deadlock detected")
			da.PutStr("error.type", "40P01")
		}
	}
}

// ---------------------------------------------------------------------------------------
// metrics

type poolShape struct {
	svc       service
	name      string
	max       int64
	usedLo    int64
	usedHi    int64
	pendingHi int64
	waitLoMs  float64
	waitHiMs  float64
	cpuLo     float64 // process CPU, 0..1
	cpuHi     float64
	memMB     float64
	heapLimit float64 // MB, node only
	loopLagMs float64 // node only
}

var shapes = []poolShape{
	// saturated: every connection busy, requests queue for one
	{svc: checkout, name: "checkout-pg", max: 20, usedLo: 19, usedHi: 20, pendingHi: 9, waitLoMs: 40, waitHiMs: 260, cpuLo: 0.35, cpuHi: 0.7, memMB: 410, heapLimit: 2048, loopLagMs: 18},
	{svc: catalog, name: "catalog-mysql", max: 40, usedLo: 6, usedHi: 14, pendingHi: 0, waitLoMs: 0.2, waitHiMs: 2, cpuLo: 0.15, cpuHi: 0.35, memMB: 760},
	{svc: reporting, name: "reporting-pg", max: 10, usedLo: 2, usedHi: 5, pendingHi: 0, waitLoMs: 0.5, waitHiMs: 5, cpuLo: 0.5, cpuHi: 0.92, memMB: 520, heapLimit: 1024, loopLagMs: 45},
}

func (g *generator) sendMetrics(ctx context.Context) {
	g.stats.MetricSets++
	now := pcommon.NewTimestampFromTime(time.Now())
	elapsed := time.Since(g.started).Minutes()
	for _, tenant := range g.cfg.Tenants {
		md := pmetric.NewMetrics()
		for _, p := range shapes {
			rm := md.ResourceMetrics().AppendEmpty()
			setResource(rm.Resource(), p.svc)
			sm := rm.ScopeMetrics().AppendEmpty()
			sm.Scope().SetName("perfdemo")
			ms := sm.Metrics()

			gauge := func(name, unit string, v float64, attrs ...string) {
				m := ms.AppendEmpty()
				m.SetName(name)
				m.SetUnit(unit)
				dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
				dp.SetTimestamp(now)
				dp.SetDoubleValue(v)
				for i := 0; i+1 < len(attrs); i += 2 {
					dp.Attributes().PutStr(attrs[i], attrs[i+1])
				}
			}
			// updown counters (non-monotonic cumulative sums), one point per attribute set
			updown := func(name, unit string, pts ...struct {
				v     int64
				attrs []string
			}) {
				m := ms.AppendEmpty()
				m.SetName(name)
				m.SetUnit(unit)
				s := m.SetEmptySum()
				s.SetIsMonotonic(false)
				s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
				for _, pt := range pts {
					dp := s.DataPoints().AppendEmpty()
					dp.SetStartTimestamp(pcommon.NewTimestampFromTime(g.started))
					dp.SetTimestamp(now)
					dp.SetIntValue(pt.v)
					for i := 0; i+1 < len(pt.attrs); i += 2 {
						dp.Attributes().PutStr(pt.attrs[i], pt.attrs[i+1])
					}
				}
			}
			type pt = struct {
				v     int64
				attrs []string
			}
			const mb = 1 << 20

			gauge("process.cpu.utilization", "1", p.cpuLo+(p.cpuHi-p.cpuLo)*g.rnd.Float64())
			gauge("system.cpu.utilization", "1", 0.3+0.4*g.rnd.Float64(), "cpu.mode", "user")
			hostTotal := int64(16384) * mb
			hostUsed := int64((9000 + 1500*g.rnd.Float64()) * mb)
			updown("system.memory.usage", "By",
				pt{hostUsed, []string{"system.memory.state", "used"}},
				pt{hostTotal - hostUsed, []string{"system.memory.state", "free"}})
			// the checkout service grows slowly (the optimizer can look for a leak)
			mem := p.memMB * (1 + 0.04*g.rnd.Float64())
			if p.svc.name == checkout.name {
				mem += 3 * elapsed
			}
			updown("process.memory.usage", "By", pt{int64(mem * mb), nil})
			if p.heapLimit > 0 {
				gauge("v8js.memory.heap.used", "By", (mem*0.55)*mb, "v8js.heap.space.name", "old_space")
				gauge("v8js.memory.heap.limit", "By", p.heapLimit*mb, "v8js.heap.space.name", "old_space")
				gauge("nodejs.eventloop.delay.mean", "s", (p.loopLagMs*(0.6+0.8*g.rnd.Float64()))/1000)
			}

			used := p.usedLo + g.rnd.Int64N(p.usedHi-p.usedLo+1)
			idle := max(0, min(p.max-used, 2+g.rnd.Int64N(3)))
			poolAttr := []string{"db.client.connection.pool.name", p.name}
			updown("db.client.connection.count", "{connection}",
				pt{used, append([]string{"db.client.connection.state", "used"}, poolAttr...)},
				pt{idle, append([]string{"db.client.connection.state", "idle"}, poolAttr...)})
			updown("db.client.connection.max", "{connection}", pt{p.max, poolAttr})
			pending := int64(0)
			if p.pendingHi > 0 {
				pending = 1 + g.rnd.Int64N(p.pendingHi)
			}
			updown("db.client.connection.pending_requests", "{request}", pt{pending, poolAttr})

			// wait time: a delta histogram in seconds over the last interval
			m := ms.AppendEmpty()
			m.SetName("db.client.connection.wait_time")
			m.SetUnit("s")
			h := m.SetEmptyHistogram()
			h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
			dp := h.DataPoints().AppendEmpty()
			dp.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Now().Add(-g.cfg.MetricsInterval)))
			dp.SetTimestamp(now)
			dp.Attributes().PutStr("db.client.connection.pool.name", p.name)
			n := uint64(20 + g.rnd.IntN(80))
			meanS := (p.waitLoMs + (p.waitHiMs-p.waitLoMs)*g.rnd.Float64()) / 1000
			dp.SetCount(n)
			dp.SetSum(meanS * float64(n))
			dp.ExplicitBounds().FromRaw([]float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1})
			counts := make([]uint64, 8)
			counts[bucketOf(meanS, []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1})] = n
			dp.BucketCounts().FromRaw(counts)
		}
		body, err := pmetricotlp.NewExportRequestFromMetrics(md).MarshalProto()
		if err != nil {
			g.fail(err)
			continue
		}
		g.post(ctx, "/v1/metrics", tenant, body)
	}
}

func bucketOf(v float64, bounds []float64) int {
	for i, b := range bounds {
		if v <= b {
			return i
		}
	}
	return len(bounds)
}

// ---------------------------------------------------------------------------------------
// transport

func (g *generator) fail(err error) {
	g.stats.FailedPosts++
	g.stats.LastError = err.Error()
	g.cfg.Logf("perfdemo: %v", err)
}

func (g *generator) post(ctx context.Context, path, tenant string, body []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+path, bytes.NewReader(body))
	if err != nil {
		g.fail(err)
		return
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if tenant != "" {
		req.Header.Set("X-Scope-OrgID", tenant)
	}
	resp, err := g.cfg.Client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return // the run ended while posting
		}
		g.fail(fmt.Errorf("POST %s: %w", path, err))
		return
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		g.fail(fmt.Errorf("POST %s (tenant %s): HTTP %d: %s", path, tenant, resp.StatusCode, strings.TrimSpace(string(msg))))
		return
	}
	g.stats.Posts++
}
