package e2e

// Helpers of the reliability suite (reliability_*_test.go, security_*_test.go): a private
// PostgreSQL server that tests may stop and start (the shared one at 5432 is never
// touched), an OTLP/HTTP load generator that records which spans the receiver
// acknowledged, and probes of the collector process (RSS, self-telemetry metrics).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

const pgBinDir = "/usr/lib/postgresql/15/bin"

// benchMode: the long versions (PERF_BENCH=1, used by make bench).
func benchMode() bool { return os.Getenv("PERF_BENCH") == "1" }

// durationEnv returns the duration in env (Go syntax, "90s"), else def.
func durationEnv(t *testing.T, env string, def time.Duration) time.Duration {
	if v := os.Getenv(env); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		return d
	}
	return def
}

// privatePG is a PostgreSQL server of one test, in a temporary directory, on a free
// loopback port. Stop and Start simulate an outage; it is removed when the test ends.
type privatePG struct {
	dir  string
	port int
	uid  int
	gid  int
}

// newPrivatePG runs initdb (as the postgres user: initdb refuses root) and starts the
// server. The test is skipped when the PostgreSQL 15 binaries are not installed.
func newPrivatePG(t *testing.T) *privatePG {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBinDir, "initdb")); err != nil {
		t.Skipf("private PostgreSQL needs %s: %v", pgBinDir, err)
	}
	dir, err := os.MkdirTemp("", "perf-privpg-")
	if err != nil {
		t.Fatal(err)
	}
	p := &privatePG{dir: dir, port: freePort(t), uid: -1}
	t.Cleanup(func() {
		p.pgctl(t, "stop", "-m", "immediate")
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root without a postgres user: %v", err)
		}
		p.uid, _ = strconv.Atoi(u.Uid)
		p.gid, _ = strconv.Atoi(u.Gid)
		if err := os.Chown(dir, p.uid, p.gid); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := p.command("initdb", "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	// a test server: small, and without fsync (the tests are about the collector, not about
	// PostgreSQL's durability; a stop is always "fast", i.e. clean)
	conf := fmt.Sprintf("port = %d\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n"+
		"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\nmax_connections = 100\n", p.port, dir)
	f, err := os.OpenFile(filepath.Join(dir, "data", "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(conf)
	f.Close()
	p.Start(t)
	return p
}

func (p *privatePG) command(name string, args ...string) *exec.Cmd {
	bin := filepath.Join(pgBinDir, name)
	if p.uid >= 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

func (p *privatePG) pgctl(t *testing.T, action string, args ...string) error {
	all := append([]string{"-D", filepath.Join(p.dir, "data"), "-w", "-t", "60"}, args...)
	all = append(all, action)
	if action == "start" {
		all = append([]string{"-l", filepath.Join(p.dir, "server.log")}, all...)
	}
	out, err := p.command("pg_ctl", all...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %v\n%s", action, err, out)
	}
	return nil
}

// Start starts the server (again).
func (p *privatePG) Start(t *testing.T) {
	t.Helper()
	if err := p.pgctl(t, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
		t.Fatalf("%v\nserver log:\n%s", err, log)
	}
}

// Stop stops the server ("fast": clients are disconnected, new connections refused).
func (p *privatePG) Stop(t *testing.T) {
	t.Helper()
	if err := p.pgctl(t, "stop", "-m", "fast"); err != nil {
		t.Fatal(err)
	}
}

// DSN of database db on this server (the collector creates it when missing).
func (p *privatePG) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=5", p.port, db)
}

// ---- load generator ----

// loadGen sends OTLP/HTTP protobuf requests of server spans at a steady rate and records
// the span ids of every request the receiver answered 200 (acknowledged).
type loadGen struct {
	target       func() string // host:port of the OTLP/HTTP receiver (may change: restarts)
	spansPerReq  int
	interval     time.Duration // between requests of one worker
	workers      int
	headers      map[string]string
	attrBytes    int // size of a filler attribute per span (0: none)
	idPrefix     byte
	client       *http.Client
	next         atomic.Uint64
	mu           sync.Mutex
	acked        map[int64]bool
	sent         map[int64]bool
	status       map[string]int // "200", "503", "429", "conn" (transport error) ...
	stop         chan struct{}
	wg           sync.WaitGroup
	lastAckNanos atomic.Int64
}

func newLoadGen(target func() string, workers, spansPerReq int, interval time.Duration, idPrefix byte) *loadGen {
	return &loadGen{
		target: target, workers: workers, spansPerReq: spansPerReq, interval: interval, idPrefix: idPrefix,
		client: &http.Client{Timeout: 10 * time.Second},
		acked:  map[int64]bool{}, sent: map[int64]bool{}, status: map[string]int{},
		stop: make(chan struct{}),
	}
}

func (g *loadGen) request() ([]byte, []int64) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "reliability")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	now := time.Now()
	ids := make([]int64, 0, g.spansPerReq)
	var filler string
	if g.attrBytes > 0 {
		filler = strings.Repeat("x", g.attrBytes)
	}
	for i := 0; i < g.spansPerReq; i++ {
		n := g.next.Add(1)
		var sid pcommon.SpanID
		binary.BigEndian.PutUint64(sid[:], uint64(g.idPrefix)<<56|n)
		var tid pcommon.TraceID
		binary.BigEndian.PutUint64(tid[:8], uint64(g.idPrefix)<<56|n)
		binary.BigEndian.PutUint64(tid[8:], n)
		s := spans.AppendEmpty()
		s.SetKind(ptrace.SpanKindServer)
		s.SetName("GET /items/{id}")
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-20 * time.Millisecond)))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
		s.Attributes().PutStr("http.request.method", "GET")
		s.Attributes().PutStr("http.route", "/items/{id}")
		s.Attributes().PutInt("http.response.status_code", 200)
		if filler != "" {
			s.Attributes().PutStr("filler", filler)
		}
		ids = append(ids, int64(binary.BigEndian.Uint64(sid[:])))
	}
	body, _ := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	return body, ids
}

