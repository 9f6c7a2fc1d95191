package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// scenarioExpect is every expectation of TestScenarioShop about the API and the wording of
// the advice, in one place: the kinds, endpoint names, figure names and text patterns the
// engine is to produce. The truth they are compared with is measured by the shop itself.
var scenarioExpect = struct {
	Tolerance float64 // relative, for every figure compared with the truth
	// counts (requests, 5xx answers, statement executions) are exact, not within Tolerance: one
	// execution is one call (otelpgx's prepare spans, which carry the statement too, are not
	// executions) and every request that loops is counted, whatever its loop took
	ExactCounts bool

	Service, CleanService string
	Tenant, CleanTenant   string

	// N+1 on GET /orders
	NPlusOneKind     string
	NPlusOneEndpoint string
	// figure names: requests that contain the loop, repetitions per request, loop time per
	// request (ms) and in total (ms), share of the endpoint's latency
	NPlusOneRequestsFigure, NPlusOneRepsFigure, NPlusOneLoopPerRequestFigure, NPlusOneLoopTotalFigure, NPlusOneLatencyShareFigure string
	// matched against the fix (recommendation + implementation): the batching fix filters on
	// the looped statement's column over its own table, and the missing index on it is named;
	// nothing (description included) batches on a column the statement does not use
	NPlusOneFixMust, NPlusOneFixMustNot []*regexp.Regexp

	// leading-wildcard LIKE on GET /products: found (any kind) with a trigram-index fix (in the
	// fix of one of the recommendations about its fingerprint)
	LikeFixMust []*regexp.Regexp
	// figure names of a statement recommendation: executions and mean duration (ms)
	StatementCallsFigure, StatementMeanFigure string

	// the pg_sleep report: reported; its fix says no index helps / names the function, and no
	// text nor validation offers an index
	ReportFixMust, ReportFixMustNot []*regexp.Regexp

	// POST /checkout failing 25 % steadily
	ErrorKind                                               string
	ErrorEndpoint                                           string
	ErrorRequestsFigure, ErrorErrorsFigure, ErrorRateFigure string
	ErrorStatusFigure                                       string // 5xx answers with status 500 (the breakdown)

	// topBottlenecks (the 5 worst) must hold each planted problem: type ("" any), endpoint
	// ("" any) and the statement ("items", "like", "report" or "" for none)
	Bottlenecks []struct{ Type, Endpoint, Statement string }

	// the statement list ranked by load (the field, absent from the schema until it exists, and
	// the query): it ranks first the statement the shop measured the most time in (the N+1's)
	TopQueriesField string
	TopQueriesQuery string

	// no recommendation may read like these (unattributed spans never form one of their own)
	NoRecommendationMatching *regexp.Regexp
}{
	Tolerance:   0.10,
	ExactCounts: true,

	Service: "shop", CleanService: "shop-clean",
	Tenant: "shop", CleanTenant: "clean",

	NPlusOneKind:                 "N_PLUS_ONE",
	NPlusOneEndpoint:             "GET /orders",
	NPlusOneRequestsFigure:       "affected_requests",
	NPlusOneRepsFigure:           "avg_repetitions_per_request",
	NPlusOneLoopPerRequestFigure: "loop_ms_per_request",
	NPlusOneLoopTotalFigure:      "loop_total_ms",
	NPlusOneLatencyShareFigure:   "latency_share",
	NPlusOneFixMust: []*regexp.Regexp{
		regexp.MustCompile(`(?is)FROM order_items WHERE order_id = ANY`),
		regexp.MustCompile(`(?is)CREATE INDEX[^;]* ON order_items ?\(order_id\)`),
	},
	NPlusOneFixMustNot: []*regexp.Regexp{regexp.MustCompile(`(?i)WHERE id = ANY`)},

	LikeFixMust:          []*regexp.Regexp{regexp.MustCompile(`(?i)gin_trgm_ops|pg_trgm`), regexp.MustCompile(`(?i)products`)},
	StatementCallsFigure: "executions",
	StatementMeanFigure:  "avg_ms",

	ReportFixMust:    []*regexp.Regexp{regexp.MustCompile(`(?i)no index|function`)},
	ReportFixMustNot: []*regexp.Regexp{regexp.MustCompile(`(?i)CREATE INDEX`)},

	ErrorKind:           "HIGH_ERROR_RATE",
	ErrorEndpoint:       "POST /checkout",
	ErrorRequestsFigure: "requests",
	ErrorErrorsFigure:   "errors",
	ErrorRateFigure:     "error_rate",
	ErrorStatusFigure:   "status_500",

	Bottlenecks: []struct{ Type, Endpoint, Statement string }{
		{"N_PLUS_ONE", "GET /orders", "items"},
		{"HIGH_ERROR_RATE", "POST /checkout", ""},
		{"", "GET /products", "like"},
		{"", "GET /report", "report"},
	},

	TopQueriesField: "topQueries",
	TopQueriesQuery: `{ topQueries(orderBy: TOTAL_TIME, timeRange: LAST_HOUR, limit: 10) { queryHash calls totalTimeMs meanTimeMs p95TimeMs shareOfDbTime callsPerRequest } }`,

	NoRecommendationMatching: regexp.MustCompile(`\(no endpoint\)`),
}

