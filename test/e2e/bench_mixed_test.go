package e2e

// The capacity benchmarks of make bench (PERF_BENCH=1; skipped otherwise):
//
//   - TestBenchMixedLoad: the ceiling of one collector on one database under the whole load:
//     realistic traces (cmd/perfdemo's mix: one server span and its DB spans, both semconv
//     generations, 3 tenants, plus pool/host metrics) at a stepped rate while the scheduler
//     refreshes every minute, the optimization engine runs and dashboard clients poll the five
//     seed queries. The same stepping without scheduler, engine and dashboards, on a fresh
//     database of its own, is the ingest-only figure of the same run.
//   - TestBenchScaleOut: the ingest ceiling of 1, 2 and 3 collectors on one database, stepped
//     the same way, the load spread evenly over the replicas by the clients.
//
// Knobs (environment; Go durations): PERF_MIXED_RATES (spans/s per step, comma-separated),
// PERF_MIXED_STEP, PERF_MIXED_CLIENTS, PERF_MIXED_POLL, PERF_MIXED_INTERVAL, PERF_MIXED_SENDERS,
// PERF_SCALE_RATES, PERF_SCALE_STEP, PERF_SCALE_REPLICAS; defaults below, documented in
// scripts/bench.sh.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/cmd/perfdemo/demo"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// the five seed queries of the dashboard, as the seed benchmark
// (extension/perfgraphqlext/internal/bench) sends them
var seedQueries = []struct{ name, query string }{
	{"performanceOverview", `{ performanceOverview(timeRange: LAST_24_HOURS) { healthScore status apdex p95ResponseTimeMs totalRequests errorRate performanceTrend
		previousHealthScore topBottlenecks { type severity description } rangeFrom rangeTo } }`},
	{"slowQueries", `{ slowQueries(threshold: 100, timeRange: LAST_24_HOURS, limit: 20) { id queryHash queryPreview executionTimeMs endpoint service
		occurrenceCount slowCount p95ExecutionTimeMs timestamp } }`},
	{"endpointMetrics", `{ endpointMetrics(timeRange: LAST_24_HOURS) { endpoint service totalRequests failedRequests errorRate
		p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs trend } }`},
	{"resourceUtilization", `{ resourceUtilization(timeRange: LAST_24_HOURS, interval: "1h") { timestamp cpuUsagePercent memoryUsedMB eventLoopLagMs instances } }`},
	{"databasePoolMetrics", `{ databasePoolMetrics(timeRange: LAST_24_HOURS) { currentConnections maxConnections utilizationPercent
		pools { poolName avgUtilizationPercent } utilizationHistory { timestamp utilizationPercent } } }`},
}

var benchTenants = []string{"default", "acme", "globex"} // default: the dashboards' anonymous tenant

func intEnv(t *testing.T, env string, def int) int {
	if v := os.Getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("%s: want a positive integer, got %q", env, v)
		}
		return n
	}
	return def
}

func ratesEnv(t *testing.T, env, def string) []float64 {
	v := os.Getenv(env)
	if v == "" {
		v = def
	}
	var out []float64
	for _, f := range strings.Split(v, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r <= 0 {
			t.Fatalf("%s: %q is not a rate", env, f)
		}
		out = append(out, r)
	}
	return out
}

// ---- CPU and I/O of processes ----

const clkTck = 100 // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

// procCPU is the CPU time (user + system) of process pid, in seconds.
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 { // state is f[0]: utime and stime are fields 14 and 15 of the line
		return 0, false
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / clkTck, true
}

// procWriteBytes is write_bytes of /proc/<pid>/io (what the process caused to be written to
// storage); false when unreadable (another user's process without root).
func procWriteBytes(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return n, err == nil
		}
	}
	return 0, false
}

// allPostgresPIDs are the processes named postgres: the whole shared server, whoever its
// clients are.
func allPostgresPIDs() []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm")); err == nil && strings.TrimSpace(string(b)) == "postgres" {
			out = append(out, pid)
		}
	}
	return out
}

// cpuMeter accumulates the CPU seconds and written bytes of a changing set of processes
// between calls of sample: a process first seen after the first sample started since the
// previous one (the collectors' pools keep their backends), so all its time counts.
type cpuMeter struct {
	cpu, wr   map[int]float64
	sampled   bool
	cpuSum    float64
	writesSum float64
}

