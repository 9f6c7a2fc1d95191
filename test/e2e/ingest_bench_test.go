package e2e

// End-to-end ingest benchmark (PERF_BENCH=1): the real bin/otelcol-perf with config.yaml's
// traces pipeline (OTLP/gRPC → memory_limiter → queryhash → perfpg with its persistent
// queue on file_storage) against a plain binary COPY of the very rows it stored, in the
// same run.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// benchShapes are statement shapes with literals, as applications send them (queryhash
// sanitizes them); %d are filled per span so one shape yields many raw texts.
var benchShapes = []string{
	"SELECT id, name, price FROM products_%d WHERE id = %d",
	"SELECT * FROM orders_%d WHERE customer_id = %d AND status = 'open' ORDER BY created_at DESC LIMIT 20",
	"UPDATE carts_%d SET updated_at = now(), total = %d WHERE id = 42",
	"INSERT INTO events_%d (kind, payload, ts) VALUES ('click', '{\"x\": %d}', now())",
	"SELECT c.id, c.email FROM customers_%d c JOIN orders o ON o.customer_id = c.id WHERE o.id IN (%d, 7, 9)",
	"DELETE FROM sessions_%d WHERE expires_at < now() - interval '%d minutes'",
}

type benchService struct {
	name   string
	stable bool // stable semconv (db.system.name, db.query.text) vs the old (db.system, db.statement)
}

var benchServices = []benchService{{"checkout", true}, {"catalog", true}, {"legacy-billing", false}, {"legacy-search", false}}

// benchRequests builds the OTLP requests: per tenant, requests of tracesPer traces, each
// one server span and 2..6 DB spans (both semconv generations; half the statements of the
// stable generation with placeholders, as drivers that report the prepared text send
// them, the rest with literals), timestamps within the last minutes. It returns the requests, their tenant, and the span count.
func benchRequests(spans, tracesPer int) ([]ptraceotlp.ExportRequest, []string, int) {
	rng := rand.New(rand.NewPCG(7, 18))
	tenants := []string{"acme", "globex", "initech"}
	now := time.Now()
	var reqs []ptraceotlp.ExportRequest
	var owners []string
	total := 0
	var seq uint64
	for total < spans {
		tenant := tenants[len(reqs)%len(tenants)]
		td := ptrace.NewTraces()
		var slices_ []ptrace.SpanSlice
		for _, s := range benchServices {
			rs := td.ResourceSpans().AppendEmpty()
			a := rs.Resource().Attributes()
			a.PutStr("service.name", s.name)
			a.PutStr("service.instance.id", s.name+"-1")
			a.PutStr("host.name", "node-1")
			ss := rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName("bench")
			slices_ = append(slices_, ss.Spans())
		}
		for i := 0; i < tracesPer && total < spans; i++ {
			si := rng.IntN(len(benchServices))
			svc, out := benchServices[si], slices_[si]
			seq++
			var tid pcommon.TraceID
			binary.BigEndian.PutUint64(tid[:8], seq)
			binary.BigEndian.PutUint64(tid[8:], rng.Uint64())
			var sid pcommon.SpanID
			binary.BigEndian.PutUint64(sid[:], seq<<8)
			end := now.Add(-time.Duration(rng.IntN(120_000)) * time.Millisecond)
			start := end.Add(-time.Duration(5+rng.IntN(300)) * time.Millisecond)
			server := out.AppendEmpty()
			server.SetKind(ptrace.SpanKindServer)
			server.SetTraceID(tid)
			server.SetSpanID(sid)
			server.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
			server.SetEndTimestamp(pcommon.NewTimestampFromTime(end))
			r := rng.IntN(40)
			status := 200
			if rng.IntN(50) == 0 {
				status = 503
			}
			a := server.Attributes()
			if svc.stable {
				server.SetName(fmt.Sprintf("GET /api/r%d/{id}", r))
				a.PutStr("http.request.method", "GET")
				a.PutStr("http.route", fmt.Sprintf("/api/r%d/{id}", r))
				a.PutStr("url.path", fmt.Sprintf("/api/r%d/%d", r, rng.IntN(100000)))
				a.PutInt("http.response.status_code", int64(status))
				a.PutInt("http.response.body.size", int64(200+rng.IntN(6000)))
			} else {
				server.SetName("GET")
				a.PutStr("http.method", "GET")
				a.PutStr("http.target", fmt.Sprintf("/legacy/r%d/%d?page=%d", r, rng.IntN(100000), rng.IntN(9)))
				a.PutInt("http.status_code", int64(status))
				a.PutInt("http.response_content_length", int64(200+rng.IntN(6000)))
			}
			total++
			for q, n := 0, 2+rng.IntN(5); q < n && total < spans; q++ {
				db := out.AppendEmpty()
				db.SetKind(ptrace.SpanKindClient)
				db.SetTraceID(tid)
				binary.BigEndian.PutUint64(sid[:], seq<<8|uint64(q+1))
				db.SetSpanID(sid)
				db.SetParentSpanID(server.SpanID())
				qs := start.Add(time.Duration(q+1) * time.Millisecond)
				db.SetStartTimestamp(pcommon.NewTimestampFromTime(qs))
				db.SetEndTimestamp(pcommon.NewTimestampFromTime(qs.Add(time.Duration(100+rng.IntN(5000)) * time.Microsecond)))
				shape := rng.IntN(len(benchShapes))
				stmt := fmt.Sprintf(benchShapes[shape], rng.IntN(60), rng.IntN(1_000_000))
				if svc.stable && rng.IntN(2) == 0 {
					// drivers that report the prepared text: placeholders, no literals
					stmt = fmt.Sprintf(benchShapes[shape], rng.IntN(60), 1)
					stmt = strings.Replace(stmt, " 1", " $1", 1)
				}
				da := db.Attributes()
				if svc.stable {
					db.SetName("SELECT shop")
					da.PutStr("db.system.name", "postgresql")
					da.PutStr("db.namespace", "shop")
					da.PutStr("db.query.text", stmt)
				} else {
					db.SetName("postgresql")
					da.PutStr("db.system", "postgresql")
					da.PutStr("db.name", "shop")
					da.PutStr("db.statement", stmt)
				}
				total++
			}
		}
		reqs = append(reqs, ptraceotlp.NewExportRequestFromTraces(td))
		owners = append(owners, tenant)
	}
	return reqs, owners, total
}

