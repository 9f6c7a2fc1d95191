package perfgraphqlext

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// statusHost records the component status events the extension reports.
type statusHost struct {
	component.Host
	mu     sync.Mutex
	events []*componentstatus.Event
}

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *statusHost) last() *componentstatus.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.events) == 0 {
		return nil
	}
	return h.events[len(h.events)-1]
}

// forwardTo accepts on l and relays every connection to target (the shared PostgreSQL):
// the database "comes back" at the address the extension was given.
func forwardTo(t *testing.T, l net.Listener, target string) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	t.Cleanup(func() { _ = l.Close() })
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("%s: %d, body is not JSON: %v", url, resp.StatusCode, err)
	}
	return resp.StatusCode, body
}

// The extension starts while PostgreSQL is unreachable: its HTTP server answers at once,
// GraphQL with 503 and a GraphQL error saying the database is not ready, /healthz and the
// component status say degraded; once the database is reachable, it creates and migrates
// the database, and GraphQL and the health are back without a restart.
func TestStartsWithoutTheDatabase(t *testing.T) {
	t.Parallel()
	dbAddr := freeAddr(t) // nothing listens here yet
	dsn := strings.Replace(perfdbtest.NewDatabaseName(t), "127.0.0.1:5432", dbAddr, 1)
	if !strings.Contains(dsn, dbAddr) {
		t.Fatalf("cannot point %s at %s", dsn, dbAddr)
	}
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.ServerConfig.NetAddr.Endpoint = freeAddr(t)
	cfg.Tenants.AnonymousTenant = "default"
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), cfg)
	if err != nil {
		t.Fatal(err)
	}
	host := &statusHost{Host: componenttest.NewNopHost()}
	if err := ext.Start(context.Background(), host); err != nil {
		t.Fatalf("Start must not fail while the database is down: %v", err)
	}
	t.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	base := "http://" + cfg.ServerConfig.NetAddr.Endpoint

	if ev := host.last(); ev == nil || ev.Status() != componentstatus.StatusRecoverableError {
		t.Errorf("status after Start: %v, want a recoverable error", ev)
	}
	// wait for a failed attempt, so the reason is the real one
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, h := getJSON(t, base+"/healthz")
		if h["reason"] != "database not ready: connecting" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	r := query(t, base+"/graphql", "", `{ performanceOverview { healthScore } }`, nil)
	if r.Status != http.StatusServiceUnavailable || len(r.Errors) != 1 || !strings.HasPrefix(r.Errors[0].Message, "database not ready: ") {
		t.Errorf("GraphQL while the database is down: %d %s", r.Status, r.Raw)
	}
	if strings.Contains(r.Raw, dbAddr) || strings.Contains(r.Raw, "postgres://") {
		t.Errorf("the 503 shows connection details: %s", r.Raw)
	}
	code, h := getJSON(t, base+"/healthz")
	if code != http.StatusServiceUnavailable || h["status"] != "degraded" || !strings.Contains(h["reason"].(string), "unreachable") {
		t.Errorf("/healthz while the database is down: %d %v", code, h)
	}
	ev := host.last()
	if ev == nil || ev.Status() != componentstatus.StatusRecoverableError || !strings.Contains(ev.Err().Error(), "database not ready") {
		t.Errorf("status while the database is down: %+v", ev)
	}
	var errEvents int
	host.mu.Lock()
	for _, ev := range host.events {
		if ev.Status() == componentstatus.StatusRecoverableError {
			errEvents++
		}
	}
	host.mu.Unlock()

	l, err := net.Listen("tcp", dbAddr)
	if err != nil {
		t.Fatal(err)
	}
	forwardTo(t, l, "127.0.0.1:5432")
	waitReady(t, ext.(*perfExtension), 60*time.Second)

	mustData(t, query(t, base+"/graphql", "", `{ performanceOverview { healthScore } }`, nil))
	if code, h := getJSON(t, base+"/healthz"); code != http.StatusOK || h["status"] != "ok" {
		t.Errorf("/healthz once the database is back: %d %v", code, h)
	}
	if ev := host.last(); ev == nil || ev.Status() != componentstatus.StatusOK {
		t.Errorf("status once the database is back: %+v", ev)
	}
	// reported once per change of the failure, not once per attempt
	if errEvents > 2 {
		t.Errorf("%d recoverable-error events for one outage", errEvents)
	}
}