// scenario load: rounds of the client loop, GET /orders requests per round and how often the
// report runs. Four N+1 requests a round (480 × ~50 ms, about 24 s of loop) keep the N+1
// statement well ahead of the reports (12 × 1.1 s = 13.2 s) in database time on a loaded
// machine too; 12 reports stay above the slow-query rule's minimum (more than 10 executions).
const (
	scenarioRounds         = 120
	scenarioOrdersPerRound = 4
	scenarioReportEvery    = 10 // 12 reports of 1.1 s
)

// scenarioRec is a recommendation as GraphQL gives it.
type scenarioRec struct {
	ID                string   `json:"id"`
	Category          string   `json:"category"`
	Kind              string   `json:"kind"`
	Priority          string   `json:"priority"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	Impact            string   `json:"impact"`
	Recommendation    string   `json:"recommendation"`
	Implementation    string   `json:"implementation"`
	EstimatedSavings  string   `json:"estimatedSavings"`
	AffectedEndpoints []string `json:"affectedEndpoints"`
	Evidence          string   `json:"evidence"`
	Fingerprints      []string `json:"fingerprints"`
	Figures           []struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"figures"`
	Rule            string   `json:"rule"`
	Statement       string   `json:"statement"`
	ExampleTraceIDs []string `json:"exampleTraceIds"`
	Validation      *struct {
		Status  string `json:"status"`
		Message string `json:"message"`
		Index   string `json:"index"`
	} `json:"validation"`
}

func (r scenarioRec) text() string {
	return strings.Join([]string{r.Title, r.Description, r.Impact, r.Recommendation, r.Implementation, r.EstimatedSavings}, "\n")
}

// fix is the advice proper (what to do and how), without the description that echoes the
// statement: a pattern that must be in the advice cannot match the statement's own text.
func (r scenarioRec) fix() string {
	return r.Recommendation + "\n" + r.Implementation
}

func (r scenarioRec) services() []string {
	var ev struct {
		Services []string `json:"services"`
	}
	_ = json.Unmarshal([]byte(r.Evidence), &ev)
	return ev.Services
}