// procCPU is the user+system CPU time of a process (/proc/<pid>/stat, in clock ticks: 100 per
// second on Linux).
// processCPU is the process's CPU time (procCPU of bench_mixed_test.go), failing the test
// when it cannot be read.
func processCPU(t *testing.T, pid int) time.Duration {
	s, ok := procCPU(pid)
	if !ok {
		t.Fatalf("cannot read the CPU time of process %d", pid)
	}
	return time.Duration(s * float64(time.Second))
}

// benchStages attribute a CPU profile's samples to the stages of the pipeline: the stage of
// the innermost frame of the sample's stack that belongs to one. GC counts the background
// collector and assists; allocation inside a stage counts for that stage.
type benchStage struct {
	name, desc string
	match      []string
}

var benchStages = []benchStage{
	{"gc", "GC (background mark/sweep, assists)", []string{"runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge", "runtime.gcAssistAlloc", "runtime.gcDrain"}},
	{"copy", "COPY encoding + pgx send", []string{"pgwriter.copy", "pgconn.(*PgConn).CopyFrom", "pgx.(*Conn).CopyFrom"}},
	{"dict", "dictionaries (ids of services, endpoints, fingerprints…)", []string{"pgwriter.(*Writer).resolve", "pgwriter.(*Writer).loadEndpoints", "pgwriter.(*Writer).touchFingerprints", "pgwriter.(*Writer).createTenants", "localdict."}},
	{"convert", "row conversion (spanrows, incl. the exporter's sqlnorm)", []string{"spanrows."}},
	{"pgx", "pgx (dictionary queries, transactions, partitions)", []string{"jackc/pgx"}},
	{"exporter", "exporter other (slim, split, tenant stamp, writer)", []string{"perfpgexporter.", "pgwriter.", "tenantstamp."}},
	{"queryhash", "queryhash processor (sqlnorm)", []string{"queryhashprocessor."}},
	{"queue", "persistent queue (marshal, compression, file_storage, batching)", []string{"exporterhelper", "exporter/exporterqueue", "filestorage", "bbolt", "queuebatch", "compress/s2"}},
	{"decode", "OTLP/gRPC receive + decode", []string{"otlpreceiver", "google.golang.org/grpc", "ptraceotlp", "golang.org/x/net/http2"}},
	{"memlimiter", "memory_limiter", []string{"memorylimiter"}},
}

