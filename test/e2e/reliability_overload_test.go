package e2e

import (
	"fmt"
	"testing"
	"time"
)

// Overload: offered load far beyond what the database absorbs (the private PostgreSQL is
// stopped, so it absorbs nothing) with a small persistent queue (queue_size 20 requests)
// and memory_limiter bound to limit_mib 200 / spike 50.
// Expected:
//   - the receiver pushes back with retryable errors (HTTP 503 or 429), never 500/400;
//   - the collector never dies and its RSS stays below limit_mib + 50% (300 MiB);
//   - otelcol_exporter_queue_size never exceeds the queue capacity;
//   - when the database is back and the load falls, requests are acknowledged again
//     (a 5 s window of light load answered 200 only), and every span acknowledged in any
//     phase is stored exactly once.
func TestReliabilityOverloadPushesBack(t *testing.T) {
	t.Parallel()
	heavyFor := 15 * time.Second
	if benchMode() {
		heavyFor = durationEnv(t, "PERF_OVERLOAD", 60*time.Second)
	}
	const limitMiB, queueSize = 200, 20
	pg := newPrivatePG(t)
	dsn := pg.DSN("perf")
	c := startCollector(t, dsn, t.TempDir(),
		"--config", "yaml:exporters::perfpg::sending_queue::sizer: requests",
		"--config", fmt.Sprintf("yaml:exporters::perfpg::sending_queue::queue_size: %d", queueSize),
		"--config", "yaml:processors::memory_limiter::limit_percentage: 0",
		"--config", "yaml:processors::memory_limiter::spike_limit_percentage: 0",
		"--config", fmt.Sprintf("yaml:processors::memory_limiter::limit_mib: %d", limitMiB),
		"--config", "yaml:processors::memory_limiter::spike_limit_mib: 50",
	)
	c.waitHealthy(t, 60*time.Second)
	pg.Stop(t)

	// 6 workers x 50 requests/s x 100 spans of ~600 bytes: ~18 MB/s offered, into a database
	// that is down
	heavy := newLoadGen(func() string { return c.otlpHTTP }, 6, 100, 20*time.Millisecond, 0x33)
	heavy.attrBytes = 512
	heavy.Start()
	var maxRSS, maxQueue, capacity float64
	deadline := time.Now().Add(heavyFor)
	for time.Now().Before(deadline) {
		if !c.alive() {
			heavy.Stop()
			t.Fatalf("collector died under overload:\n%s", c.output.String())
		}
		if rss, err := c.rssMB(); err == nil && rss > maxRSS {
			maxRSS = rss
		}
		if q, ok := c.metricSum(t, "otelcol_exporter_queue_size", `exporter="perfpg"`, "traces"); ok && q > maxQueue {
			maxQueue = q
		}
		if v, ok := c.metricSum(t, "otelcol_exporter_queue_capacity", `exporter="perfpg"`, "traces"); ok {
			capacity = v
		}
		time.Sleep(500 * time.Millisecond)
	}
	heavy.Stop()
	st := heavy.Status()
	t.Logf("overload %s: statuses %v, max RSS %.0f MiB, max queue %.0f of %.0f", heavyFor, st, maxRSS, maxQueue, capacity)
	benchRow(t, fmt.Sprintf("overload %s, database down: max RSS (MiB)", heavyFor), fmt.Sprintf("%.0f", maxRSS), fmt.Sprintf("memory_limiter limit_mib %d", limitMiB), maxRSS/limitMiB, "<= 1.5")
	benchRow(t, fmt.Sprintf("overload %s: requests pushed back 503/429", heavyFor), fmt.Sprintf("%d", st["503"]+st["429"]), fmt.Sprintf("%d requests", st["503"]+st["429"]+st["200"]), float64(st["503"]+st["429"])/float64(max(1, st["503"]+st["429"]+st["200"])), "> 0, and no other code")
	if st["503"]+st["429"] == 0 {
		t.Errorf("no retryable push-back (503/429) under overload: %v", st)
	}
	for code, n := range st {
		if code != "200" && code != "503" && code != "429" {
			t.Errorf("%d answers %s under overload: only 200, 503 and 429 are expected", n, code)
		}
	}
	if maxRSS == 0 || maxRSS > limitMiB*1.5 {
		t.Errorf("max RSS %.0f MiB, want (0, %d]", maxRSS, limitMiB*3/2)
	}
	if capacity > 0 && maxQueue > capacity {
		t.Errorf("queue size %.0f above capacity %.0f", maxQueue, capacity)
	}

	// the database is back and the load falls: the collector recovers
	pg.Start(t)
	light := newLoadGen(func() string { return c.otlpHTTP }, 1, 20, 200*time.Millisecond, 0x34)
	light.Start()
	recoverBy := time.Now().Add(60 * time.Second)
	for light.lastAckNanos.Load() == 0 && time.Now().Before(recoverBy) {
		time.Sleep(200 * time.Millisecond)
	}
	light.Stop()
	if light.lastAckNanos.Load() == 0 {
		t.Fatalf("no request acknowledged within 60s of the database coming back: %v", light.Status())
	}
	after := newLoadGen(func() string { return c.otlpHTTP }, 1, 20, 200*time.Millisecond, 0x35)
	after.Start()
	time.Sleep(5 * time.Second)
	after.Stop()
	if st := after.Status(); len(st) != 1 || st["200"] == 0 {
		t.Errorf("after recovery, light load answered %v, want 200 only", st)
	}
	for _, g := range []*loadGen{heavy, light, after} {
		if len(g.Acked()) > 0 {
			verifyExactlyOnce(t, dsn, g, 90*time.Second)
		}
	}
	if !c.alive() {
		t.Fatal("collector died")
	}
}
