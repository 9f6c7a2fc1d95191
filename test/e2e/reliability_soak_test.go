package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Soak (bench only: PERF_BENCH=1; PERF_SOAK sets the duration, default 30m; PERF_SOAK_RATE
// spans/s, default 500): a moderate steady load through the real binary with the pprof
// extension on. Every PERF_SOAK_EVERY (default 5s) it samples RSS (/proc VmRSS), goroutines
// (/debug/pprof/goroutine) and otelcol_exporter_queue_size, then prints a summary table.
// Expected: flat — the mean of the last quarter within +50% (RSS) and +25%+10 (goroutines)
// of the second quarter's (the first is warm-up), the queue drained at the end (0), and
// every acknowledged span stored exactly once.
func TestReliabilitySoak(t *testing.T) {
	if !benchMode() {
		t.Skip("soak runs in make bench (PERF_BENCH=1)")
	}
	dur := durationEnv(t, "PERF_SOAK", 30*time.Minute)
	every := durationEnv(t, "PERF_SOAK_EVERY", 5*time.Second)
	rate := 500
	if v := os.Getenv("PERF_SOAK_RATE"); v != "" {
		rate, _ = strconv.Atoi(v)
	}
	dsn := perfdbtest.NewDatabaseName(t)
	pprofPort := freePort(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", fmt.Sprintf("yaml:extensions::pprof::endpoint: 127.0.0.1:%d", pprofPort),
		"--config", "yaml:service::extensions: [health_check, file_storage, perfgraphql, pprof]",
	)
	c.waitHealthy(t, 90*time.Second)
	// 2 workers x 5 requests/s x rate/10 spans
	g := newLoadGen(func() string { return c.otlpHTTP }, 2, max(1, rate/10), 200*time.Millisecond, 0x70)
	g.Start()
	type sample struct {
		at         time.Duration
		rss        float64
		goroutines int
		queue      float64
	}
	var samples []sample
	start := time.Now()
	for time.Since(start) < dur {
		time.Sleep(every)
		if !c.alive() {
			g.Stop()
			t.Fatalf("collector died after %s", time.Since(start))
		}
		s := sample{at: time.Since(start), goroutines: -1}
		s.rss, _ = c.rssMB()
		s.queue, _ = c.metricSum(t, "otelcol_exporter_queue_size", `exporter="perfpg"`, "traces")
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/goroutine?debug=1", pprofPort)); err == nil {
			line, _ := bufio.NewReader(resp.Body).ReadString('\n')
			resp.Body.Close()
			if i := strings.LastIndex(line, "total "); i >= 0 {
				s.goroutines, _ = strconv.Atoi(strings.TrimSpace(line[i+6:]))
			}
		}
		samples = append(samples, s)
	}
	g.Stop()
	rows := verifyExactlyOnce(t, dsn, g, 2*time.Minute)
	finalQueue, _ := c.metricSum(t, "otelcol_exporter_queue_size", `exporter="perfpg"`, "traces")

	if len(samples) < 8 {
		t.Fatalf("%d samples: run longer than 8 x PERF_SOAK_EVERY", len(samples))
	}
	q := len(samples) / 4
	mean := func(from, to int, f func(sample) float64) float64 {
		var sum float64
		for _, s := range samples[from:to] {
			sum += f(s)
		}
		return sum / float64(to-from)
	}
	stat := func(f func(sample) float64) (lo, hi float64) {
		lo, hi = f(samples[0]), f(samples[0])
		for _, s := range samples {
			lo, hi = min(lo, f(s)), max(hi, f(s))
		}
		return
	}
	rss := func(s sample) float64 { return s.rss }
	gor := func(s sample) float64 { return float64(s.goroutines) }
	que := func(s sample) float64 { return s.queue }
	var b strings.Builder
	fmt.Fprintf(&b, "\nsoak %s at %d spans/s (%d samples every %s; %d spans acknowledged and stored exactly once; statuses %v)\n",
		dur, rate, len(samples), every, rows, g.Status())
	fmt.Fprintf(&b, "| figure | min | max | mean Q2 | mean Q4 | Q4/Q2 |\n|---|---|---|---|---|---|\n")
	for _, m := range []struct {
		name string
		f    func(sample) float64
	}{{"RSS MiB", rss}, {"goroutines", gor}, {"queue size (batches)", que}} {
		lo, hi := stat(m.f)
		q2, q4 := mean(q, 2*q, m.f), mean(3*q, len(samples), m.f)
		ratio := 0.0
		if q2 > 0 {
			ratio = q4 / q2
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.1f | %.1f | %.2f |\n", m.name, lo, hi, q2, q4, ratio)
	}
	fmt.Fprintf(&b, "final queue size %.0f\n", finalQueue)
	t.Log(b.String())

	for _, m := range []struct {
		name string
		f    func(sample) float64
		goal string
	}{{"RSS", rss, "<= 1.5"}, {"goroutines", gor, "<= 1.25 (+10)"}} {
		q2, q4 := mean(q, 2*q, m.f), mean(3*q, len(samples), m.f)
		benchRow(t, fmt.Sprintf("soak %s at %d spans/s: %s, mean of the last quarter", dur, rate, m.name), fmt.Sprintf("%.1f", q4), fmt.Sprintf("%.1f (second quarter)", q2), q4/max(q2, 1), m.goal)
	}
	if q2, q4 := mean(q, 2*q, rss), mean(3*q, len(samples), rss); q4 > q2*1.5 {
		t.Errorf("RSS grows: %.0f MiB -> %.0f MiB", q2, q4)
	}
	if q2, q4 := mean(q, 2*q, gor), mean(3*q, len(samples), gor); q2 < 0 || q4 > q2*1.25+10 {
		t.Errorf("goroutines grow (or were not sampled): %.0f -> %.0f", q2, q4)
	}
	if finalQueue != 0 {
		t.Errorf("queue not drained at the end: %.0f", finalQueue)
	}
}