// benchBinary, when set, is the binary startCollector runs instead of collectorBinary's,
// and benchEnv is added to its environment: the benchmark alternates two builds, or one
// build with and without some environment, in one run.
var (
	benchBinary string
	benchEnv    []string
)

// stageCPU reads a CPU profile (go tool pprof -traces) and returns seconds per stage
// ("other" for the rest).
func stageCPU(t *testing.T, binary, profile string) map[string]float64 {
	out, err := exec.Command("go", "tool", "pprof", "-traces", binary, profile).Output()
	if err != nil {
		t.Fatalf("go tool pprof: %v", err)
	}
	res := map[string]float64{}
	var val float64
	var frames []string
	flush := func() {
		if val == 0 {
			return
		}
		stage := "other"
	find:
		for _, f := range frames { // leaf first: the innermost stage owns the sample
			for _, st := range benchStages {
				for _, m := range st.match {
					if strings.Contains(f, m) {
						stage = st.name
						break find
					}
				}
			}
		}
		res[stage] += val
		val, frames = 0, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if d, err := time.ParseDuration(f[0]); err == nil && len(f) >= 2 {
			val = d.Seconds()
			frames = append(frames, f[1])
			continue
		}
		frames = append(frames, f[0])
	}
	flush()
	return res
}

// TestBenchIngestEndToEnd: spans sent over OTLP/gRPC by 4 clients until every row is
// committed, vs a pgx CopyFrom of the same rows (read back from the collector's database)
// into the same tables of a fresh database, alternating, median over rounds. CPU per span is
// the collector process's CPU time over the run divided by the spans; with
// PERF_BENCH_PROFILE=dir a CPU profile of each run is taken through the pprof extension
// and its samples are split into the pipeline's stages.
func TestBenchIngestEndToEnd(t *testing.T) {
	if !benchMode() {
		t.Skip("benchmark: run with PERF_BENCH=1 (make bench)")
	}
	spans := 400_000
	if n, err := strconv.Atoi(os.Getenv("PERF_BENCH_SPANS")); err == nil && n > 0 {
		spans = n
	}
	rounds := 3
	if n, err := strconv.Atoi(os.Getenv("PERF_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	profDir := os.Getenv("PERF_BENCH_PROFILE")
	// ~550 spans per request: about an SDK batch span processor's 512
	reqs, owners, total := benchRequests(spans, 100)
	ctx := context.Background()

	collect := func(round int, bin string, env []string) (elapsed time.Duration, cpu time.Duration, stages map[string]float64, dsn string) {
		dsn = perfdbtest.NewDatabaseName(t)
		pprofPort := freePort(t)
		args := []string{
			"--config", fmt.Sprintf("yaml:extensions::pprof::endpoint: 127.0.0.1:%d", pprofPort),
			"--config", "yaml:service::extensions: [health_check, file_storage, perfgraphql, pprof]",
		}
		if os.Getenv("PERF_BENCH_QUEUE") == "memory" {
			// to see what the persistent queue costs: the same queue in memory
			args = append(args, "--config", "yaml:exporters::perfpg::sending_queue::storage: null")
		}
		benchBinary, benchEnv = bin, env
		c := startCollector(t, dsn, t.TempDir(), args...)
		benchBinary, benchEnv = "", nil
		c.waitHealthy(t, 90*time.Second)
		conn, err := grpc.NewClient(c.otlpGRPC, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(64<<20)))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		client := ptraceotlp.NewGRPCClient(conn)
		db, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close(ctx)

		// The profile lasts 20 s, longer than a run here; on a slower machine it covers the
		// run's first 20 s, and the split by stage is theirs.
		var profile chan []byte
		if profDir != "" {
			profile = make(chan []byte, 1)
			go func() {
				resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", pprofPort, 20))
				if err != nil {
					profile <- nil
					return
				}
				defer resp.Body.Close()
				var b bytes.Buffer
				_, _ = b.ReadFrom(resp.Body)
				profile <- b.Bytes()
			}()
			time.Sleep(200 * time.Millisecond)
		}
		pid := c.cmd.Process.Pid
		cpu0 := processCPU(t, pid)
		t0 := time.Now()
		var wg sync.WaitGroup
		next := make(chan int)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					mctx := metadata.AppendToOutgoingContext(ctx, "X-Scope-OrgID", owners[i])
					for start := time.Now(); ; {
						_, err := client.Export(mctx, reqs[i])
						if err == nil {
							break
						}
						if time.Since(start) > 2*time.Minute {
							t.Errorf("request %d refused for 2 minutes: %v", i, err)
							break
						}
						// memory_limiter / a full queue refuse with a retryable status
						time.Sleep(50 * time.Millisecond)
					}
				}
			}()
		}
		for i := range reqs {
			next <- i
		}
		close(next)
		wg.Wait()
		t.Logf("all %d requests acknowledged after %v", len(reqs), time.Since(t0))
		deadline := time.Now().Add(5 * time.Minute)
		for {
			var n int
			if err := db.QueryRow(ctx, "SELECT (SELECT count(*) FROM api_performance_log) + (SELECT count(*) FROM query_performance_log)").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == total {
				break
			}
			if n > total {
				t.Fatalf("stored %d rows, sent %d spans", n, total)
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 5 minutes %d of %d rows stored", n, total)
			}
			time.Sleep(50 * time.Millisecond)
		}
		elapsed = time.Since(t0)
		cpu = processCPU(t, pid) - cpu0
		if profile != nil {
			b := <-profile
			if len(b) > 0 {
				path := filepath.Join(profDir, fmt.Sprintf("e2e-cpu-%s%d.pprof", filepath.Base(bin), round))
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				stages = stageCPU(t, bin, path)
			}
			// allocations since start (startup is small against the run's spans)
			if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/allocs", pprofPort)); err == nil {
				var b bytes.Buffer
				_, _ = b.ReadFrom(resp.Body)
				resp.Body.Close()
				_ = os.WriteFile(filepath.Join(profDir, fmt.Sprintf("e2e-allocs-%s%d.pprof", filepath.Base(bin), round)), b.Bytes(), 0o644)
			}
		}
		c.stop()
		return elapsed, cpu, stages, dsn
	}

	// baseline: the rows the collector stored, read back, copied with pgx CopyFrom (binary)
	// into the same tables of a fresh migrated database, in chunks of the queue's batch
	// size, one connection.
	baseline := func(src string) time.Duration {
		conn, err := pgx.Connect(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		type table struct {
			name string
			cols []string
			rows [][]any
		}
		var tables []*table
		for _, name := range []string{"api_performance_log", "query_performance_log"} {
			rows, err := conn.Query(ctx, "SELECT * FROM "+name)
			if err != nil {
				t.Fatal(err)
			}
			tb := &table{name: name}
			for _, fd := range rows.FieldDescriptions() {
				tb.cols = append(tb.cols, fd.Name)
			}
			for rows.Next() {
				v, err := rows.Values()
				if err != nil {
					t.Fatal(err)
				}
				tb.rows = append(tb.rows, v)
			}
			if rows.Err() != nil {
				t.Fatal(rows.Err())
			}
			tables = append(tables, tb)
		}
		pool, _ := perfdbtest.NewMigratedPool(t)
		if _, err := pool.Exec(ctx, "SELECT perf_create_partitions(current_date - 1, current_date + 1)"); err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		const chunk = 16384
		api, query := tables[0], tables[1]
		// interleaved like the exporter's batches: each chunk of spans has its server and DB rows
		na, nq := len(api.rows), len(query.rows)
		steps := (na + nq + chunk - 1) / chunk
		for s := 0; s < steps; s++ {
			for _, tb := range []*table{api, query} {
				n := len(tb.rows)
				i, j := s*n/steps, (s+1)*n/steps
				if _, err := pool.CopyFrom(ctx, pgx.Identifier{tb.name}, tb.cols, pgx.CopyFromRows(tb.rows[i:j])); err != nil {
					t.Fatal(err)
				}
			}
		}
		d := time.Since(t1)
		if got := perfdbtest.Scalar[int64](t, pool, "SELECT (SELECT count(*) FROM api_performance_log) + (SELECT count(*) FROM query_performance_log)"); int(got) != total {
			t.Fatalf("baseline copied %d rows, want %d", got, total)
		}
		pool.Close()
		return d
	}

	// OTELCOL_PERF_BIN_BEFORE: a second build, run alternately with the first in each round;
	// PERF_BENCH_COMPARE_ENV (e.g. "GOGC=200"): the build run alternately without and with
	// that environment
	type variant struct {
		label, bin                string
		env                       []string
		ratios, rates, cpuPerSpan []float64
		stages                    map[string][]float64
	}
	variants := []*variant{{label: "", bin: collectorBinary(t), stages: map[string][]float64{}}}
	if b := os.Getenv("OTELCOL_PERF_BIN_BEFORE"); b != "" {
		variants[0].label = "after: "
		variants = append([]*variant{{label: "before: ", bin: b, stages: map[string][]float64{}}}, variants...)
	} else if e := os.Getenv("PERF_BENCH_COMPARE_ENV"); e != "" {
		env := strings.Fields(e)
		variants = append(variants, &variant{label: "with " + e + ": ", bin: variants[0].bin, env: env, stages: map[string][]float64{}})
	}
	for r := 0; r < rounds; r++ {
		for _, v := range variants {
			e, cpu, stages, dsn := collect(r, v.bin, v.env)
			raw := baseline(dsn)
			v.ratios = append(v.ratios, raw.Seconds()/e.Seconds())
			v.rates = append(v.rates, float64(total)/raw.Seconds())
			us := float64(cpu.Microseconds()) / float64(total)
			v.cpuPerSpan = append(v.cpuPerSpan, us)
			var profTotal float64
			for _, x := range stages {
				profTotal += x
			}
			for k, x := range stages {
				// the profile's split applied to the measured process CPU of the run
				v.stages[k] = append(v.stages[k], us*x/profTotal)
			}
			t.Logf("round %d %s%s: collector %v (%.0f spans/s), raw COPY %v, ratio %.2f, CPU %.2f µs/span, stages %v",
				r, v.label, v.bin, e, float64(total)/e.Seconds(), raw, raw.Seconds()/e.Seconds(), us, stages)
		}
	}
	queue := "persistent queue"
	if os.Getenv("PERF_BENCH_QUEUE") == "memory" {
		queue = "in-memory queue"
	}
	fmt.Printf("\n| figure | value |\n|---|---|\n")
	for _, v := range variants {
		fmt.Printf("| %send-to-end ingest (OTLP/gRPC → memory_limiter → queryhash → perfpg, %s; %d spans, 3 tenants, both semconv generations; median of %d rounds) | %.0f spans/s |\n",
			v.label, queue, total, rounds, median(v.ratios)*median(v.rates))
		fmt.Printf("| %splain binary COPY of the same rows into the same tables (pgx CopyFrom, one connection) | %.0f rows/s |\n", v.label, median(v.rates))
		fmt.Printf("| %sratio end-to-end / COPY (range %.2f–%.2f; goal ≥ 0.85×) | %.2f× |\n", v.label, slices.Min(v.ratios), slices.Max(v.ratios), median(v.ratios))
		fmt.Printf("| %scollector process CPU per span (range %.2f–%.2f) | %.2f µs |\n", v.label, slices.Min(v.cpuPerSpan), slices.Max(v.cpuPerSpan), median(v.cpuPerSpan))
		for _, st := range append(benchStages, benchStage{"other", "other (runtime, scheduler, telemetry…)", nil}) {
			if x, ok := v.stages[st.name]; ok {
				fmt.Printf("| %sCPU per span: %s | %.2f µs |\n", v.label, st.desc, median(x))
			}
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
