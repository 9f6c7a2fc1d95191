package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The shop of the scenario test: a Go service as people write it, instrumented with the
// libraries people use (otelhttp per route, otelpgx on a pgx pool, the OTel SDK exporting
// OTLP/HTTP), over an application database of its own. Every figure the collector is to
// report is also measured here, by the application, as the truth to compare with.

// The statements the shop runs, verbatim: the test fingerprints them itself.
const (
	shopOrdersSQL   = `SELECT id, customer_id, created_at FROM orders WHERE id <= $1 ORDER BY id DESC LIMIT 40`
	shopItemsSQL    = `SELECT * FROM order_items WHERE order_id = $1`
	shopProductsSQL = `SELECT id, name, price FROM products WHERE description LIKE '%%%s%%'` // the term inline, as string-built SQL does
	shopReportSQL   = `SELECT count(*) FROM orders o, pg_sleep(1.1) WHERE o.customer_id = $1`
	shopPriceSQL    = `SELECT price FROM products WHERE id = $1`
	shopCheckoutSQL = `INSERT INTO orders (customer_id, created_at) VALUES ($1, now()) RETURNING id`

	// the healthy shop of the clean tenant: key lookups on indexed columns, one query per list
	cleanOrderSQL   = `SELECT id, customer_id, created_at FROM orders WHERE id = $1`
	cleanLinesSQL   = `SELECT id, product_id, quantity FROM order_lines WHERE order_id = $1`
	cleanProductSQL = `SELECT id, name, price FROM products WHERE id = $1`
)

const (
	// orders seeded, 40 items each: scanning order_items takes about 1.2 ms, so a request's 40
	// lookups take about 50 ms, around the N+1 rule's 50 ms gate; some requests pass it and
	// some do not, as on a real machine, while every one of them loops
	shopOrders        = 700
	shopItemsPerOrder = 40
	shopProducts      = 50000
	shopCustomers     = 200
)