func (r scenarioRec) figure(name string) (float64, bool) {
	for _, f := range r.Figures {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

const scenarioRecsQuery = `{ recommendations(timeRange: LAST_HOUR, limit: 100) { id category kind priority title description impact
  recommendation implementation estimatedSavings affectedEndpoints evidence fingerprints exampleTraceIds figures { name value unit } rule statement
  validation { status message index } } }`

type scenarioBottleneck struct {
	Type              string   `json:"type"`
	Severity          string   `json:"severity"`
	Description       string   `json:"description"`
	AffectedEndpoints []string `json:"affectedEndpoints"`
	Fingerprints      []string `json:"fingerprints"`
}

type scenarioEndpoint struct {
	Endpoint      string  `json:"endpoint"`
	Service       string  `json:"service"`
	TotalRequests int     `json:"totalRequests"`
	AvgMs         float64 `json:"avgResponseTimeMs"`
	ServerErrors  int     `json:"serverErrors"`
	ErrorRate     float64 `json:"errorRate"`
}

// verdicts collects named checks, so one run tells every expectation that holds and every one
// that does not.
type verdicts struct {
	t    *testing.T
	rows []string
	fail int
}

func (v *verdicts) check(name string, ok bool, format string, args ...any) {
	v.t.Helper()
	mark := "ok  "
	if !ok {
		mark = "FAIL"
		v.fail++
		v.t.Errorf("%s: "+format, append([]any{name}, args...)...)
	}
	v.rows = append(v.rows, fmt.Sprintf("%s %-45s %s", mark, name, fmt.Sprintf(format, args...)))
}

func (v *verdicts) near(name string, got float64, present bool, truth float64) {
	v.t.Helper()
	if !present {
		v.check(name, false, "figure missing (truth %.3f)", truth)
		return
	}
	v.check(name, truth != 0 && math.Abs(got-truth)/math.Abs(truth) <= scenarioExpect.Tolerance,
		"got %.3f, truth %.3f (±%.0f%%)", got, truth, 100*scenarioExpect.Tolerance)
}

// count compares a count (requests, answers, executions) with the shop's.
func (v *verdicts) count(name string, got float64, present bool, truth int) {
	v.t.Helper()
	if !scenarioExpect.ExactCounts || !present {
		v.near(name, got, present, float64(truth))
		return
	}
	v.check(name, got == float64(truth), "got %.0f, truth %d (exact)", got, truth)
}

// examples checks that a recommendation shows example traces and that each is one of want.
func (v *verdicts) examples(name string, r scenarioRec, want map[string]bool) {
	v.t.Helper()
	var foreign []string
	for _, id := range r.ExampleTraceIDs {
		if !want[id] {
			foreign = append(foreign, id)
		}
	}
	v.check(name, len(r.ExampleTraceIDs) > 0 && len(foreign) == 0, "%d example traces, %d not of the planted requests %v", len(r.ExampleTraceIDs), len(foreign), foreign)
}

func matchAll(res []*regexp.Regexp, s string) (bool, string) {
	for _, re := range res {
		if !re.MatchString(s) {
			return false, re.String()
		}
	}
	return true, ""
}

func matchNone(res []*regexp.Regexp, s string) (bool, string) {
	for _, re := range res {
		if m := re.FindString(s); m != "" {
			return false, fmt.Sprintf("%s (%q)", re, m)
		}
	}
	return true, ""
}

// fingerprintOf is the fingerprint the collector gives a PostgreSQL statement.
func fingerprintOf(sql string) string {
	return sqlnorm.FormatFingerprint(sqlnorm.New(sqlnorm.DialectFor("postgresql"), 1<<16).Normalize(sql).Fingerprint)
}

// A shop with four planted problems, run by its own client through the real collector: the
// N+1 of GET /orders, a leading-wildcard LIKE on GET /products, a report that sleeps in a
// function and a POST /checkout failing one call in four are each reported for the right
// endpoint and fingerprint, with figures within 10 % of what the shop measured and the right
// kind of fix; the healthy shop of another tenant gets no recommendation.
func TestScenarioShop(t *testing.T) {
	t.Parallel()
	x := scenarioExpect
	ctx := contextFor(t, 240*time.Second)
	appDSN := shopDatabase(t, ctx)

	shopToken, cleanToken := randomToken(t), randomToken(t)
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", "yaml:extensions::perfgraphql::scheduler::interval: 2s",
		"--config", "yaml:extensions::perfgraphql::optimizer::interval: 2s",
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::tenants::tokens: [{token: %q, tenant: %s}, {token: %q, tenant: %s}]", shopToken, x.Tenant, cleanToken, x.CleanTenant),
		"--config", `yaml:extensions::perfgraphql::tenants::anonymous_tenant: ""`,
	)
	c.waitHealthy(t, 60*time.Second)

	shop := startShopApp(t, ctx, c.otlpHTTP, appDSN, x.Service, x.Tenant, false)
	clean := startShopApp(t, ctx, c.otlpHTTP, appDSN, x.CleanService, x.CleanTenant, true)

	// the client: the planted problems and the clean shop at once
	loadStart := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				errs <- err
			}
		}()
	}
	expectStatus := func(method, url string, want int) error {
		got, err := call(ctx, method, url)
		if err == nil && got != want {
			err = fmt.Errorf("%s %s: %d, want %d", method, url, got, want)
		}
		return err
	}
	terms := []string{"abc", "f00", "beef", "42e", "d1a", "7c7"}
	run(func() error {
		for i := range scenarioRounds {
			// GET /orders several times a round: its loop holds the most database time, far
			// ahead of the reports', as the N+1 of a real shop does
			for k := range scenarioOrdersPerRound {
				upto := 100 + (i*37+k*53)%(shopOrders-100)
				if err := expectStatus("GET", fmt.Sprintf("%s/orders?upto=%d", shop.srv.URL, upto), 200); err != nil {
					return err
				}
			}
			for _, r := range []struct {
				method, url string
				want        int
			}{
				{"GET", fmt.Sprintf("%s/products?q=%s", shop.srv.URL, terms[i%len(terms)]), 200},
				{"POST", fmt.Sprintf("%s/checkout?n=%d", shop.srv.URL, i), map[bool]int{true: 500, false: 201}[i%4 == 3]},
			} {
				if err := expectStatus(r.method, r.url, r.want); err != nil {
					return err
				}
			}
		}
		return nil
	})
	run(func() error {
		for i := range scenarioRounds / scenarioReportEvery {
			if err := expectStatus("GET", fmt.Sprintf("%s/report?customer=%d", shop.srv.URL, 1+i), 200); err != nil {
				return err
			}
		}
		return nil
	})
	run(func() error {
		for i := range scenarioRounds {
			for _, r := range []struct{ method, url string }{
				{"GET", fmt.Sprintf("%s/orders/%d", clean.srv.URL, 1+i)},
				{"GET", fmt.Sprintf("%s/products/%d", clean.srv.URL, 1+i*41)},
				{"POST", fmt.Sprintf("%s/checkout?n=%d", clean.srv.URL, i)},
			} {
				want := 200
				if r.method == "POST" {
					want = 201
				}
				if err := expectStatus(r.method, r.url, want); err != nil {
					return err
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		return nil
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, a := range []*shopApp{shop, clean} {
		if err := a.flush(ctx); err != nil {
			t.Fatalf("flushing spans: %v", err)
		}
	}
	t.Logf("load took %s", time.Since(loadStart).Round(time.Millisecond))

	// the truth, as the shop measured it
	tr := shop.truth
	ordersReqs := tr.requests["GET /orders"]
	var loops int
	var loopTime time.Duration
	for i := range tr.loopCounts {
		loops += tr.loopCounts[i]
		loopTime += tr.loopTimes[i]
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	itemsCalls := tr.calls[shopItemsSQL]
	likeCalls, reportCalls := tr.calls[shopProductsSQL], tr.calls[shopReportSQL]
	checkoutReqs, checkoutErrs := tr.requests["POST /checkout"], tr.serverErrors["POST /checkout"]
	t.Logf("truth: GET /orders %d requests, %d loops (%.1f per request, %.1f ms per request, %.0f ms total); LIKE %d × %.2f ms; report %d × %.0f ms; POST /checkout %d requests, %d 5xx",
		ordersReqs, loops, float64(loops)/float64(ordersReqs), ms(loopTime)/float64(ordersReqs), ms(loopTime),
		likeCalls, ms(tr.duration[shopProductsSQL])/float64(likeCalls), reportCalls, ms(tr.duration[shopReportSQL])/float64(reportCalls),
		checkoutReqs, checkoutErrs)

	perReq := make([]float64, len(tr.loopTimes))
	gated := 0
	for i, d := range tr.loopTimes {
		perReq[i] = ms(d)
		if d >= 50*time.Millisecond {
			gated++
		}
	}
	slices.Sort(perReq)
	t.Logf("truth: loop time per GET /orders request min %.1f, median %.1f, max %.1f ms; %d of %d requests at >= 50 ms",
		perReq[0], perReq[len(perReq)/2], perReq[len(perReq)-1], gated, len(perReq))

	fpItems, fpLike, fpReport := fingerprintOf(shopItemsSQL), fingerprintOf(fmt.Sprintf(shopProductsSQL, "x")), fingerprintOf(shopReportSQL)
	if other := fingerprintOf(fmt.Sprintf(shopProductsSQL, "yz")); other != fpLike {
		t.Fatalf("the search's fingerprint depends on its term: %s, %s", fpLike, other)
	}

	// wait until every request is stored and two engine runs judged them
	gql := func(token, q string, out any) error { return gqlAs(ctx, c.graphqlURL, token, q, out) }
	endpoints := func(token string) map[string]scenarioEndpoint {
		var r struct {
			EndpointMetrics []scenarioEndpoint `json:"endpointMetrics"`
		}
		if err := gql(token, `{ endpointMetrics(timeRange: LAST_HOUR, limit: 50) { endpoint: label service totalRequests serverErrors errorRate avgResponseTimeMs } }`, &r); err != nil {
			t.Fatal(err)
		}
		out := map[string]scenarioEndpoint{}
		for _, e := range r.EndpointMetrics {
			out[e.Service+" "+e.Endpoint] = e
		}
		return out
	}
	stored := func() bool {
		for _, a := range []struct {
			token, service string
			truth          *shopTruth
		}{{shopToken, x.Service, shop.truth}, {cleanToken, x.CleanService, clean.truth}} {
			got := endpoints(a.token)
			for ep, n := range a.truth.requests {
				if got[a.service+" "+ep].TotalRequests < n {
					return false
				}
			}
		}
		return true
	}
	deadline := time.Now().Add(90 * time.Second)
	for !stored() {
		if time.Now().After(deadline) {
			t.Fatalf("requests not all in endpointMetrics after 90 s: shop %v, clean %v", endpoints(shopToken), endpoints(cleanToken))
		}
		time.Sleep(time.Second)
	}
	storedAt := time.Now()
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	for {
		// runs of the tenant that ran least since the data was stored
		var runs int
		var failed []string
		if err := db.QueryRow(ctx, `SELECT coalesce(min(n), 0), coalesce((SELECT array_agg(f) FROM perf_optimizer_runs r, unnest(r.failed) f
			  WHERE r.started_at > $2), '{}')
			FROM unnest($1::text[]) name LEFT JOIN LATERAL (SELECT count(r.*) n FROM perf_tenants t
			  LEFT JOIN perf_optimizer_runs r ON r.tenant_id = t.tenant_id AND r.started_at > $2 WHERE t.name = name) c ON true`,
			[]string{x.Tenant, x.CleanTenant}, storedAt).Scan(&runs, &failed); err != nil {
			t.Fatal(err)
		}
		if len(failed) > 0 {
			t.Fatalf("engine detectors failed: %v", failed)
		}
		if runs >= 2 {
			break
		}
		if time.Since(storedAt) > 90*time.Second {
			t.Fatalf("no two engine runs within 90 s of the data being stored")
		}
		time.Sleep(time.Second)
	}
	t.Logf("stored and judged %s after the load", time.Since(loadStart).Round(time.Second))

	var recs struct {
		Recommendations []scenarioRec `json:"recommendations"`
	}
	if err := gql(shopToken, scenarioRecsQuery, &recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs.Recommendations {
		figs := make([]string, 0, len(r.Figures))
		for _, f := range r.Figures {
			figs = append(figs, fmt.Sprintf("%s=%g%s", f.Name, f.Value, map[bool]string{true: "", false: " " + f.Unit}[f.Unit == "count"]))
		}
		val := ""
		if r.Validation != nil {
			val = fmt.Sprintf("\n    validation: %s %s (%s)", r.Validation.Status, r.Validation.Index, r.Validation.Message)
		}
		t.Logf("recommendation %s/%s %s: %s\n    endpoints %v services %v fingerprints %v\n    figures: %s\n    description: %s\n    recommendation: %s\n    implementation: %s%s",
			r.Category, r.Kind, r.Priority, r.Title, r.AffectedEndpoints, r.services(), r.Fingerprints, strings.Join(figs, ", "),
			r.Description, r.Recommendation, strings.ReplaceAll(r.Implementation, "\n", "\n      "), val)
	}

	v := &verdicts{t: t}
	with := func(pred func(scenarioRec) bool) []scenarioRec {
		var out []scenarioRec
		for _, r := range recs.Recommendations {
			if pred(r) {
				out = append(out, r)
			}
		}
		return out
	}
	forEndpoint := func(kind, endpoint string) []scenarioRec {
		return with(func(r scenarioRec) bool {
			return r.Kind == kind && slices.Equal(r.AffectedEndpoints, []string{endpoint}) && slices.Contains(r.services(), x.Service)
		})
	}
	aboutFingerprint := func(fp string) []scenarioRec {
		return with(func(r scenarioRec) bool { return slices.Contains(r.Fingerprints, fp) })
	}

	// the figures the shop measured agree with endpointMetrics (counts are exact)
	eps := endpoints(shopToken)
	for _, ep := range slices.Sorted(maps.Keys(tr.requests)) {
		n := tr.requests[ep]
		got := eps[x.Service+" "+ep]
		v.check("endpointMetrics "+ep, got.TotalRequests == n && got.ServerErrors == tr.serverErrors[ep],
			"%d requests, %d 5xx; truth %d, %d", got.TotalRequests, got.ServerErrors, n, tr.serverErrors[ep])
		v.near("endpointMetrics mean (ms) "+ep, got.AvgMs, true, ms(tr.handlerTime[ep])/float64(n))
	}

	// 1. N+1 on GET /orders
	np := forEndpoint(x.NPlusOneKind, x.NPlusOneEndpoint)
	np = slices.DeleteFunc(np, func(r scenarioRec) bool { return !slices.Contains(r.Fingerprints, fpItems) })
	v.check("n+1 reported", len(np) == 1, "%d %s recommendations for %s %s with fingerprint %s", len(np), x.NPlusOneKind, x.Service, x.NPlusOneEndpoint, fpItems)
	if len(np) == 1 {
		r := np[0]
		g, ok := r.figure(x.NPlusOneRequestsFigure)
		v.count("n+1 requests containing the loop", g, ok, ordersReqs)
		g, ok = r.figure(x.NPlusOneRepsFigure)
		v.near("n+1 repetitions per request", g, ok, float64(loops)/float64(ordersReqs))
		g, ok = r.figure(x.NPlusOneLoopPerRequestFigure)
		v.near("n+1 loop time per request (ms)", g, ok, ms(loopTime)/float64(ordersReqs))
		g, ok = r.figure(x.NPlusOneLoopTotalFigure)
		v.near("n+1 loop time in total (ms)", g, ok, ms(loopTime))
		g, ok = r.figure(x.NPlusOneLatencyShareFigure)
		v.near("n+1 share of the endpoint's latency", g, ok, float64(loopTime)/float64(tr.handlerTime["GET /orders"]))
		v.examples("n+1 example traces are GET /orders requests", r, tr.traces["GET /orders"])
		okFix, missing := matchAll(x.NPlusOneFixMust, r.fix())
		v.check("n+1 fix batches on order_id and names the index", okFix, "text lacks %s", missing)
		okFix, found := matchNone(x.NPlusOneFixMustNot, r.text())
		v.check("n+1 fix never batches on another column", okFix, "text has %s", found)
	}

	// 2. leading-wildcard LIKE on GET /products
	like := aboutFingerprint(fpLike)
	v.check("LIKE reported", len(like) >= 1, "%d recommendations with fingerprint %s", len(like), fpLike)
	if len(like) >= 1 {
		var all string
		for _, r := range like {
			all += r.fix() + "\n"
		}
		okFix, missing := matchAll(x.LikeFixMust, all)
		v.check("LIKE gets a trigram index", okFix, "text lacks %s", missing)
		g, ok := like[0].figure(x.StatementCallsFigure)
		v.count("LIKE executions", g, ok, likeCalls)
		g, ok = like[0].figure(x.StatementMeanFigure)
		v.near("LIKE mean (ms)", g, ok, ms(tr.duration[shopProductsSQL])/float64(likeCalls))
		v.examples("LIKE example traces are GET /products requests", like[0], tr.traces["GET /products"])
	}

	// 3. the pg_sleep report
	rep := aboutFingerprint(fpReport)
	v.check("report reported", len(rep) >= 1, "%d recommendations with fingerprint %s", len(rep), fpReport)
	for _, r := range rep {
		okFix, found := matchNone(x.ReportFixMustNot, r.text())
		v.check("report: no index offered", okFix && (r.Validation == nil || r.Validation.Index == ""), "text has %s; validation %+v", found, r.Validation)
		okFix, missing := matchAll(x.ReportFixMust, r.fix())
		v.check("report: time named as a function's", okFix, "text lacks %s", missing)
		g, ok := r.figure(x.StatementCallsFigure)
		v.count("report executions", g, ok, reportCalls)
		g, ok = r.figure(x.StatementMeanFigure)
		v.near("report mean (ms)", g, ok, ms(tr.duration[shopReportSQL])/float64(reportCalls))
		v.examples("report example traces are GET /report requests", r, tr.traces["GET /report"])
	}

	// 4. POST /checkout failing steadily
	er := forEndpoint(x.ErrorKind, x.ErrorEndpoint)
	v.check("checkout errors reported", len(er) == 1, "%d %s recommendations for %s %s", len(er), x.ErrorKind, x.Service, x.ErrorEndpoint)
	if len(er) == 1 {
		g, ok := er[0].figure(x.ErrorRequestsFigure)
		v.count("checkout requests", g, ok, checkoutReqs)
		g, ok = er[0].figure(x.ErrorErrorsFigure)
		v.count("checkout 5xx", g, ok, checkoutErrs)
		g, ok = er[0].figure(x.ErrorRateFigure)
		v.near("checkout 5xx share", g, ok, float64(checkoutErrs)/float64(checkoutReqs))
		g, ok = er[0].figure(x.ErrorStatusFigure)
		v.count("checkout status 500 answers", g, ok, checkoutErrs)
		v.examples("checkout example traces are failed checkouts", er[0], tr.failedTraces)
	}

	// nothing for unattributed spans, nothing for the healthy endpoints
	for _, r := range recs.Recommendations {
		v.check("no unattributed recommendation", !x.NoRecommendationMatching.MatchString(r.text()+r.Evidence), "%s: %s", r.Kind, r.Title)
	}

	// one execution is one call: otelpgx's prepare spans are not executions
	var slow struct {
		SlowQueries []struct {
			QueryHash       string `json:"queryHash"`
			OccurrenceCount int    `json:"occurrenceCount"`
		} `json:"slowQueries"`
	}
	if err := gql(shopToken, `{ slowQueries(threshold: 0, timeRange: LAST_HOUR, limit: 50) { queryHash occurrenceCount } }`, &slow); err != nil {
		t.Fatal(err)
	}
	for _, fp := range []string{fpItems, fpLike, fpReport} {
		if !slices.ContainsFunc(slow.SlowQueries, func(q struct {
			QueryHash       string `json:"queryHash"`
			OccurrenceCount int    `json:"occurrenceCount"`
		}) bool {
			return q.QueryHash == fp
		}) {
			t.Fatalf("harness: planted fingerprint %s not among the stored statements %+v", fp, slow.SlowQueries)
		}
	}
	// what the collector stored for the report, row by row: tells a prepare span counted as an
	// execution (a short row next to the 1.1 s ones) from a lost or doubled one
	if fp, err := sqlnorm.ParseFingerprint(fpReport); err == nil {
		var durs []int32
		if err := db.QueryRow(ctx, `SELECT coalesce(array_agg(q.duration_us ORDER BY q.ts), '{}') FROM query_performance_log q
			JOIN perf_tenants t USING (tenant_id) WHERE t.name = $1 AND q.fingerprint = $2`, x.Tenant, int64(fp)).Scan(&durs); err != nil {
			t.Fatal(err)
		}
		t.Logf("stored rows of the report statement (µs): %v", durs)
	}
	// every execution is attributed to the request that ran it
	for _, q := range []struct {
		fp, endpoint string
		calls        int
	}{{fpItems, "GET /orders", itemsCalls}, {fpLike, "GET /products", likeCalls}, {fpReport, "GET /report", reportCalls}} {
		var d struct {
			QueryDetail struct {
				TotalCalls int `json:"totalCalls"`
				Endpoints  []struct {
					Endpoint string `json:"endpoint"`
					Service  string `json:"service"`
					Count    int    `json:"count"`
				} `json:"endpoints"`
			} `json:"queryDetail"`
		}
		if err := gql(shopToken, fmt.Sprintf(`{ queryDetail(fingerprint: %q, timeRange: LAST_HOUR) { totalCalls endpoints { endpoint service count } } }`, q.fp), &d); err != nil {
			t.Fatal(err)
		}
		eps := d.QueryDetail.Endpoints
		v.check("executions attributed: "+q.endpoint, len(eps) == 1 && eps[0].Endpoint == q.endpoint && eps[0].Service == x.Service && eps[0].Count == d.QueryDetail.TotalCalls,
			"%d calls, by endpoint %+v", d.QueryDetail.TotalCalls, eps)
		v.count("queryDetail calls: "+q.endpoint, float64(d.QueryDetail.TotalCalls), true, q.calls)
	}
	for _, q := range slow.SlowQueries {
		if q.QueryHash == fpItems {
			v.count("order_items executions (slowQueries)", float64(q.OccurrenceCount), true, itemsCalls)
		}
	}

	// topBottlenecks carries the endpoint problems
	var ov struct {
		PerformanceOverview struct {
			TopBottlenecks []scenarioBottleneck `json:"topBottlenecks"`
		} `json:"performanceOverview"`
	}
	if err := gql(shopToken, `{ performanceOverview(timeRange: LAST_HOUR) { topBottlenecks { type severity description affectedEndpoints fingerprints } } }`, &ov); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, b := range ov.PerformanceOverview.TopBottlenecks {
		kinds = append(kinds, b.Type+" "+strings.Join(b.AffectedEndpoints, ","))
	}
	statementFP := map[string]string{"items": fpItems, "like": fpLike, "report": fpReport}
	for _, want := range x.Bottlenecks {
		v.check(fmt.Sprintf("topBottlenecks has %s %s %s", want.Type, want.Endpoint, want.Statement),
			slices.ContainsFunc(ov.PerformanceOverview.TopBottlenecks, func(b scenarioBottleneck) bool {
				return (want.Type == "" || b.Type == want.Type) &&
					(want.Endpoint == "" || slices.Contains(b.AffectedEndpoints, want.Endpoint)) &&
					(want.Statement == "" || slices.Contains(b.Fingerprints, statementFP[want.Statement]))
			}), "%v", kinds)
	}

	// the statement list ranked by load puts the N+1 statement first
	var schema struct {
		Type struct {
			Fields []struct {
				Name string `json:"name"`
			} `json:"fields"`
		} `json:"__type"`
	}
	if err := gql(shopToken, `{ __type(name: "Query") { fields { name } } }`, &schema); err != nil {
		t.Fatal(err)
	}
	var topTruth string
	for sql, d := range tr.duration {
		if topTruth == "" || d > tr.duration[topTruth] {
			topTruth = sql
		}
	}
	if topTruth != shopItemsSQL || float64(tr.duration[shopReportSQL]) > 0.8*float64(tr.duration[shopItemsSQL]) {
		t.Fatalf("harness: the N+1 statement must hold the most database time by a margin: %v", tr.duration)
	}
	if !slices.ContainsFunc(schema.Type.Fields, func(f struct {
		Name string `json:"name"`
	}) bool {
		return f.Name == x.TopQueriesField
	}) {
		v.check("topQueries ranks the N+1 statement first", false, "no %s in the schema", x.TopQueriesField)
	} else {
		var top map[string][]struct {
			QueryHash       string   `json:"queryHash"`
			Calls           float64  `json:"calls"`
			TotalMs         float64  `json:"totalTimeMs"`
			MeanMs          float64  `json:"meanTimeMs"`
			P95Ms           *float64 `json:"p95TimeMs"`
			Share           float64  `json:"shareOfDbTime"`
			CallsPerRequest *float64 `json:"callsPerRequest"`
		}
		if err := gql(shopToken, x.TopQueriesQuery, &top); err != nil {
			v.check("topQueries ranks the N+1 statement first", false, "%v", err)
		} else if l := top[x.TopQueriesField]; len(l) == 0 || l[0].QueryHash != fpItems {
			v.check("topQueries ranks the N+1 statement first", false, "%+v", l)
		} else {
			q := l[0]
			v.check("topQueries ranks the N+1 statement first", true, "%s", fpItems)
			v.count("topQueries N+1 calls", q.Calls, true, itemsCalls)
			v.check("topQueries N+1 calls are 40 per request", q.Calls == float64(shopItemsPerOrder*ordersReqs), "got %.0f, %d × %d requests", q.Calls, shopItemsPerOrder, ordersReqs)
			v.near("topQueries N+1 total (ms)", q.TotalMs, true, ms(tr.duration[shopItemsSQL]))
			v.near("topQueries N+1 mean (ms)", q.MeanMs, true, ms(tr.duration[shopItemsSQL])/float64(itemsCalls))
			var dbTruth time.Duration
			for _, d := range tr.duration {
				dbTruth += d
			}
			v.near("topQueries N+1 share of DB time", q.Share, true, float64(tr.duration[shopItemsSQL])/float64(dbTruth))
			v.near("topQueries N+1 calls per request", deref(q.CallsPerRequest), q.CallsPerRequest != nil, float64(shopItemsPerOrder))
			v.check("topQueries N+1 p95 given", q.P95Ms != nil, "p95 %.3f ms", deref(q.P95Ms))
		}
	}

	// the clean shop: nothing to report
	var cleanRecs struct {
		Recommendations []scenarioRec `json:"recommendations"`
	}
	if err := gql(cleanToken, scenarioRecsQuery, &cleanRecs); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range cleanRecs.Recommendations {
		titles = append(titles, r.Kind+": "+r.Title)
	}
	v.check("clean tenant: no recommendation", len(cleanRecs.Recommendations) == 0, "%v", titles)
	var cleanOv struct {
		PerformanceOverview struct {
			TopBottlenecks []scenarioBottleneck `json:"topBottlenecks"`
		} `json:"performanceOverview"`
	}
	if err := gql(cleanToken, `{ performanceOverview(timeRange: LAST_HOUR) { topBottlenecks { type severity description affectedEndpoints fingerprints } } }`, &cleanOv); err != nil {
		t.Fatal(err)
	}
	v.check("clean tenant: no bottleneck", len(cleanOv.PerformanceOverview.TopBottlenecks) == 0, "%+v", cleanOv.PerformanceOverview.TopBottlenecks)
	var cleanRequests int
	for _, n := range clean.truth.requests {
		cleanRequests += n
	}
	v.check("clean tenant: traffic stored", cleanRequests == 3*scenarioRounds, "%d requests", cleanRequests)

	t.Logf("scenario verdicts (%d failed):\n%s", v.fail, strings.Join(v.rows, "\n"))
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
