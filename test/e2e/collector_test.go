// Package e2e runs the real bin/otelcol-perf as a user would: with the repository's
// config.yaml, against the real PostgreSQL. make test builds the binary and passes its path
// in OTELCOL_PERF_BIN; without it the test builds the binary itself.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// collectorBinary returns the path of bin/otelcol-perf, building it when make did not.
func collectorBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv("OTELCOL_PERF_BIN"); p != "" {
			binPath = p
			return
		}
		dir, err := os.MkdirTemp("", "otelcol-perf-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "otelcol-perf")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/otelcol-perf")
		cmd.Dir = repoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var (
	portsMu sync.Mutex
	given   = map[int]bool{} // ports handed out in this test process
)

// freePort returns a loopback port nothing listens on that this process has not handed out
// before: the kernel may give a just-closed ephemeral port out again, and two components
// of one collector (or two parallel tests) must not get the same one.
func freePort(t *testing.T) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !given[port] {
			given[port] = true
			return port
		}
	}
	t.Fatal("no unused loopback port found")
	return 0
}

// collector is one running bin/otelcol-perf.
type collector struct {
	cmd        *exec.Cmd
	output     *syncBuffer
	healthPort int
	graphqlURL string
	otlpHTTP   string
	otlpGRPC   string
	exited     chan struct{}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startCollector runs the binary with the repository's config.yaml, moved onto free ports
// (overrides given as extra --config yaml: sources, as a user would) and onto dsn.
// extraArgs are appended to the command line (more --config overrides).
func startCollector(t *testing.T, dsn string, storageDir string, extraArgs ...string) *collector {
	t.Helper()
	c := &collector{healthPort: freePort(t), output: &syncBuffer{}, exited: make(chan struct{})}
	graphqlPort, grpcPort, httpPort, telemetryPort := freePort(t), freePort(t), freePort(t), freePort(t)
	c.graphqlURL = fmt.Sprintf("http://127.0.0.1:%d", graphqlPort)
	c.otlpHTTP = fmt.Sprintf("127.0.0.1:%d", httpPort)
	c.otlpGRPC = fmt.Sprintf("127.0.0.1:%d", grpcPort)
	args := []string{
		"--config", filepath.Join(repoRoot(), "config.yaml"),
		"--config", fmt.Sprintf("yaml:extensions::health_check::endpoint: 127.0.0.1:%d", c.healthPort),
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::endpoint: 127.0.0.1:%d", graphqlPort),
		"--config", fmt.Sprintf("yaml:receivers::otlp::protocols::grpc::endpoint: %s", c.otlpGRPC),
		"--config", fmt.Sprintf("yaml:receivers::otlp::protocols::http::endpoint: %s", c.otlpHTTP),
		"--config", fmt.Sprintf("yaml:service::telemetry::metrics::readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}}]", telemetryPort),
	}
	args = append(args, extraArgs...)
	bin := collectorBinary(t)
	if benchBinary != "" {
		bin = benchBinary
	}
	c.cmd = exec.Command(bin, args...)
	c.cmd.Env = append(os.Environ(), "PERF_PG_DSN="+dsn, "PERF_STORAGE_DIR="+storageDir)
	c.cmd.Env = append(c.cmd.Env, benchEnv...)
	c.cmd.Stdout = c.output
	c.cmd.Stderr = c.output
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		c.stop()
		if t.Failed() {
			t.Logf("collector output:\n%s", c.output.String())
		}
	})
	return c
}

// waitHealthy waits until the health_check extension reports the pipelines running and
// perfgraphql's /healthz its database ready (the extension opens it in the background).
func (c *collector) waitHealthy(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	c.waitOK(t, fmt.Sprintf("http://127.0.0.1:%d/", c.healthPort), deadline)
	c.waitOK(t, c.graphqlURL+"/healthz", deadline)
}

// waitStarted waits until the health_check extension reports the pipelines running (the
// database may still be down).
func (c *collector) waitStarted(t *testing.T, timeout time.Duration) {
	t.Helper()
	c.waitOK(t, fmt.Sprintf("http://127.0.0.1:%d/", c.healthPort), time.Now().Add(timeout))
}

func (c *collector) waitOK(t *testing.T, url string, deadline time.Time) {
	t.Helper()
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			t.Fatalf("collector exited before becoming healthy:\n%s", c.output.String())
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s not healthy in time:\n%s", url, c.output.String())
}

func (c *collector) stop() {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.exited:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

func contextFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
