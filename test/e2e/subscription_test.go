package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The npm packages of the subscribing client, pinned: graphql-ws 6 is the current major
// (Node 20 or later), graphql 16 its peer, ws its WebSocket for Node.
var npmClient = []string{"graphql-ws@6.0.6", "graphql@16.11.0", "ws@8.18.3"}

// installGraphqlWS installs the client into a temporary directory next to testdata's
// subscribe.mjs (Node resolves its imports from the script's directory).
func installGraphqlWS(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	dir := t.TempDir()
	script, err := os.ReadFile(filepath.Join("testdata", "subscribe.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "subscribe.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npm", append([]string{"install", "--no-audit", "--no-fund", "--silent", "--prefix", dir}, npmClient...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}
	return dir
}

type nodeEvent struct {
	Ev      string `json:"ev"`
	ID      string `json:"id"`
	Code    int    `json:"code"`
	Reason  string `json:"reason"`
	Payload struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	} `json:"payload"`
	Raw string `json:"-"`
	At  time.Time
}

// nodeSubscriber is one `node subscribe.mjs` process.
type nodeSubscriber struct {
	events chan nodeEvent
	mu     sync.Mutex
	all    []nodeEvent
	stderr *syncBuffer
}

func subscribeWithGraphqlWS(t *testing.T, dir, url, token string, ops ...string) *nodeSubscriber {
	t.Helper()
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "subscribe.mjs"), url, token}, ops...)...)
	s := &nodeSubscriber{events: make(chan nodeEvent, 100), stderr: &syncBuffer{}}
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ev nodeEvent
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				ev = nodeEvent{Ev: "unparsable"}
			}
			ev.Raw, ev.At = sc.Text(), time.Now()
			s.mu.Lock()
			s.all = append(s.all, ev)
			s.mu.Unlock()
			s.events <- ev
		}
		close(s.events)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			s.mu.Lock()
			t.Logf("graphql-ws client events (%s):", token)
			for _, ev := range s.all {
				t.Logf("  %s %s", ev.At.Format("15:04:05.000"), ev.Raw)
			}
			s.mu.Unlock()
			t.Logf("stderr: %s", s.stderr.String())
		}
	})
	return s
}

// next waits for the next event of subscription id (others are kept in s.all), failing on
// a closed socket or an error.
func (s *nodeSubscriber) next(t *testing.T, id string, timeout time.Duration) nodeEvent {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("the graphql-ws client exited: %s", s.stderr.String())
			}
			switch ev.Ev {
			case "closed", "error", "socket-error", "unparsable":
				t.Fatalf("graphql-ws client: %s", ev.Raw)
			case "next":
				if len(ev.Payload.Errors) > 0 {
					t.Fatalf("errors in next: %s", ev.Raw)
				}
				if ev.ID == id {
					return ev
				}
			}
		case <-deadline:
			t.Fatalf("no %s event within %s", id, timeout)
		}
	}
}

func overviewRequests(t *testing.T, ev nodeEvent) float64 {
	t.Helper()
	o, ok := ev.Payload.Data["overview"].(map[string]any)
	if !ok {
		t.Fatalf("no overview in %s", ev.Raw)
	}
	return o["totalRequests"].(float64)
}