func newCPUMeter() *cpuMeter { return &cpuMeter{cpu: map[int]float64{}, wr: map[int]float64{}} }

func (m *cpuMeter) sample(pids []int) {
	for _, pid := range pids {
		if c, ok := procCPU(pid); ok {
			prev, seen := m.cpu[pid]
			if !seen && !m.sampled {
				prev = c
			}
			if c >= prev {
				m.cpuSum += c - prev
			}
			m.cpu[pid] = c
		}
		if w, ok := procWriteBytes(pid); ok {
			prev, seen := m.wr[pid]
			if !seen && !m.sampled {
				prev = w
			}
			if w >= prev {
				m.writesSum += w - prev
			}
			m.wr[pid] = w
		}
	}
	m.sampled = true
}

// ---- one step of load ----

type stepResult struct {
	target             float64 // asked spans/s
	offered            float64 // spans/s the generators sent (refused ones included)
	accepted           float64 // spans/s the receivers accepted
	stored             float64 // spans/s the exporters committed
	backlog            float64 // accepted − stored over the step, as a share of accepted
	queueEndMiB        float64
	lagSec             float64 // worst refresh delay beyond one interval (dashboards' data)
	gqlP95             time.Duration
	gqlN, gqlErrs      int
	collectorCPU       float64 // cores
	pgCPU, pgAllCPU    float64 // cores: backends of the bench database; the whole server
	pgWriteMBs, walMBs float64
	generatorCPU       float64 // cores of this test process (load and dashboard clients)
	verdict            string
}

type benchRun struct {
	t         *testing.T
	dsn       string
	cs        []*collector
	interval  time.Duration // scheduler interval; 0: no scheduler load (ingest-only)
	senders   int           // load generators per collector
	pgOurs    *cpuMeter
	pgAll     *cpuMeter
	db        *pgx.Conn
	startedAt time.Time
}

func (r *benchRun) metric(name string, labels ...string) float64 {
	s := 0.0
	for _, c := range r.cs {
		v, _ := c.metricSum(r.t, name, labels...)
		s += v
	}
	return s
}

func (r *benchRun) ourBackends(ctx context.Context) []int {
	rows, err := r.db.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		return nil
	}
	pids, _ := pgx.CollectRows(rows, pgx.RowTo[int32])
	out := make([]int, len(pids))
	for i, p := range pids {
		out[i] = int(p)
	}
	return out
}

// refreshAge is the longest time, over the tenants, since the current hour's rollups were
// last refreshed (a tenant never refreshed counts from the collectors' start).
func (r *benchRun) refreshAge(ctx context.Context) float64 {
	var age *float64
	err := r.db.QueryRow(ctx, `SELECT extract(epoch FROM clock_timestamp() - min(last))::float8 FROM (
		SELECT t.tenant_id, coalesce(max(l.refreshed_at), $1) AS last FROM perf_tenants t
		LEFT JOIN perf_rollup_refresh_log l ON l.tenant_id = t.tenant_id AND l.reason = 'current'
		GROUP BY t.tenant_id) x`, r.startedAt).Scan(&age)
	if err != nil || age == nil {
		return time.Since(r.startedAt).Seconds()
	}
	return *age
}

func (r *benchRun) walBytes(ctx context.Context) float64 {
	var b float64
	if err := r.db.QueryRow(ctx, `SELECT wal_bytes::float8 FROM pg_stat_wal`).Scan(&b); err != nil {
		return 0
	}
	return b
}

// dashboards: clients each post the five seed queries in turn to one collector (round-robin
// over the replicas), then wait poll, until ctx ends; every latency is recorded.
type dashboards struct {
	mu   sync.Mutex
	lat  []time.Duration
	errs int
	last string
	wg   sync.WaitGroup
}