// shopDatabase creates the application database (dropped after the test) with its data set.
func shopDatabase(t *testing.T, ctx context.Context) string {
	t.Helper()
	dsn := perfdbtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL)`,
		`CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, description text NOT NULL, price numeric(10,2) NOT NULL)`,
		`CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, created_at timestamptz NOT NULL)`,
		// no index on order_id: the planted N+1 scans the table on every lookup
		`CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL, product_id bigint NOT NULL, quantity int NOT NULL)`,
		// the clean shop's copy, indexed as it should be
		`CREATE TABLE order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL, product_id bigint NOT NULL, quantity int NOT NULL)`,
		fmt.Sprintf(`INSERT INTO customers SELECT i, 'customer ' || i FROM generate_series(1, %d) i`, shopCustomers),
		fmt.Sprintf(`INSERT INTO products SELECT i, 'product ' || i, 'Handmade ' || md5(i::text), (i %% 997) / 10.0 FROM generate_series(1, %d) i`, shopProducts),
		fmt.Sprintf(`INSERT INTO orders (customer_id, created_at) SELECT 1 + i %% %d, now() - i * interval '1 minute' FROM generate_series(1, %d) i`, shopCustomers, shopOrders),
		fmt.Sprintf(`INSERT INTO order_items (order_id, product_id, quantity) SELECT o, 1 + (o * 40 + k) %% %d, 1 + k %% 3 FROM generate_series(1, %d) o, generate_series(1, %d) k`,
			shopProducts, shopOrders, shopItemsPerOrder),
		`INSERT INTO order_lines (order_id, product_id, quantity) SELECT order_id, product_id, quantity FROM order_items`,
		`CREATE INDEX ON order_lines (order_id)`,
		`ANALYZE`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return dsn
}

// shopTruth is what the application itself saw: requests per endpoint and outcome, and the
// durations of the statements it ran (measured around each call, rows read included).
type shopTruth struct {
	mu           sync.Mutex
	requests     map[string]int             // "METHOD /route" -> requests answered
	serverErrors map[string]int             // "METHOD /route" -> 5xx answers
	handlerTime  map[string]time.Duration   // "METHOD /route" -> time in the handler, summed
	traces       map[string]map[string]bool // "METHOD /route" -> trace ids of its requests
	failedTraces map[string]bool            // trace ids of 5xx answers
	// per statement (by its constant above): executions and total duration
	calls    map[string]int
	duration map[string]time.Duration
	// loops per GET /orders request: item lookups and their time
	loopCounts []int
	loopTimes  []time.Duration
}

func newShopTruth() *shopTruth {
	return &shopTruth{requests: map[string]int{}, serverErrors: map[string]int{}, handlerTime: map[string]time.Duration{},
		traces: map[string]map[string]bool{}, failedTraces: map[string]bool{}, calls: map[string]int{}, duration: map[string]time.Duration{}}
}

func (s *shopTruth) statement(sql string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[sql]++
	s.duration[sql] += d
}

func (s *shopTruth) answered(endpoint string, status int, took time.Duration, traceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[endpoint]++
	s.handlerTime[endpoint] += took
	if s.traces[endpoint] == nil {
		s.traces[endpoint] = map[string]bool{}
	}
	s.traces[endpoint][traceID] = true
	if status >= 500 {
		s.serverErrors[endpoint]++
		s.failedTraces[traceID] = true
	}
}

func (s *shopTruth) loop(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loopCounts = append(s.loopCounts, n)
	s.loopTimes = append(s.loopTimes, d)
}

// shopApp is one instrumented service: its tracer provider, pool and HTTP server.
type shopApp struct {
	tp    *sdktrace.TracerProvider
	pool  *pgxpool.Pool
	srv   *httptest.Server
	truth *shopTruth
}

// startShopApp runs a service named service whose traces go to the collector's OTLP/HTTP
// endpoint as tenant (X-Scope-OrgID); clean picks the healthy handlers.
func startShopApp(t *testing.T, ctx context.Context, otlpHTTP, appDSN, service, tenant string, clean bool) *shopApp {
	t.Helper()
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpoint(otlpHTTP), otlptracehttp.WithInsecure(),
		otlptracehttp.WithHeaders(map[string]string{"X-Scope-OrgID": tenant}))
	if err != nil {
		t.Fatal(err)
	}
	res := resource.NewWithAttributes("", attribute.String("service.name", service), attribute.String("service.instance.id", service+"-1"))
	// a queue large enough that no span of the run is dropped: the truth counts every one
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res),
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(200*time.Millisecond), sdktrace.WithMaxQueueSize(1<<17), sdktrace.WithMaxExportBatchSize(2048)))

	cfg, err := pgxpool.ParseConfig(appDSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 8
	cfg.ConnConfig.Tracer = otelpgx.NewTracer(otelpgx.WithTracerProvider(tp))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &shopApp{tp: tp, pool: pool, truth: newShopTruth()}

	mux := http.NewServeMux()
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request) int) {
		// otelhttp wrapped per route, as its docs show for http.ServeMux: the span gets the
		// route (http.route) the mux matched
		mux.Handle(pattern, otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			status := h(w, r)
			a.truth.answered(pattern, status, time.Since(start), trace.SpanContextFromContext(r.Context()).TraceID().String())
		}), pattern, otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(propagation.TraceContext{})))
	}
	if clean {
		route("GET /orders/{id}", a.cleanOrder)
		route("GET /products/{id}", a.cleanProduct)
		route("POST /checkout", a.cleanCheckout)
	} else {
		route("GET /orders", a.orders)
		route("GET /products", a.products)
		route("GET /report", a.report)
		route("POST /checkout", a.checkout)
	}
	a.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		a.srv.Close()
		a.pool.Close()
	})
	return a
}

// flush sends every span still buffered.
func (a *shopApp) flush(ctx context.Context) error {
	return a.tp.Shutdown(ctx)
}

// query runs one statement, reads all its rows and records its duration.
func (a *shopApp) query(ctx context.Context, sql string, args ...any) (int, error) {
	return a.queryAs(ctx, sql, sql, args...)
}

// queryAs is query recording the statement under key (one key for every term of a search).
func (a *shopApp) queryAs(ctx context.Context, key, sql string, args ...any) (int, error) {
	conn, err := a.pool.Acquire(ctx) // acquiring is not the statement's time
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	start := time.Now()
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	a.truth.statement(key, time.Since(start))
	return n, rows.Err()
}

func fail(w http.ResponseWriter, err error) int {
	http.Error(w, err.Error(), http.StatusInternalServerError)
	return http.StatusInternalServerError
}

// GET /orders: the latest 40 orders, then their items one order at a time (the N+1).
func (a *shopApp) orders(w http.ResponseWriter, r *http.Request) int {
	ctx := r.Context()
	upto, _ := strconv.Atoi(r.URL.Query().Get("upto"))
	began := time.Now() // as query does, the statement's time, rows read included
	rows, err := a.pool.Query(ctx, shopOrdersSQL, upto)
	if err != nil {
		return fail(w, err)
	}
	ids, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (int64, error) {
		var id, customer int64
		var created time.Time
		return id, row.Scan(&id, &customer, &created)
	})
	if err != nil {
		return fail(w, err)
	}
	a.truth.statement(shopOrdersSQL, time.Since(began))
	start, loops := time.Now(), 0
	for _, id := range ids {
		if _, err := a.query(ctx, shopItemsSQL, id); err != nil {
			return fail(w, err)
		}
		loops++
	}
	a.truth.loop(loops, time.Since(start))
	fmt.Fprintf(w, "%d orders\n", len(ids))
	return http.StatusOK
}

// GET /products?q=term: a search with the term pasted into a leading-wildcard LIKE.
func (a *shopApp) products(w http.ResponseWriter, r *http.Request) int {
	n, err := a.queryAs(r.Context(), shopProductsSQL, fmt.Sprintf(shopProductsSQL, r.URL.Query().Get("q")))
	if err != nil {
		return fail(w, err)
	}
	fmt.Fprintf(w, "%d products\n", n)
	return http.StatusOK
}

// GET /report?customer=n: a report whose time is spent in a function (pg_sleep).
func (a *shopApp) report(w http.ResponseWriter, r *http.Request) int {
	customer, _ := strconv.Atoi(r.URL.Query().Get("customer"))
	if _, err := a.query(r.Context(), shopReportSQL, customer); err != nil {
		return fail(w, err)
	}
	fmt.Fprintln(w, "report done")
	return http.StatusOK
}

// POST /checkout?n=k: prices the cart and stores the order; every 4th call the payment
// provider declines and the shop answers 500.
func (a *shopApp) checkout(w http.ResponseWriter, r *http.Request) int {
	ctx := r.Context()
	k, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if _, err := a.query(ctx, shopPriceSQL, 1+k%shopProducts); err != nil {
		return fail(w, err)
	}
	if k%4 == 3 {
		http.Error(w, "payment declined", http.StatusInternalServerError)
		return http.StatusInternalServerError
	}
	if _, err := a.query(ctx, shopCheckoutSQL, 1+k%shopCustomers); err != nil {
		return fail(w, err)
	}
	w.WriteHeader(http.StatusCreated)
	return http.StatusCreated
}

func (a *shopApp) cleanOrder(w http.ResponseWriter, r *http.Request) int {
	ctx := r.Context()
	id, _ := strconv.Atoi(r.PathValue("id"))
	if _, err := a.query(ctx, cleanOrderSQL, id); err != nil {
		return fail(w, err)
	}
	if _, err := a.query(ctx, cleanLinesSQL, id); err != nil {
		return fail(w, err)
	}
	return http.StatusOK
}

func (a *shopApp) cleanProduct(w http.ResponseWriter, r *http.Request) int {
	id, _ := strconv.Atoi(r.PathValue("id"))
	if _, err := a.query(r.Context(), cleanProductSQL, id); err != nil {
		return fail(w, err)
	}
	return http.StatusOK
}

func (a *shopApp) cleanCheckout(w http.ResponseWriter, r *http.Request) int {
	k, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if _, err := a.query(r.Context(), shopPriceSQL, 1+k%shopProducts); err != nil {
		return fail(w, err)
	}
	w.WriteHeader(http.StatusCreated)
	return http.StatusCreated
}

// call is the client side: one request, its status checked against what the shop should say.
func call(ctx context.Context, method, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