func (g *loadGen) sendOne() {
	body, ids := g.request()
	g.mu.Lock()
	for _, id := range ids {
		g.sent[id] = true
	}
	g.mu.Unlock()
	req, _ := http.NewRequest(http.MethodPost, "http://"+g.target()+"/v1/traces", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-protobuf")
	for k, v := range g.headers {
		req.Header.Set(k, v)
	}
	resp, err := g.client.Do(req)
	key := "conn"
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		key = strconv.Itoa(resp.StatusCode)
	}
	g.mu.Lock()
	g.status[key]++
	if key == "200" {
		for _, id := range ids {
			g.acked[id] = true
		}
		g.lastAckNanos.Store(time.Now().UnixNano())
	}
	g.mu.Unlock()
}

// Start starts the workers; Stop stops them and waits.
func (g *loadGen) Start() {
	for w := 0; w < g.workers; w++ {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			t := time.NewTicker(g.interval)
			defer t.Stop()
			for {
				select {
				case <-g.stop:
					return
				case <-t.C:
					g.sendOne()
				}
			}
		}()
	}
}

func (g *loadGen) Stop() {
	close(g.stop)
	g.wg.Wait()
}

func (g *loadGen) Status() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]int{}
	for k, v := range g.status {
		out[k] = v
	}
	return out
}

func (g *loadGen) Acked() map[int64]bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[int64]bool, len(g.acked))
	for k := range g.acked {
		out[k] = true
	}
	return out
}

func (g *loadGen) Sent() map[int64]bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[int64]bool, len(g.sent))
	for k := range g.sent {
		out[k] = true
	}
	return out
}

// ---- verification ----