func (d *dashboards) start(ctx context.Context, cs []*collector, clients int, poll time.Duration) {
	client := &http.Client{Timeout: 30 * time.Second}
	for i := 0; i < clients; i++ {
		url := cs[i%len(cs)].graphqlURL + "/graphql"
		d.wg.Add(1)
		go func(i int) {
			defer d.wg.Done()
			// spread the clients' rounds over the poll interval
			select {
			case <-ctx.Done():
				return
			case <-time.After(poll * time.Duration(i) / time.Duration(clients)):
			}
			for {
				for _, q := range seedQueries {
					body, _ := json.Marshal(map[string]string{"query": q.query})
					t0 := time.Now()
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if ctx.Err() != nil {
						return
					}
					var out []byte
					if err == nil {
						out, _ = io.ReadAll(resp.Body)
						resp.Body.Close()
					}
					el := time.Since(t0)
					d.mu.Lock()
					d.lat = append(d.lat, el)
					if err != nil || resp.StatusCode != http.StatusOK || bytes.Contains(out, []byte(`"errors"`)) {
						d.errs++
						d.last = fmt.Sprintf("%s: %v %.200s", q.name, err, out)
					}
					d.mu.Unlock()
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(poll):
				}
			}
		}(i)
	}
}

// take returns and resets the latencies and errors since the last take.
func (d *dashboards) take() ([]time.Duration, int, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, e, last := d.lat, d.errs, d.last
	d.lat, d.errs, d.last = nil, 0, ""
	return l, e, last
}

func p95Of(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)*95+99)/100-1]
}

// step sends rate spans/s for d, spread evenly over the collectors, sampling every 2 s.
func (r *benchRun) step(ctx context.Context, rate float64, d time.Duration, dash *dashboards) stepResult {
	t := r.t
	res := stepResult{target: rate}
	acc0 := r.metric("otelcol_receiver_accepted_spans")
	sent0 := r.metric("otelcol_exporter_sent_spans", `exporter="perfpg"`)
	var coll0 float64
	for _, c := range r.cs {
		v, _ := procCPU(c.cmd.Process.Pid)
		coll0 += v
	}
	self0, _ := procCPU(os.Getpid())
	wal0 := r.walBytes(ctx)
	r.pgOurs.sample(r.ourBackends(ctx))
	r.pgAll.sample(allPostgresPIDs())
	ours0, oursW0, all0 := r.pgOurs.cpuSum, r.pgOurs.writesSum, r.pgAll.cpuSum
	if dash != nil {
		dash.take()
	}

	began := time.Now()
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var stats []*demo.Stats
	n := len(r.cs) * r.senders
	for i := 0; i < n; i++ {
		c := r.cs[i%len(r.cs)]
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, err := demo.Run(sctx, demo.Config{Endpoint: c.otlpHTTP, Rate: demo.RateFor(rate/float64(n), len(benchTenants)),
				Tenants: benchTenants, FlushInterval: 250 * time.Millisecond, MetricsInterval: 10 * time.Second,
				Seed: uint64(time.Now().UnixNano()) + uint64(i), Client: &http.Client{Timeout: 30 * time.Second}})
			if err != nil && st == nil {
				t.Logf("load generator %d: %v", i, err)
				return
			}
			mu.Lock()
			stats = append(stats, st)
			mu.Unlock()
		}(i)
	}
	worstAge := 0.0
	tick := time.NewTicker(2 * time.Second)
	for done := false; !done; {
		select {
		case <-sctx.Done():
			done = true
		case <-tick.C:
			r.pgOurs.sample(r.ourBackends(ctx))
			r.pgAll.sample(allPostgresPIDs())
			if r.interval > 0 {
				worstAge = max(worstAge, r.refreshAge(ctx))
			}
		}
	}
	tick.Stop()
	wg.Wait()
	el := time.Since(began).Seconds()

	for _, st := range stats {
		res.offered += float64(st.Requests + st.DBSpans)
	}
	res.offered /= el
	acc := r.metric("otelcol_receiver_accepted_spans") - acc0
	sent := r.metric("otelcol_exporter_sent_spans", `exporter="perfpg"`) - sent0
	res.accepted, res.stored = acc/el, sent/el
	if acc > 0 {
		res.backlog = (acc - sent) / acc
	}
	res.queueEndMiB = r.metric("otelcol_exporter_queue_size", `exporter="perfpg"`) / (1 << 20)
	var coll float64
	for _, c := range r.cs {
		v, _ := procCPU(c.cmd.Process.Pid)
		coll += v
	}
	res.collectorCPU = (coll - coll0) / el
	self, _ := procCPU(os.Getpid())
	res.generatorCPU = (self - self0) / el
	r.pgOurs.sample(r.ourBackends(ctx))
	r.pgAll.sample(allPostgresPIDs())
	res.pgCPU = (r.pgOurs.cpuSum - ours0) / el
	res.pgAllCPU = (r.pgAll.cpuSum - all0) / el
	res.pgWriteMBs = (r.pgOurs.writesSum - oursW0) / el / (1 << 20)
	res.walMBs = (r.walBytes(ctx) - wal0) / el / (1 << 20)
	if r.interval > 0 {
		res.lagSec = max(0, worstAge-r.interval.Seconds())
	}
	if dash != nil {
		lat, errs, last := dash.take()
		res.gqlP95, res.gqlN, res.gqlErrs = p95Of(lat), len(lat), errs
		if errs > 0 {
			t.Logf("step %.0f: %d GraphQL errors, e.g. %s", rate, errs, last)
		}
	}

	// what broke, in the terms; "load short": the generators (on the same 2 cores)
	// did not send what was asked, so the step did not take place as asked
	var broke []string
	if r.interval > 0 && res.lagSec > r.interval.Seconds() {
		broke = append(broke, "refresh lag > interval")
	}
	if dash != nil && (res.gqlP95 > 100*time.Millisecond || res.gqlErrs > 0) {
		broke = append(broke, "GraphQL p95 > 100 ms")
	}
	// in steady state the spans in flight (a batch's flush timeout and its COPY) are a few
	// tenths of a percent of a step; 2% is seconds of ingest left waiting
	if res.backlog > 0.02 {
		broke = append(broke, "queue growing")
	}
	if res.accepted < 0.95*res.offered {
		// a full queue, the memory limiter, or requests that timed out
		broke = append(broke, "receiver refused > 5%")
	}
	if res.offered < 0.9*rate {
		broke = append(broke, "load short")
	}
	res.verdict = "holds"
	if len(broke) > 0 {
		res.verdict = "breaks: " + strings.Join(broke, ", ")
	}
	return res
}

