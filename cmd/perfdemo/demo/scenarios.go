package demo

// The scenarios: the services, their endpoints with the SQL they run, and the shapes of
// their pools and resources. A new scenario is a row here.

import (
	"fmt"
	"math/rand/v2"
)

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

// pools and resources (sendMetrics)

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

// MeanSpansPerRequest is the expected number of spans of one request of the mix: its server
// span and its DB spans, weighted as chooseEndpoint picks the endpoints.
func MeanSpansPerRequest() float64 {
	g := &generator{rnd: rand.New(rand.NewPCG(1, 2))}
	s := 0.0
	for _, e := range endpoints {
		s += e.weight * float64(1+len(e.queries(g)))
	}
	return s / totalWeight
}

// RateFor is the Config.Rate that sends about spansPerSecond spans (server and DB spans)
// in all over tenants tenants: the first tenant gets Rate requests/s, each other 60% of it.
func RateFor(spansPerSecond float64, tenants int) float64 {
	return spansPerSecond / (MeanSpansPerRequest() * (1 + otherTenantShare*float64(max(tenants-1, 0))))
}
