package e2e

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Outage: steady load through the real binary (config.yaml: persistent sending_queue on
// file_storage) while the database is stopped and started again.
// Expected: the receiver keeps acknowledging (the queue is on disk), and after the drain
// every acknowledged span is stored exactly once (set of span ids compared, rows counted),
// nothing is stored that was not sent, and the collector logs no error-level line about
// dropped data.
// Short: 10 s outage; PERF_BENCH=1: PERF_OUTAGE (default 60s).
func TestReliabilityDatabaseOutage(t *testing.T) {
	t.Parallel()
	outage := 10 * time.Second
	drain := 90 * time.Second
	if benchMode() {
		outage = durationEnv(t, "PERF_OUTAGE", 60*time.Second)
		drain = 3 * time.Minute
	}
	pg := newPrivatePG(t)
	dsn := pg.DSN("perf")
	c := startCollector(t, dsn, t.TempDir())
	c.waitHealthy(t, 60*time.Second)

	// 4 workers x 10 requests/s x 20 spans = 800 spans/s
	g := newLoadGen(func() string { return c.otlpHTTP }, 4, 20, 100*time.Millisecond, 0x11)
	g.Start()
	time.Sleep(4 * time.Second)
	pg.Stop(t)
	stoppedAt := time.Now()
	time.Sleep(outage)
	ackedDuringOutage := 0
	// requests are still acknowledged while the database is down: they are on disk
	if last := time.Unix(0, g.lastAckNanos.Load()); last.After(stoppedAt.Add(outage / 2)) {
		ackedDuringOutage = 1
	}
	pg.Start(t)
	backAt := time.Now()
	time.Sleep(4 * time.Second)
	g.Stop()
	if ackedDuringOutage == 0 {
		t.Errorf("the receiver stopped acknowledging during the outage (statuses %v): the persistent queue should absorb it", g.Status())
	}
	started := time.Now()
	rows := verifyExactlyOnce(t, dsn, g, drain)
	t.Logf("outage %s: statuses %v; %d spans acknowledged, %d stored exactly once, drained %.1fs after the load stopped",
		outage, g.Status(), len(g.Acked()), rows, time.Since(started).Seconds())
	acked := len(g.Acked())
	benchRow(t, fmt.Sprintf("outage %s: acknowledged spans stored exactly once", outage), fmt.Sprintf("%d", rows), fmt.Sprintf("%d acknowledged", acked), float64(rows)/float64(acked), "1.00 (>= 1: in-flight unacknowledged also stored)")
	back := time.Since(backAt).Seconds()
	benchRow(t, fmt.Sprintf("outage %s: all acknowledged spans stored, seconds after the database is back", outage), fmt.Sprintf("%.1f", back), "retry max_interval 30s", back/30, "<= 2 (one backoff, then the drain)")
	if !c.alive() {
		t.Fatal("collector died")
	}
	for _, l := range c.errorLines() {
		// exporterhelper logs "Exporting failed. Dropping data." at error level when it gives up
		if containsAny(l, "Dropping data", "dropped", "panic") {
			t.Errorf("collector dropped data: %s", l)
		}
	}
}

// Crash: kill -9 of the collector under load, then a restart on the same file_storage
// directory. Expected: every span the receiver acknowledged before the kill or after the
// restart is stored exactly once (the queue is replayed; a replayed batch takes the
// staging-table ON CONFLICT path); requests in flight at the kill are not acknowledged
// and may or may not be stored, but never twice and never invented.
func TestReliabilityCollectorKill9(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	storage := t.TempDir()
	var target atomic.Value
	c := startCollector(t, dsn, storage)
	c.waitHealthy(t, 90*time.Second)
	target.Store(c.otlpHTTP)

	g := newLoadGen(func() string { return target.Load().(string) }, 4, 25, 50*time.Millisecond, 0x22)
	g.Start()
	time.Sleep(5 * time.Second)
	before := len(g.Acked())
	c.kill9(t)
	c2 := startCollector(t, dsn, storage)
	c2.waitHealthy(t, 90*time.Second)
	target.Store(c2.otlpHTTP)
	time.Sleep(5 * time.Second)
	g.Stop()
	if before == 0 || len(g.Acked()) <= before {
		t.Fatalf("load was not acknowledged on both sides of the kill (%d before, %d total; statuses %v)", before, len(g.Acked()), g.Status())
	}
	rows := verifyExactlyOnce(t, dsn, g, 60*time.Second)
	benchRow(t, "kill -9 under load: acknowledged spans stored exactly once", fmt.Sprintf("%d", rows), fmt.Sprintf("%d acknowledged", len(g.Acked())), float64(rows)/float64(len(g.Acked())), "1.00 (>= 1: in-flight unacknowledged also stored)")
	t.Logf("kill -9: statuses %v; %d acknowledged (%d before the kill), %d stored exactly once", g.Status(), len(g.Acked()), before, rows)
	for _, l := range c2.errorLines() {
		if containsAny(l, "Dropping data", "panic") {
			t.Errorf("restarted collector dropped data: %s", l)
		}
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
