package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// httpJSON GETs or POSTs url and decodes the JSON answer.
func httpJSON(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %s", method, url, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// Start during an outage: the collector starts with its database stopped (it exited
// before), GraphQL answers 503 "database not ready" and /healthz says degraded while the
// receiver acknowledges data into the persistent queue; once the database is back, the
// extension creates and migrates it, every acknowledged span is stored exactly once and
// GraphQL answers.
func TestStartWithoutTheDatabase(t *testing.T) {
	t.Parallel()
	pg := newPrivatePG(t)
	dsn := pg.DSN("perf")
	pg.Stop(t)
	c := startCollector(t, dsn, t.TempDir())
	c.waitStarted(t, 60*time.Second) // the pipelines run: the receiver takes data

	gql := c.graphqlURL + "/graphql"
	const q = `{"query":"{ performanceOverview { totalRequests } }"}`
	code, body := httpJSON(t, http.MethodPost, gql, q)
	if errs, _ := body["errors"].([]any); code != http.StatusServiceUnavailable || len(errs) != 1 ||
		!strings.HasPrefix(errs[0].(map[string]any)["message"].(string), "database not ready: ") {
		t.Errorf("GraphQL during the outage: %d %v", code, body)
	}
	if code, body := httpJSON(t, http.MethodGet, c.graphqlURL+"/healthz", ""); code != http.StatusServiceUnavailable || body["status"] != "degraded" {
		t.Errorf("/healthz during the outage: %d %v", code, body)
	}

	g := newLoadGen(func() string { return c.otlpHTTP }, 2, 20, 100*time.Millisecond, 0x33)
	g.Start()
	time.Sleep(4 * time.Second)
	pg.Start(t)
	time.Sleep(2 * time.Second)
	g.Stop()
	rows := verifyExactlyOnce(t, dsn, g, 90*time.Second)
	t.Logf("statuses %v; %d acknowledged, %d stored exactly once", g.Status(), len(g.Acked()), rows)

	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body = httpJSON(t, http.MethodPost, gql, q)
		if code == http.StatusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code != http.StatusOK || body["errors"] != nil {
		t.Errorf("GraphQL once the database is back: %d %v", code, body)
	}
	if code, body := httpJSON(t, http.MethodGet, c.graphqlURL+"/healthz", ""); code != http.StatusOK || body["status"] != "ok" {
		t.Errorf("/healthz once the database is back: %d %v", code, body)
	}
	if !c.alive() {
		t.Fatal("collector died")
	}
	for _, l := range c.errorLines() {
		if containsAny(l, "Dropping data", "panic") {
			t.Errorf("collector dropped data: %s", l)
		}
	}
}

// A misspelt key anywhere in the perfgraphql block makes `otelcol-perf validate` fail and
// name it.
func TestValidateRefusesATypo(t *testing.T) {
	t.Parallel()
	for key, override := range map[string]string{
		"tenants::anonymus_tenant": "yaml:extensions::perfgraphql::tenants::anonymus_tenant: default",
		"bogus_key":                "yaml:extensions::perfgraphql::bogus_key: 1",
	} {
		cmd := exec.Command(collectorBinary(t), "validate", "--config", filepath.Join(repoRoot(), "config.yaml"), "--config", override)
		out, err := cmd.CombinedOutput()
		want := fmt.Sprintf("perfgraphql: unknown key %q", key)
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("validate with %s: err %v, output:\n%s\nwant a non-zero exit and %s", key, err, out, want)
		}
	}
	// the shipped configuration itself is valid
	if out, err := exec.Command(collectorBinary(t), "validate", "--config", filepath.Join(repoRoot(), "config.yaml")).CombinedOutput(); err != nil {
		t.Errorf("config.yaml does not validate: %v\n%s", err, out)
	}
}

// trickleUntilCut sends a request whose body never completes, a byte every 100 ms, and
// returns how long the server kept the connection; it fails when that is more than limit.
func trickleUntilCut(t *testing.T, addr, path string, limit time.Duration) time.Duration {
	t.Helper()
	// timed from before the dial: the server's read_timeout runs from its accept, which can
	// come before Dial returns here
	start := time.Now()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", path, addr); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(start.Add(limit))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	buf := make([]byte, 4096)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				t.Errorf("%s%s: the connection is still open after %s", addr, path, time.Since(start))
			}
			return time.Since(start)
		}
	}
}

// Both HTTP servers (OTLP/HTTP :4318, perfgraphql :4000) cut a request whose body trickles
// in once read_timeout has passed.
func TestSlowBodyIsCut(t *testing.T) {
	t.Parallel()
	c := startCollector(t, perfdbtest.NewDatabaseName(t), t.TempDir(),
		"--config", "yaml:receivers::otlp::protocols::http::read_timeout: 1s",
		"--config", "yaml:extensions::perfgraphql::read_timeout: 1s")
	c.waitHealthy(t, 60*time.Second)
	for addr, path := range map[string]string{c.otlpHTTP: "/v1/traces", strings.TrimPrefix(c.graphqlURL, "http://"): "/graphql"} {
		if took := trickleUntilCut(t, addr, path, 15*time.Second); took < time.Second {
			t.Errorf("%s%s cut after %s, before read_timeout", addr, path, took)
		}
	}
}

// kill -9 during an outage, then a restart while the database is still down: the
// collector starts (it used to exit: perfgraphql failed Start), replays its queue once the
// database is back, and every acknowledged span is stored exactly once.
func TestRestartAfterKill9DuringOutage(t *testing.T) {
	t.Parallel()
	pg := newPrivatePG(t)
	dsn := pg.DSN("perf")
	storage := t.TempDir()
	var target atomic.Value
	c := startCollector(t, dsn, storage)
	c.waitHealthy(t, 60*time.Second)
	target.Store(c.otlpHTTP)

	g := newLoadGen(func() string { return target.Load().(string) }, 2, 20, 100*time.Millisecond, 0x44)
	g.Start()
	time.Sleep(3 * time.Second)
	pg.Stop(t)
	time.Sleep(3 * time.Second)
	c.kill9(t)
	c2 := startCollector(t, dsn, storage)
	c2.waitStarted(t, 60*time.Second)
	target.Store(c2.otlpHTTP)
	if code, body := httpJSON(t, http.MethodGet, c2.graphqlURL+"/healthz", ""); code != http.StatusServiceUnavailable || body["status"] != "degraded" {
		t.Errorf("/healthz after the restart, database down: %d %v", code, body)
	}
	time.Sleep(3 * time.Second)
	pg.Start(t)
	time.Sleep(2 * time.Second)
	g.Stop()
	rows := verifyExactlyOnce(t, dsn, g, 90*time.Second)
	t.Logf("statuses %v; %d acknowledged, %d stored exactly once", g.Status(), len(g.Acked()), rows)
	if !c2.alive() {
		t.Fatal("restarted collector died")
	}
}
