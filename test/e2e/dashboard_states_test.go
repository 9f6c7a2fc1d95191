package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/cmd/perfdemo/demo"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// browser is one headless Chromium page with the helpers of the dashboard tests.
type browser struct {
	t      *testing.T
	ctx    context.Context
	dir    string // screenshots
	mu     sync.Mutex
	errors []string // console errors and uncaught exceptions
}

func newBrowser(t *testing.T, ctx context.Context, dir string) *browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 900),
	)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	b := &browser{t: t, ctx: bctx, dir: dir}
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath(), err)
	}
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.errors = append(b.errors, m.String()+" ("+m.URL+")")
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *browser) run(what string, a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, a); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-") + ".png")
		b.t.Fatalf("%s: %v", what, err)
	}
}

// openSignIn clicks the sign-in button until its form shows: a click that lands while a
// refresh re-renders the header is lost, and typing into the hidden form would then wait for
// the whole test's deadline.
func (b *browser) openSignIn() {
	b.t.Helper()
	for range 3 {
		b.run("open sign-in", chromedp.Click("#signin"))
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`!document.getElementById('login').hidden`, chromedp.WithPollingInterval(100*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
	}
	b.shot("failed-open-sign-in.png")
	b.t.Fatal("the sign-in form did not open after 3 clicks")
}

func (b *browser) poll(what, expr string, timeout time.Duration) {
	b.t.Helper()
	b.run(what, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
}

func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// shot saves the whole page from the top, or the viewport when the drawer (a fixed
// overlay) or the sign-in form is open.
func (b *browser) shot(name string) {
	b.t.Helper()
	full, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { window.scrollTo(0, 0); return document.getElementById('drawer').hidden && document.getElementById('login').hidden; })()`))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	capture := chromedp.CaptureScreenshot()
	if full {
		capture = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(b.ctx, capture)
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.dir, name), png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// load navigates and waits for one more completed refresh of every panel.
func (b *browser) load(url string) {
	b.t.Helper()
	b.run("open "+url, chromedp.Navigate(url))
	b.poll("first load of "+url, `window.perfDashboard && window.perfDashboard.loads >= 1`, 20*time.Second)
}

func (b *browser) refresh() {
	b.t.Helper()
	n := eval[int](b, `window.perfDashboard.loads`)
	b.run("refresh", chromedp.Evaluate[chromedp.Void](`document.getElementById('refresh').click()`))
	b.poll("refreshed", fmt.Sprintf(`window.perfDashboard.loads > %d`, n), 20*time.Second)
}

// overflowJS lists what sticks out of its card: element boxes beyond the card's box, tables
// wider than their wrapper (a cut last column), KPI figures cut by their box, and a page
// wider than the window.
const overflowJS = `(() => {
  const bad = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined && el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push('page: ' + document.documentElement.scrollWidth + ' px wide in a ' + window.innerWidth + ' px window');
  let checked = 0;
  document.querySelectorAll('main .card').forEach((card) => {
    const c = card.getBoundingClientRect();
    card.querySelectorAll('*').forEach((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      checked++;
      if (r.right > c.right + 0.5 || r.left < c.left - 0.5) bad.push(card.id + ': ' + name(el) + ' spans ' + r.left.toFixed(0) + '..' + r.right.toFixed(0) + ', card ' + c.left.toFixed(0) + '..' + c.right.toFixed(0));
    });
    card.querySelectorAll('.tablewrap').forEach((w) => {
      if (w.scrollWidth > w.clientWidth + 1) bad.push(card.id + ': table cut, ' + w.scrollWidth + ' px in ' + w.clientWidth + ' px');
    });
    card.querySelectorAll('.kpi .v, .kpi .v2, .facts b').forEach((el) => {
      if (el.scrollWidth > el.clientWidth + 1) bad.push(card.id + ': ' + name(el) + ' cut, ' + el.scrollWidth + ' px in ' + el.clientWidth + ' px');
    });
  });
  return { bad, checked };
})()`

type overflowReport struct {
	Bad     []string `json:"bad"`
	Checked int      `json:"checked"`
}

// axisJS: the x-axis labels of every chart of the main page, per chart.
const axisJS = `[...document.querySelectorAll('main svg.chart')].map((s) => ({
  panel: s.closest('[data-panel]').dataset.panel,
  step: Number(s.dataset.step),
  x: [...s.querySelectorAll('text.xlabel')].map((t) => t.textContent),
  y: [...s.querySelectorAll('text.ylabel')].map((t) => t.textContent),
  marks: s.querySelectorAll('.mark').length,
  runs: [...s.querySelectorAll('path.line')].map((p) => (p.getAttribute('d').match(/M/g) || []).length),
}))`

type chartInfo struct {
	Panel string   `json:"panel"`
	Step  float64  `json:"step"`
	X     []string `json:"x"`
	Y     []string `json:"y"`
	Marks int      `json:"marks"`
	Runs  []int    `json:"runs"`
}

// oldRequests posts n server spans of service, route GET /api/archive, at the given time
// (one trace each, with three DB spans).
func oldRequests(t *testing.T, endpoint, tenant, service string, at time.Time, n int) {
	t.Helper()
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", service)
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	for i := range n {
		trace := pcommon.TraceID{0xa, byte(i), 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, byte(i)}
		start := at.Add(time.Duration(i) * time.Second)
		s := spans.AppendEmpty()
		s.SetKind(ptrace.SpanKindServer)
		s.SetName("GET /api/archive")
		s.SetTraceID(trace)
		s.SetSpanID(pcommon.SpanID{1, byte(i), 0, 0, 0, 0, 0, 1})
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(40 * time.Millisecond)))
		s.Attributes().PutStr("http.request.method", "GET")
		s.Attributes().PutStr("http.route", "/api/archive")
		s.Attributes().PutInt("http.response.status_code", 200)
		for j := range 3 {
			db := spans.AppendEmpty()
			db.SetKind(ptrace.SpanKindClient)
			db.SetName("SELECT archive")
			db.SetTraceID(trace)
			db.SetSpanID(pcommon.SpanID{2, byte(i), 0, 0, 0, 0, 1, byte(j)})
			db.SetParentSpanID(s.SpanID())
			db.SetStartTimestamp(pcommon.NewTimestampFromTime(start.Add(time.Duration(5+10*j) * time.Millisecond)))
			db.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(time.Duration(12+10*j) * time.Millisecond)))
			db.Attributes().PutStr("db.system.name", "postgresql")
			db.Attributes().PutStr("db.query.text", fmt.Sprintf("SELECT * FROM archive WHERE id = %d", j))
		}
	}
	postTraces(t, endpoint, td, map[string]string{"X-Scope-OrgID": tenant})
}

// The states of the dashboard a person meets first, in headless Chromium against the real
// collector, with a screenshot of each under <artifacts>/dashboard/:
//   - anonymous access on, the anonymous tenant without data: "No data", never a score;
//     the tenant is named; a visitor signs in with a token all the same;
//   - a fresh service (its first minute) in the 24-hour range: the charts narrow to the data
//     at minute buckets instead of one dot on a 24-hour axis;
//   - a 24-hour range with data 8 hours old and now: hourly buckets everywhere, the empty
//     hours left empty, no x-axis label twice;
//   - 1280, 1440 and 1920 px wide: no element outside its card, no table cut (measured);
//   - the URL round trip: range, service and an open recommendation from a link;
//   - the trace link of the N+1 evidence through dashboard.trace_url, and its waterfall.
func TestDashboardStates(t *testing.T) {
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Fatalf("Chromium not found at %s (%v): install it with `sudo scripts/ensure-chromium.sh`, or set CHROMIUM_BIN", chromiumPath(), err)
	}
	t.Parallel()
	dir := filepath.Join(artifactsDir(t), "dashboard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	acme, globex := randomToken(t), randomToken(t)
	c := startCollector(t, perfdbtest.NewDatabaseName(t), t.TempDir(),
		"--config", "yaml:extensions::perfgraphql::scheduler::interval: 2s",
		"--config", "yaml:extensions::perfgraphql::optimizer::interval: 2s",
		"--config", "yaml:extensions::perfgraphql::optimizer::min_interval: 2s",
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::tenants::tokens: [{token: %q, tenant: acme}, {token: %q, tenant: globex}]", acme, globex),
		"--config", `yaml:extensions::perfgraphql::tenants::anonymous_tenant: visitors`,
		"--config", `yaml:extensions::perfgraphql::dashboard::trace_url: "https://jaeger.example/trace/{trace_id}"`,
	)
	c.waitHealthy(t, 60*time.Second)
	ctx := contextFor(t, 240*time.Second)
	b := newBrowser(t, ctx, dir)

	// the API says NO_DATA for the tenant without requests (anonymous here)
	var empty struct {
		PerformanceOverview struct {
			Status     string
			HasData    bool
			LastDataAt *string
		}
		Viewer struct {
			Tenant    string
			Anonymous bool
		}
	}
	if err := gqlAnon(ctx, c.graphqlURL, `{ performanceOverview { status hasData lastDataAt } viewer { tenant anonymous } }`, &empty); err != nil {
		t.Fatal(err)
	}
	if o := empty.PerformanceOverview; o.Status != "NO_DATA" || o.HasData || o.LastDataAt != nil || empty.Viewer.Tenant != "visitors" || !empty.Viewer.Anonymous {
		t.Errorf("empty anonymous tenant: overview %+v, viewer %+v; want NO_DATA, no data, no last time, tenant visitors, anonymous", o, empty.Viewer)
	}

	// 1. Anonymous, empty tenant: "No data", the tenant named, a sign-in button.
	b.load(c.graphqlURL + "/")
	b.poll("health panel settled", `document.getElementById('health').dataset.state === 'empty'`, 10*time.Second)
	health := eval[string](b, `document.querySelector('#health .body').innerText`)
	if !strings.Contains(health, "No data") || strings.Contains(health, "/ 100") || strings.Contains(health, "HEALTHY") || !strings.Contains(health, "No request has been recorded") {
		t.Errorf("empty tenant's health card: %q", health)
	}
	if who := eval[string](b, `document.getElementById('tenant').innerText`); !strings.Contains(who, "visitors") || !strings.Contains(who, "anonymous") {
		t.Errorf("tenant shown as %q, want visitors (anonymous)", who)
	}
	if kpis := eval[string](b, `document.querySelector('#kpis .body').innerText`); strings.Contains(kpis, "0.00 %") || strings.Contains(kpis, "0.00 ms") {
		t.Errorf("empty tenant's KPIs show zeros as measurements: %q", kpis)
	}
	b.shot("empty-tenant.png")

	// 2. The demo starts now: acme's services are fresh. globex also gets requests 8 hours
	// old (a day partition of yesterday is created by the exporter when needed).
	var demoStats *demo.Stats
	var demoErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		demoStats, demoErr = demo.Run(ctx, demo.Config{Endpoint: c.otlpHTTP, Duration: 25 * time.Second, Rate: 25,
			Tenants: []string{"acme", "globex"}, MetricsInterval: 2 * time.Second, Seed: 11})
	}()
	oldAt := time.Now().Add(-8 * time.Hour).Truncate(time.Minute).Add(10 * time.Second)
	oldRequests(t, c.otlpHTTP, "globex", "archive-service", oldAt, 5)

	// 3. Sign in as acme although anonymous access works.
	b.openSignIn()
	b.poll("sign-in form", `!document.getElementById('login').hidden && !document.getElementById('login-cancel').hidden`, 5*time.Second)
	b.run("type token", chromedp.SendKeys("#token", acme))
	b.shot("sign-in-anonymous-on.png")
	n := eval[int](b, `window.perfDashboard.loads`)
	b.run("submit token", chromedp.Click("#login-form button[type=submit]"))
	b.poll("signed in as acme", fmt.Sprintf(`window.perfDashboard.loads > %d && document.getElementById('tenant').innerText.includes('acme')`, n), 20*time.Second)
	if eval[bool](b, `!document.getElementById('signout').hidden && document.getElementById('signin').hidden`) != true {
		t.Errorf("after sign-in: the page should offer to forget the token, not to sign in")
	}

	// 4. Fresh service, first minute, 24-hour range: the window narrows to the data.
	deadline := time.Now().Add(30 * time.Second)
	for eval[int](b, `document.querySelectorAll('#latency svg.chart .mark').length`) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Second)
		b.refresh()
	}
	b.refresh()
	note := eval[string](b, `document.getElementById('window-note').textContent`)
	zoomed := eval[bool](b, `document.getElementById('window-note').dataset.zoomed === 'true'`)
	charts := eval[[]chartInfo](b, axisJS)
	if !zoomed || !strings.Contains(note, "1-minute") {
		t.Errorf("fresh service in the 24-hour range: window note %q (zoomed %v), want the data's minutes", note, zoomed)
	}
	checkCharts(t, "fresh service", charts, 60e3)
	b.shot("fresh-service-24h.png")

	// 5. A 24-hour range with data 8 hours old (globex): hourly buckets, gaps left empty.
	wg.Wait()
	if demoErr != nil || demoStats.FailedPosts > 0 {
		t.Fatalf("demo: %v %v", demoErr, demoStats)
	}
	b.run("forget acme", chromedp.Click("#signout"))
	b.poll("anonymous again", `document.getElementById('tenant').innerText.includes('visitors') && !document.getElementById('signin').hidden`, 20*time.Second)
	b.openSignIn()
	b.run("type globex token", chromedp.SendKeys("#token", globex))
	b.run("submit globex token", chromedp.Click("#login-form button[type=submit]"))
	b.poll("signed in as globex", `document.getElementById('tenant').innerText.includes('globex')`, 20*time.Second)
	deadline = time.Now().Add(60 * time.Second)
	for {
		b.refresh()
		charts = eval[[]chartInfo](b, axisJS)
		ready := len(charts) > 0 && charts[0].Panel == "latency" && charts[0].Step == 3600e3 && len(charts[0].Runs) > 0 && charts[0].Runs[0] >= 2
		if ready || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if eval[bool](b, `document.getElementById('window-note').dataset.zoomed === 'true'`) {
		t.Errorf("24-hour range with data 8 h old: the window narrowed (%q)", eval[string](b, `document.getElementById('window-note').textContent`))
	}
	checkCharts(t, "24-hour range", charts, 3600e3)
	if len(charts) == 0 || len(charts[0].Runs) == 0 || charts[0].Runs[0] < 2 {
		t.Errorf("24-hour range: the latency line should break between the hour 8 h ago and now: %+v", charts)
	}
	b.shot("range-24h.png")

	// 6. Three widths, measured: nothing outside its card, no table cut.
	for _, w := range []int64{1280, 1440, 1920} {
		b.run(fmt.Sprintf("width %d", w), chromedp.EmulateViewport(w, 900))
		time.Sleep(400 * time.Millisecond)
		rep := eval[overflowReport](b, overflowJS)
		if rep.Checked < 200 {
			t.Errorf("%d px: only %d elements measured", w, rep.Checked)
		}
		for _, bad := range rep.Bad {
			t.Errorf("%d px: %s", w, bad)
		}
		b.shot(fmt.Sprintf("width-%d.png", w))
	}
	b.run("width back", chromedp.EmulateViewport(1440, 900))

	// 7. The N+1 recommendation (demo, acme): evidence as a table, the trace linked through
	// dashboard.trace_url, the loop as a waterfall.
	b.run("forget globex", chromedp.Click("#signout"))
	b.poll("anonymous again", `!document.getElementById('signin').hidden`, 20*time.Second)
	b.run("open sign-in", chromedp.Click("#signin"))
	b.run("type acme token", chromedp.SendKeys("#token", acme))
	b.run("submit acme token", chromedp.Click("#login-form button[type=submit]"))
	b.poll("signed in as acme", `document.getElementById('tenant').innerText.includes('acme')`, 20*time.Second)
	nplus1 := `[...document.querySelectorAll('#recommendations .rec')].find((r) => r.innerText.includes('N+1'))`
	deadline = time.Now().Add(60 * time.Second)
	for !eval[bool](b, `!!`+nplus1) && time.Now().Before(deadline) {
		time.Sleep(2 * time.Second)
		b.refresh()
	}
	if !eval[bool](b, `!!`+nplus1) {
		t.Fatalf("no N+1 recommendation within 60 s: %q", eval[string](b, `document.querySelector('#recommendations .body').innerText`))
	}
	b.run("open N+1", chromedp.Evaluate[chromedp.Void](nplus1+`.click()`))
	b.poll("N+1 evidence", `document.getElementById('drawer').dataset.kind === 'rec' && !!document.querySelector('#drawer-body [data-testid=evidence] tbody tr')`, 10*time.Second)
	b.poll("waterfall", `!!document.querySelector('#drawer-body [data-testid=waterfall]') || !!document.querySelector('#waterfall .error')`, 15*time.Second)
	body := eval[string](b, `document.getElementById('drawer-body').innerText`)
	if strings.Contains(body, "{\"") || !strings.Contains(body, "affected requests") {
		t.Errorf("N+1 evidence is not a table of figures:\n%.800s", body)
	}
	if n := eval[int](b, `document.querySelectorAll('#drawer-body [data-testid=waterfall] .mark').length`); n < 3 {
		t.Errorf("N+1 waterfall: %d spans, want the loop's (at least 3); %q", n, eval[string](b, `document.getElementById('waterfall').innerText`))
	}
	links := eval[[]map[string]string](b, `[...document.querySelectorAll('#drawer-body a[data-testid=trace-link]')].map((a) => ({href: a.href, target: a.target, rel: a.rel, text: a.textContent}))`)
	traceURL := regexp.MustCompile(`^https://jaeger\.example/trace/[0-9a-f]{32}$`)
	if len(links) == 0 {
		t.Errorf("no trace link in the N+1 evidence")
	}
	for _, l := range links {
		if !traceURL.MatchString(l["href"]) || !strings.HasSuffix(l["href"], l["text"]) || l["target"] != "_blank" || !strings.Contains(l["rel"], "noopener") {
			t.Errorf("trace link %+v", l)
		}
	}
	b.run("scroll to the waterfall", chromedp.Evaluate[chromedp.Void](`document.getElementById('waterfall').scrollIntoView()`))
	b.shot("nplusone-evidence.png")

	// 8. URL round trip: range, service and the open recommendation come back from a link.
	b.run("close drawer", chromedp.Click("#drawer-close"))
	svc := eval[string](b, `(() => { const o = [...document.querySelectorAll('#service option')].map((o) => o.value).filter(Boolean); return o.includes('checkout-api') ? 'checkout-api' : o[0]; })()`)
	b.run("choose range", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('range'); s.value = 'LAST_6_HOURS'; s.dispatchEvent(new Event('change')); })()`))
	b.poll("range applied", `location.search.includes('range=LAST_6_HOURS')`, 5*time.Second)
	b.run("choose service", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.getElementById('service'); s.value = %q; s.dispatchEvent(new Event('change')); })()`, svc)))
	b.poll("service applied", `location.search.includes('service=')`, 5*time.Second)
	b.poll("recommendations listed", `!!`+nplus1, 20*time.Second)
	b.run("open N+1 again", chromedp.Evaluate[chromedp.Void](nplus1+`.click()`))
	b.poll("drawer", `document.getElementById('drawer').dataset.kind === 'rec' && !!document.querySelector('#drawer-body [data-testid=evidence]')`, 10*time.Second)
	link := eval[string](b, `location.href`)
	title := eval[string](b, `document.getElementById('drawer-title').textContent`)
	if !strings.Contains(link, "range=LAST_6_HOURS") || !strings.Contains(link, "service=") || !strings.Contains(link, "#rec=") {
		t.Errorf("shareable link %q lacks the range, the service or the open recommendation", link)
	}
	b.run("leave", chromedp.Navigate("about:blank"))
	b.load(link)
	b.poll("linked recommendation open on load", `document.getElementById('drawer').dataset.kind === 'rec' && !!document.querySelector('#drawer-body [data-testid=evidence]')`, 15*time.Second)
	got := eval[map[string]string](b, `({range: document.getElementById('range').value, service: document.getElementById('service').value, title: document.getElementById('drawer-title').textContent, note: document.getElementById('window-note').textContent})`)
	if got["range"] != "LAST_6_HOURS" || got["service"] != svc || got["title"] != title {
		t.Errorf("link %q opened as %+v; want range LAST_6_HOURS, service %q, recommendation %q", link, got, svc, title)
	}
	b.shot("url-roundtrip.png")
	charts = eval[[]chartInfo](b, axisJS)
	checkCharts(t, "6-hour range", charts, 5*60e3)

	// API: endpointMetrics.endpoint is the route, method beside it, the label both
	var eps struct {
		EndpointMetrics []struct{ Endpoint, Method, Route, Label, Service string }
	}
	if err := gqlAs(ctx, c.graphqlURL, acme, `{ endpointMetrics(limit: 100) { endpoint method route label service } }`, &eps); err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, e := range eps.EndpointMetrics {
		if e.Endpoint != e.Route || !strings.HasPrefix(e.Endpoint, "/") || (e.Method != "" && e.Label != e.Method+" "+e.Route) {
			t.Errorf("endpoint row %+v: endpoint must be the route, label METHOD route", e)
		}
		if rows[e.Service+" "+e.Label] {
			t.Errorf("two rows for %s %s", e.Service, e.Label)
		}
		rows[e.Service+" "+e.Label] = true
	}
	if len(rows) < 8 {
		t.Errorf("%d endpoint rows, want the demo's", len(rows))
	}

	time.Sleep(300 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		t.Errorf("browser console: %s", e)
	}
	t.Logf("screenshots in %s", dir)
}

// checkCharts: every chart of the main page has the bucket size step and no x-axis or
// y-axis label twice.
func checkCharts(t *testing.T, what string, charts []chartInfo, step float64) {
	t.Helper()
	if len(charts) < 6 {
		t.Errorf("%s: %d charts on the page, want latency, throughput, 4 resource charts and the pool's", what, len(charts))
	}
	for _, ch := range charts {
		if ch.Step != step {
			t.Errorf("%s: %s chart has %v ms buckets, want %v", what, ch.Panel, ch.Step, step)
		}
		for _, labels := range [][]string{ch.X, ch.Y} {
			seen := map[string]bool{}
			for _, l := range labels {
				if seen[l] {
					t.Errorf("%s: %s chart repeats the axis label %q: %v", what, ch.Panel, l, labels)
				}
				seen[l] = true
			}
		}
		if len(ch.X) < 2 {
			t.Errorf("%s: %s chart has %d time labels: %v", what, ch.Panel, len(ch.X), ch.X)
		}
	}
}

// gqlAnon posts one query without credentials.
func gqlAnon(ctx context.Context, url, query string, out any) error {
	return gqlAs(ctx, url, "", query, out)
}