// The dashboard's subscription, with the graphql-ws npm client against the real binary: an
// overview update arrives within one scheduler interval of new data being stored; the other
// tenant's subscriber hears nothing of it; the server's read_timeout (1s here) and
// write_timeout do not cut a subscription held open for several of them.
func TestSubscriptionGraphqlWSClient(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	t.Parallel()
	dir := installGraphqlWS(t)
	const interval = 2 * time.Second
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::tenants::tokens: [{token: %s, tenant: acme}, {token: %s, tenant: globex}]", acmeToken, globexToken),
		"--config", `yaml:extensions::perfgraphql::tenants::anonymous_tenant: ""`,
		"--config", "yaml:receivers::otlp::protocols::http::auth::authenticator: perfgraphql",
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::scheduler::interval: %s", interval),
		"--config", "yaml:extensions::perfgraphql::read_timeout: 1s",
		"--config", "yaml:extensions::perfgraphql::write_timeout: 1s",
		"--config", "yaml:extensions::perfgraphql::limits::subscriptions::keepalive: 500ms",
	)
	c.waitHealthy(t, 90*time.Second)
	ctx := contextFor(t, 3*time.Minute)
	conn := pgConnect(t, ctx, dsn)

	send := func(token, service string, id0 uint64, n int) {
		t.Helper()
		if got := postOTLP(t, c.otlpHTTP, "application/x-protobuf", protoOf(t, serverSpans(service, id0, n, nil)), bearer(token)); got.status != http.StatusOK {
			t.Fatalf("export: %d %s", got.status, got.body)
		}
	}
	// both tenants have data, so each has an overview to watch
	send(acmeToken, "acme-live", 0x5100, 5)
	send(globexToken, "globex-live", 0x5200, 7)
	waitStored(t, ctx, conn, "acme", 5)
	waitStored(t, ctx, conn, "globex", 7)

	wsURL := strings.Replace(c.graphqlURL, "http://", "ws://", 1) + "/graphql"
	const ov = `ov=subscription { overview(timeRange: LAST_HOUR) { totalRequests healthScore } }`
	const rec = `rec=subscription { recommendationChanged { id priority status } }`
	a := subscribeWithGraphqlWS(t, dir, wsURL, acmeToken, ov, rec)
	b := subscribeWithGraphqlWS(t, dir, wsURL, globexToken, ov, rec)
	// the first overview is sent on subscribing; wait until it shows the refreshed data
	for _, s := range []struct {
		sub  *nodeSubscriber
		want float64
	}{{a, 5}, {b, 7}} {
		for got := overviewRequests(t, s.sub.next(t, "ov", 30*time.Second)); got != s.want; {
			got = overviewRequests(t, s.sub.next(t, "ov", 30*time.Second))
		}
	}

	// held open across several read and write timeouts (and keepalive pings)
	time.Sleep(3500 * time.Millisecond)
	b.mu.Lock()
	bSeen := len(b.all)
	b.mu.Unlock()

	send(acmeToken, "acme-live", 0x5300, 4)
	stored := waitStored(t, ctx, conn, "acme", 9)
	ev := a.next(t, "ov", 30*time.Second)
	for overviewRequests(t, ev) != 9 {
		ev = a.next(t, "ov", 30*time.Second)
	}
	lag := ev.At.Sub(stored)
	t.Logf("overview update %s after the new data was stored (scheduler.interval %s)", lag.Round(time.Millisecond), interval)
	if lag > interval+time.Second {
		t.Errorf("update %s after the data was stored, want within one refresh interval (%s) plus 1s", lag, interval)
	}

	// self-telemetry: 2 clients × 2 subscriptions running; the nexts they got were counted
	metric := func(name string, labels ...string) float64 {
		t.Helper()
		for _, n := range []string{name, name + "_total"} {
			if v, ok := c.metricSum(t, n, labels...); ok {
				return v
			}
		}
		t.Fatalf("metric %s not exported", name)
		return 0
	}
	if v := metric("otelcol_perfgraphql_subscriptions_active"); v != 4 {
		t.Errorf("otelcol_perfgraphql_subscriptions_active = %v, want 4", v)
	}
	// at least the nexts the two clients received so far (how many overviews it took to see
	// the refreshed data varies)
	received := 0
	for _, s := range []*nodeSubscriber{a, b} {
		s.mu.Lock()
		for _, ev := range s.all {
			if ev.Ev == "next" {
				received++
			}
		}
		s.mu.Unlock()
	}
	if v := metric("otelcol_perfgraphql_subscription_messages_sent", `type="next"`); v < float64(received) || received < 3 {
		t.Errorf("otelcol_perfgraphql_subscription_messages_sent{type=next} = %v, want at least the %d nexts received (3 or more)", v, received)
	}

	// globex: nothing after its own first overview, and nothing of acme's ever
	time.Sleep(interval)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.all {
		// its overviews: 0 (subscribed before the first refresh) or its own 7, never acme's 5 or 9
		if strings.Contains(e.Raw, "acme") || e.Ev == "next" && e.ID == "ov" && overviewRequests(t, e) != 7 && overviewRequests(t, e) != 0 {
			t.Errorf("globex's subscriber got acme's data: %s", e.Raw)
		}
		if e.Ev == "closed" || e.Ev == "error" {
			t.Errorf("globex's subscription ended: %s", e.Raw)
		}
	}
	// after acme's new data, globex may only see its own overview again (its window moves
	// with the clock), never a change of acme's
	for _, e := range b.all[bSeen:] {
		if e.Ev != "next" || e.ID != "ov" || overviewRequests(t, e) != 7 {
			t.Errorf("globex's subscriber got an event after acme's new data: %s", e.Raw)
		}
	}
}

// waitStored waits until tenant has n requests stored and returns when that was first seen.
func waitStored(t *testing.T, ctx context.Context, conn *pgx.Conn, tenant string, n int) time.Time {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var got int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM api_performance_log a JOIN perf_tenants t USING (tenant_id) WHERE t.name = $1`, tenant).Scan(&got)
		if err == nil && got >= n {
			return time.Now()
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d requests stored after 60s, want %d (err %v)", tenant, got, n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func pgConnect(t *testing.T, ctx context.Context, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}
