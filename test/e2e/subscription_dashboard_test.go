package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The dashboard goes live: it shows "live" while its socket is up and re-reads on a push
// (with polling every 5 minutes, a new request shows within seconds only through the push);
// when the socket is refused (the tenant's one connection is taken) it shows "polling", and
// it goes live again once the slot frees. No console errors on the way.
func TestSubscriptionDashboardGoesLive(t *testing.T) {
	chromium := chromiumPath()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("Chromium not found at %s: %v", chromium, err)
	}
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", "yaml:extensions::perfgraphql::scheduler::interval: 1s",
		"--config", "yaml:extensions::perfgraphql::limits::subscriptions::max_connections_per_tenant: 1",
	)
	c.waitHealthy(t, 60*time.Second)
	ctx := contextFor(t, 150*time.Second)

	// the anonymous tenant's only connection, taken before the page opens
	ws, _, err := websocket.Dial(ctx, strings.Replace(c.graphqlURL, "http://", "ws://", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init"}`)); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := ws.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("ack: %s %v", msg, err)
	}
	go func() { // answers the server's keepalive pings
		for {
			if _, _, err := ws.Read(context.Background()); err != nil {
				return
			}
		}
	}()

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	var mu sync.Mutex
	var consoleErrors []string
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				consoleErrors = append(consoleErrors, m.String())
				mu.Unlock()
			}
		}
	}()
	poll := func(what, expr string, timeout time.Duration) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(timeout),
			chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	if _, err := chromedp.Run(bctx, chromedp.Navigate(c.graphqlURL+"/")); err != nil {
		t.Fatal(err)
	}
	poll("first load", `document.body.dataset.loads >= 1`, 20*time.Second)
	// polling every 5 minutes: what shows within seconds came through the socket
	eval(`(() => { const s = document.getElementById('interval'); s.value = '300'; s.dispatchEvent(new Event('change')); return s.value; })()`)
	// refused (4403): polling, and it says so
	time.Sleep(time.Second)
	if m := eval(`document.getElementById('mode').textContent`); m != "polling" {
		t.Fatalf("mode with the socket refused: %q", m)
	}
	// the slot frees: the page reconnects (backoff 2 s, 4 s ...) and goes live
	_ = ws.Close(websocket.StatusNormalClosure, "")
	poll("live after the slot freed", `document.getElementById('mode').textContent === 'live'`, 30*time.Second)

	// new data: the push re-reads the page long before the 5-minute poll would (after the
	// re-read that the first push of the new connection caused)
	time.Sleep(1500 * time.Millisecond)
	loadsBefore := eval(`document.body.dataset.loads`)
	if strings.Contains(eval(`document.getElementById('kpis').innerHTML`), "3 requests in the range") {
		t.Fatal("the page shows the requests before they were sent")
	}
	if got := postOTLP(t, c.otlpHTTP, "application/x-protobuf", protoOf(t, serverSpans("live-page", 0x6100, 3, nil)), nil); got.status != http.StatusOK {
		t.Fatalf("export: %d %s", got.status, got.body)
	}
	poll("re-read after the push", fmt.Sprintf(`Number(document.body.dataset.loads) > %s && document.getElementById('kpis').innerHTML.includes('3 requests in the range')`, loadsBefore), 20*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(consoleErrors) > 0 {
		t.Errorf("console errors: %v", consoleErrors)
	}
}