func (r *benchRun) close() {
	if r.db != nil {
		r.db.Close(context.Background())
		r.db = nil
	}
}

func newBenchRun(t *testing.T, replicas int, interval time.Duration, args ...string) *benchRun {
	r := &benchRun{t: t, dsn: perfdbtest.NewDatabaseName(t), interval: interval, pgOurs: newCPUMeter(), pgAll: newCPUMeter()}
	for i := 0; i < replicas; i++ {
		r.cs = append(r.cs, startCollector(t, r.dsn, t.TempDir(), args...))
	}
	for _, c := range r.cs {
		c.waitHealthy(t, 120*time.Second)
	}
	r.startedAt = time.Now()
	var err error
	if r.db, err = pgx.Connect(contextFor(t, 10*time.Second), r.dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	return r
}

// ingestOnlyArgs: no rollup refresh after the first tick and no engine, so the database does
// ingest only.
var ingestOnlyArgs = []string{
	"--config", "yaml:extensions::perfgraphql::scheduler::interval: 24h",
	"--config", "yaml:extensions::perfgraphql::optimizer::enabled: false",
}

func fmtRow(r stepResult, withLag, withGQL bool) string {
	lag, gql := "–", "–"
	if withLag {
		lag = fmt.Sprintf("%.0f s", r.lagSec)
	}
	if withGQL {
		gql = fmt.Sprintf("%.0f ms (%d req, %d err)", float64(r.gqlP95.Microseconds())/1000, r.gqlN, r.gqlErrs)
	}
	return fmt.Sprintf("| %.0f | %.0f of %.0f offered (%.0f stored) | %s | %s | %.1f MiB, backlog %.1f%% | %.2f | %.2f (server %.2f) | %.1f / %.1f | %.2f | %s |",
		r.target, r.accepted, r.offered, r.stored, lag, gql, r.queueEndMiB, 100*r.backlog, r.collectorCPU, r.pgCPU, r.pgAllCPU,
		r.pgWriteMBs, r.walMBs, r.generatorCPU, r.verdict)
}

const stepHeader = "| step spans/s | accepted of offered (stored) spans/s | refresh lag | GraphQL p95 | queue at the end, backlog | collector CPU (cores) | PG CPU: bench db backends (whole server), cores | bench db backends' writes / server WAL (MiB/s) | load + dashboard clients CPU (cores) | verdict |\n|---|---|---|---|---|---|---|---|---|---|"

// stepUntilBreak runs the steps in order and stops after the first that breaks; ceiling is
// the stored rate of the last step that held (0 when none did).
func stepUntilBreak(t *testing.T, r *benchRun, rates []float64, d time.Duration, dash *dashboards) (rows []stepResult, ceiling float64) {
	ctx := contextFor(t, time.Duration(len(rates)+1)*(d+time.Minute))
	for _, rate := range rates {
		res := r.step(ctx, rate, d, dash)
		t.Log(fmtRow(res, r.interval > 0, dash != nil))
		rows = append(rows, res)
		if res.verdict != "holds" {
			break
		}
		ceiling = res.stored
	}
	return rows, ceiling
}

func TestBenchMixedLoad(t *testing.T) {
	if !benchMode() {
		t.Skip("capacity benchmark: make bench (PERF_BENCH=1)")
	}
	rates := ratesEnv(t, "PERF_MIXED_RATES", "500,1000,2000,4000,8000,16000,32000,64000,128000,256000")
	stepDur := durationEnv(t, "PERF_MIXED_STEP", 3*time.Minute)
	interval := durationEnv(t, "PERF_MIXED_INTERVAL", time.Minute)
	clients := intEnv(t, "PERF_MIXED_CLIENTS", 20)
	poll := durationEnv(t, "PERF_MIXED_POLL", 5*time.Second)
	senders := intEnv(t, "PERF_MIXED_SENDERS", 4)

	// ingest only: same stepping, same traffic, fresh database; no refresh, engine, dashboards
	ing := newBenchRun(t, 1, 0, ingestOnlyArgs...)
	ing.senders = senders
	ingRows, ingCeiling := stepUntilBreak(t, ing, rates, stepDur, nil)
	for _, c := range ing.cs {
		c.stop()
	}
	ing.close()

	mixed := newBenchRun(t, 1, interval, "--config", "yaml:extensions::perfgraphql::scheduler::interval: "+interval.String())
	mixed.senders = senders
	dctx, dcancel := context.WithCancel(context.Background())
	dash := &dashboards{}
	dash.start(dctx, mixed.cs, clients, poll)
	mixRows, mixCeiling := stepUntilBreak(t, mixed, rates, stepDur, dash)
	dcancel()
	dash.wg.Wait()
	var optRuns float64
	optRuns = mixed.metric("otelcol_perfgraphql_optimizer_runs")
	refreshHours := mixed.metric("otelcol_perfgraphql_refresh_hours")

	fmt.Printf("\n### Mixed load: one collector, one database (scheduler every %s, optimization engine on, %d dashboard clients polling the five seed queries every %s), steps of %s\n\n",
		interval, clients, poll, stepDur)
	fmt.Println(stepHeader)
	for _, r := range mixRows {
		fmt.Println(fmtRow(r, true, true))
	}
	fmt.Printf("\n### Ingest only: same stepping and traffic, scheduler idle (24h), engine off, no dashboards\n\n")
	fmt.Println(stepHeader)
	for _, r := range ingRows {
		fmt.Println(fmtRow(r, false, false))
	}
	held := func(rows []stepResult) bool { return len(rows) > 0 && rows[len(rows)-1].verdict == "holds" }
	ceil := func(v float64, rows []stepResult) string {
		out := "below the first step"
		if v > 0 {
			out = fmt.Sprintf("%.0f spans/s stored", v)
		}
		if held(rows) {
			return out + " (no step broke: the ceiling is at least this)"
		}
		return out + fmt.Sprintf(" (broke at the %.0f spans/s step)", rows[len(rows)-1].target)
	}
	// a run that never broke gives only a lower bound of its ceiling, and so a bound of the ratio
	ratio := "not measured (no ingest-only ceiling below the first step)"
	switch {
	case ingCeiling == 0:
	case held(mixRows) && held(ingRows):
		ratio = "not measured: neither broke (raise PERF_MIXED_RATES)"
	case held(ingRows):
		ratio = fmt.Sprintf("at most %.2f", mixCeiling/ingCeiling)
	case held(mixRows):
		ratio = fmt.Sprintf("at least %.2f", mixCeiling/ingCeiling)
	default:
		ratio = fmt.Sprintf("%.2f", mixCeiling/ingCeiling)
	}
	fmt.Printf("\nMixed-load ceiling: %s; ingest-only ceiling of the same run: %s; mixed / ingest-only: %s. "+
		"During the mixed run: %.0f optimizer runs, %.0f hour buckets refreshed. "+
		"Steps of %s starting on an empty database: the rollups and the dashboards' 24-hour ranges hold only this run's data.\n",
		ceil(mixCeiling, mixRows), ceil(ingCeiling, ingRows), ratio, optRuns, refreshHours, stepDur)
	// the engine runs on a tick after new data (and optimizer.min_interval, 30s): a run shorter
	// than two intervals may end before it has
	if optRuns == 0 {
		if ran := time.Since(mixed.startedAt); ran >= 2*interval+30*time.Second {
			t.Errorf("the optimization engine never ran in %s of mixed load: the benchmark did not measure what it says", ran.Round(time.Second))
		} else {
			fmt.Printf("(The mixed run, %s, was shorter than two scheduler intervals: the engine did not run in it.)\n", ran.Round(time.Second))
		}
	}
}

// TestBenchScaleOut: 1, 2 and 3 collectors on one database (ingest-only configuration), each
// count stepped up like the mixed load until a step breaks, the load spread evenly over the
// replicas by the clients (each load generator posts to one replica; no load balancer).
func TestBenchScaleOut(t *testing.T) {
	if !benchMode() {
		t.Skip("capacity benchmark: make bench (PERF_BENCH=1)")
	}
	rates := ratesEnv(t, "PERF_SCALE_RATES", "32000,64000,96000,128000,192000,256000")
	stepDur := durationEnv(t, "PERF_SCALE_STEP", 2*time.Minute)
	maxReplicas := intEnv(t, "PERF_SCALE_REPLICAS", 3)
	senders := intEnv(t, "PERF_MIXED_SENDERS", 4)
	type result struct {
		ceiling    float64
		held, last stepResult // the last step that held (zero: none), the last step run
	}
	var results []result
	for n := 1; n <= maxReplicas; n++ {
		r := newBenchRun(t, n, 0, ingestOnlyArgs...)
		// the same number of generators whatever n, so the load clients cost the same
		r.senders = max(1, (senders*maxReplicas)/n)
		rows, ceiling := stepUntilBreak(t, r, rates, stepDur, nil)
		res := result{ceiling: ceiling, last: rows[len(rows)-1]}
		for _, row := range rows {
			if row.verdict == "holds" {
				res.held = row
			}
		}
		results = append(results, res)
		for _, c := range r.cs {
			c.stop()
		}
		r.close()
	}
	fmt.Printf("\n### Scale-out: N collectors on one database, ingest only, steps of %s (%s spans/s), the load spread evenly over the replicas by the clients (no load balancer)\n\n",
		stepDur, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(rates)), ", "), "[]"))
	fmt.Println("| replicas | ceiling: stored spans/s of the last step that held | vs 1 replica | at it: collectors CPU / PG CPU, bench db / whole server (cores) | WAL MiB/s | step that broke: offered → accepted → stored spans/s, why |")
	fmt.Println("|---|---|---|---|---|---|")
	for i, r := range results {
		rel := "–"
		if results[0].ceiling > 0 && r.ceiling > 0 {
			rel = fmt.Sprintf("%.2f×", r.ceiling/results[0].ceiling)
		}
		broke := "none broke: the ceiling is at least the last step"
		if r.last.verdict != "holds" {
			broke = fmt.Sprintf("%.0f: %.0f → %.0f → %.0f, %s", r.last.target, r.last.offered, r.last.accepted, r.last.stored,
				strings.TrimPrefix(r.last.verdict, "breaks: "))
		}
		fmt.Printf("| %d | %.0f | %s | %.2f / %.2f / %.2f | %.1f | %s |\n", i+1, r.ceiling, rel,
			r.held.collectorCPU, r.held.pgCPU, r.held.pgAllCPU, r.held.walMBs, broke)
	}
	fmt.Printf("\nOne %d-core machine hosts the collectors, PostgreSQL and the load generators: more replicas share the same cores and the same database, so this shows contention on the database, not scale.\n", runtime.NumCPU())
}
