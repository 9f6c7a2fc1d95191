package alerting_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
)

// The receivers of the tests are the real programs: Prometheus Alertmanager (Debian package
// prometheus-alertmanager, installed by scripts/ensure-test-deps.sh) and nats-server, each
// private to the test on a free port.
const (
	alertmanagerBin = "/usr/bin/prometheus-alertmanager"
	natsServerBin   = "/usr/sbin/nats-server"
)

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func requireBin(t *testing.T, bin string) {
	t.Helper()
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run scripts/ensure-test-deps.sh (%v)", bin, err)
	}
}

// alertmanagerProc is a private Alertmanager that can be stopped and started again on the
// same port (an outage).
type alertmanagerProc struct {
	t    *testing.T
	args []string
	URL  string
	cmd  *exec.Cmd
}

func startAlertmanager(t *testing.T) *alertmanagerProc {
	t.Helper()
	requireBin(t, alertmanagerBin)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(cfg, []byte("route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	a := &alertmanagerProc{t: t, URL: "http://127.0.0.1:" + strconv.Itoa(port), args: []string{
		"--config.file=" + cfg, "--storage.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:" + strconv.Itoa(port), "--cluster.listen-address=", "--log.level=warn"}}
	a.Start()
	t.Cleanup(a.Stop)
	return a
}

func (a *alertmanagerProc) Start() {
	a.t.Helper()
	a.cmd = exec.Command(alertmanagerBin, a.args...)
	a.cmd.Stdout, a.cmd.Stderr = os.Stderr, os.Stderr
	if err := a.cmd.Start(); err != nil {
		a.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(a.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("alertmanager not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (a *alertmanagerProc) Stop() {
	if a.cmd != nil && a.cmd.Process != nil {
		_ = a.cmd.Process.Kill()
		_ = a.cmd.Wait()
		a.cmd = nil
	}
}

// amAlert is what GET /api/v2/alerts returns of an alert.
type amAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Status       struct {
		State string `json:"state"`
	} `json:"status"`
}

// Alerts are Alertmanager's alerts (it lists active, silenced and inhibited ones, not resolved).
func (a *alertmanagerProc) Alerts() []amAlert {
	a.t.Helper()
	resp, err := http.Get(a.URL + "/api/v2/alerts")
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []amAlert
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		a.t.Fatal(err)
	}
	return out
}

// startNATS starts a private nats-server with JetStream (never the shared one on 4222).
func startNATS(t *testing.T) string {
	t.Helper()
	requireBin(t, natsServerBin)
	port := freePort(t)
	cmd := exec.Command(natsServerBin, "-js", "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-sd", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		nc, err := nats.Connect(url)
		if err == nil {
			nc.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// natsMessages reads every message of a stream.
func natsMessages(t *testing.T, url, stream string) []*jetstream.RawStreamMsg {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// webhookReceiver records the events it gets after checking their signature; failNext
// makes it answer 500 after reading a request, as a receiver whose answer was lost.
type webhookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	events   []alerting.Event
	failNext atomic.Int32
}

func startWebhook(t *testing.T, secret string) *webhookReceiver {
	t.Helper()
	w := &webhookReceiver{}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get(alerting.HeaderTimestamp)
		if got, want := r.Header.Get(alerting.HeaderSignature), alerting.Sign([]byte(secret), ts, body); got != want {
			t.Errorf("webhook signature %q, want %q", got, want)
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(sec, 0)).Abs() > time.Minute {
			t.Errorf("webhook timestamp %q is not now", ts)
		}
		var ev alerting.Event
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		if r.Header.Get(alerting.HeaderDedupeKey) != ev.DedupeKey {
			t.Errorf("webhook dedupe header %q, body %q", r.Header.Get(alerting.HeaderDedupeKey), ev.DedupeKey)
		}
		w.mu.Lock()
		w.events = append(w.events, ev)
		w.mu.Unlock()
		if w.failNext.Add(-1) >= 0 {
			rw.WriteHeader(http.StatusInternalServerError)
			return
		}
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *webhookReceiver) Events() []alerting.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]alerting.Event(nil), w.events...)
}

var spanSeq atomic.Int64

// requests inserts n requests of 20 ms of the tenant's first endpoint over [from, to) with
// the given status (perfgraphqltest.SeedRequests).
func requests(t *testing.T, pool *pgxpool.Pool, tid int32, from, to time.Time, n, status int) {
	t.Helper()
	base := spanSeq.Add(int64(n)) - int64(n) + 1_000_000
	perfgraphqltest.SeedRequests(t, pool, tid, from, to, n, status, 20000, base)
}