// storedSpans returns the span ids of api_performance_log with prefix (top byte) and the
// number of rows they occupy (rows > len(ids) would be a duplicate; the primary key makes
// it impossible unless the timestamps differ, which is exactly what would slip through).
func storedSpans(ctx context.Context, dsn string, prefix byte) (map[int64]bool, int, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, 0, err
	}
	defer conn.Close(ctx)
	lo := int64(uint64(prefix) << 56)
	hi := int64(uint64(prefix)<<56 | (1<<56 - 1))
	rows, err := conn.Query(ctx, `SELECT span_id FROM api_performance_log WHERE span_id BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return nil, 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, 0, err
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, len(ids), nil
}

// verifyExactlyOnce waits (up to timeout) until every acknowledged span is stored, then
// checks: each stored exactly once, and nothing stored that was not sent.
func verifyExactlyOnce(t *testing.T, dsn string, g *loadGen, timeout time.Duration) (stored int) {
	t.Helper()
	acked, sent := g.Acked(), g.Sent()
	if len(acked) == 0 {
		t.Fatalf("no request was acknowledged (statuses %v): the test proves nothing", g.Status())
	}
	deadline := time.Now().Add(timeout)
	var set map[int64]bool
	var rows int
	var missing []int64
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var err error
		set, rows, err = storedSpans(ctx, dsn, g.idPrefix)
		cancel()
		if err == nil {
			missing = missing[:0]
			for id := range acked {
				if !set[id] {
					missing = append(missing, id)
				}
			}
			if len(missing) == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, %d of %d acknowledged spans are not stored (e.g. %x; err %v; statuses %v)",
				timeout, len(missing), len(acked), missing[:min(3, len(missing))], err, g.Status())
		}
		time.Sleep(time.Second)
	}
	if rows != len(set) {
		t.Errorf("%d rows for %d distinct span ids: duplicates", rows, len(set))
	}
	for id := range set {
		if !sent[id] {
			t.Errorf("stored span %x was never sent", id)
			break
		}
	}
	return rows
}

// ---- collector probes ----

var telemetryPortRe = regexp.MustCompile(`port: (\d+)\}`)

// telemetryURL is the Prometheus endpoint of the collector's self-telemetry, read back
// from the override startCollector put on its command line.
func (c *collector) telemetryURL(t *testing.T) string {
	t.Helper()
	for _, a := range c.cmd.Args {
		if strings.HasPrefix(a, "yaml:service::telemetry::metrics::readers:") {
			if m := telemetryPortRe.FindStringSubmatch(a); m != nil {
				return "http://127.0.0.1:" + m[1] + "/metrics"
			}
		}
	}
	t.Fatal("no telemetry port on the collector's command line")
	return ""
}

// metricSum scrapes the collector's self-telemetry and sums the samples of the metric
// family name whose label text contains every string of labels; ok is false when the
// family is absent or the scrape fails.
func (c *collector) metricSum(t *testing.T, name string, labels ...string) (float64, bool) {
	resp, err := http.Get(c.telemetryURL(t))
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var sum float64
	found := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		rest := line[len(name):]
		if rest == "" || (rest[0] != '{' && rest[0] != ' ') {
			continue
		}
		ok := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		f := strings.Fields(rest[strings.LastIndex(rest, "}")+1:])
		if len(f) == 0 {
			continue
		}
		if v, err := strconv.ParseFloat(f[0], 64); err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}

// rssMB is the resident set size of the collector process (VmRSS), in MiB.
func (c *collector) rssMB() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS")
}

func (c *collector) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// kill9 kills the collector with SIGKILL and waits for it to be gone.
func (c *collector) kill9(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("collector still running 10s after SIGKILL")
	}
}

// errorLines returns the error-level log lines of the collector's output (console encoding:
// "<time>\terror\t...").
func (c *collector) errorLines() []string {
	var out []string
	for _, line := range strings.Split(c.output.String(), "\n") {
		if strings.Contains(line, "\terror\t") || strings.Contains(line, "\tpanic\t") || strings.HasPrefix(line, "panic:") {
			out = append(out, line)
		}
	}
	return out
}

// benchRow prints one row of make bench's report table (| figure | value | baseline | ratio
// | goal |) in the long versions (PERF_BENCH=1); the short versions only log.
func benchRow(t *testing.T, figure, value, baseline string, ratio float64, goal string) {
	row := fmt.Sprintf("| %s | %s | %s | %.2f | %s |", figure, value, baseline, ratio, goal)
	t.Log(row)
	if benchMode() {
		fmt.Println(row)
	}
}
