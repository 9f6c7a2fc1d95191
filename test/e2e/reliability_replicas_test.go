package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Replicas: three collectors on one database, each with ingest and the perfgraphql
// extension (scheduler interval 1s), each taking load. The scheduler leader is killed with
// SIGKILL mid-run.
// Expected:
//   - exactly one replica is leader at a time (scheduler ticks role="leader" grow on one
//     replica only), and after the kill one of the survivors takes over;
//   - perf_rollup_refresh_log: at most two refreshing backends (the killed leader and its
//     successor), their periods do not overlap, and the current hour is refreshed at most
//     once per tick (rows <= elapsed seconds + slack; three leaders would make ~3x);
//   - the hourly rollup counts every stored request once (sum(requests) = rows);
//   - every partition bound exists once; no error-level log line on any replica;
//   - every acknowledged span is stored exactly once, those the killed replica acknowledged
//     (in its persistent queue) once it is restarted on the same file_storage directory.
func TestReliabilityThreeReplicas(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	args := []string{"--config", "yaml:extensions::perfgraphql::scheduler::interval: 1s"}
	var cs []*collector
	var dirs []string
	for i := 0; i < 3; i++ {
		dirs = append(dirs, t.TempDir())
		cs = append(cs, startCollector(t, dsn, dirs[i], args...))
	}
	for _, c := range cs {
		c.waitHealthy(t, 90*time.Second)
	}
	began := time.Now()
	var gens []*loadGen
	for i, c := range cs {
		c := c
		g := newLoadGen(func() string { return c.otlpHTTP }, 1, 10, 100*time.Millisecond, byte(0x40+i))
		g.headers = map[string]string{"X-Scope-OrgID": "acme"}
		g.Start()
		gens = append(gens, g)
	}
	leaderTicks := func(c *collector) float64 {
		v, _ := c.metricSum(t, "otelcol_perfgraphql_scheduler_ticks", `role="leader"`)
		return v
	}
	time.Sleep(8 * time.Second)
	leader := -1
	for i, c := range cs {
		if leaderTicks(c) > 0 {
			if leader >= 0 {
				t.Errorf("replicas %d and %d both did leader ticks", leader, i)
			}
			leader = i
		}
	}
	if leader < 0 {
		t.Fatalf("no replica is scheduler leader after 8s; metrics of replica 0 found: %v", func() bool { _, ok := cs[0].metricSum(t, "otelcol_perfgraphql_scheduler_ticks"); return ok }())
	}
	cs[leader].kill9(t)
	gens[leader].Stop()
	killedAt := time.Now()
	survivors := map[int]float64{}
	for i, c := range cs {
		if i != leader {
			survivors[i] = leaderTicks(c)
		}
	}
	time.Sleep(8 * time.Second)
	newLeaders := 0
	for i := range survivors {
		if leaderTicks(cs[i]) > survivors[i] {
			newLeaders++
		}
	}
	if newLeaders != 1 {
		t.Errorf("%d survivors did leader ticks after the leader was killed, want exactly 1", newLeaders)
	}
	for i, g := range gens {
		if i != leader {
			g.Stop()
		}
	}
	// what the killed replica acknowledged is in its persistent queue, on its own disk: it is
	// stored when that replica comes back on the same volume (as a StatefulSet would do)
	cs[leader] = startCollector(t, dsn, dirs[leader], args...)
	cs[leader].waitHealthy(t, 90*time.Second)
	elapsed := time.Since(began)
	for _, g := range gens {
		verifyExactlyOnce(t, dsn, g, 60*time.Second)
	}

	ctx := contextFor(t, 60*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	// leadership periods, from the refresh log
	rows, err := conn.Query(ctx, `SELECT backend_pid, min(refreshed_at), max(refreshed_at) FROM perf_rollup_refresh_log
		GROUP BY backend_pid ORDER BY 2`)
	if err != nil {
		t.Fatal(err)
	}
	type period struct {
		pid        int32
		start, end time.Time
	}
	periods, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (period, error) {
		var p period
		return p, r.Scan(&p.pid, &p.start, &p.end)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 2 {
		t.Errorf("%d backends refreshed rollups, want 2 (leader, then its successor): %v", len(periods), periods)
	}
	for i := 1; i < len(periods); i++ {
		if periods[i].start.Before(periods[i-1].end) {
			t.Errorf("refresh periods overlap: %v", periods)
		}
	}
	if len(periods) == 2 && periods[1].start.Before(killedAt.Add(-2*time.Second)) {
		t.Errorf("the second refreshing backend started before the kill: %v (kill at %s)", periods, killedAt)
	}
	var current, maxPerHourTick int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM perf_rollup_refresh_log l JOIN perf_tenants t USING (tenant_id)
		WHERE t.name = 'acme' AND reason = 'current'`).Scan(&current); err != nil {
		t.Fatal(err)
	}
	if limit := int(elapsed.Seconds()) + 5; current == 0 || current > limit {
		t.Errorf("current hour of acme refreshed %d times in %s, want 1..%d (one per 1s tick of one leader)", current, elapsed, limit)
	}
	// one refresh per bucket per tick: no bucket refreshed twice within one refresh
	// transaction (same backend, same transaction start)
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM perf_rollup_refresh_log
		GROUP BY tenant_id, hour_bucket, backend_pid, date_trunc('second', refreshed_at)) x`).Scan(&maxPerHourTick); err != nil {
		t.Fatal(err)
	}
	if maxPerHourTick > 2 { // a tick straddling a second boundary may not be split; 3 is a repeat
		t.Errorf("a bucket was refreshed %d times by one backend within a second", maxPerHourTick)
	}

	// the rollup counts every request once (after one more tick has seen the last rows)
	var logged, rolled int64
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM api_performance_log a JOIN perf_tenants t USING (tenant_id) WHERE t.name = 'acme'),
			(SELECT coalesce(sum(requests), 0) FROM perf_endpoint_hourly h JOIN perf_tenants t USING (tenant_id) WHERE t.name = 'acme')`).Scan(&logged, &rolled); err != nil {
			t.Fatal(err)
		}
		if logged == rolled || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if logged == 0 || logged != rolled {
		t.Errorf("acme: %d requests logged, %d in perf_endpoint_hourly", logged, rolled)
	}

	var partitions, distinctBounds int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT (i.inhparent, pg_get_expr(c.relpartbound, c.oid)))
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_partitioned_table p ON p.partrelid = i.inhparent`).Scan(&partitions, &distinctBounds); err != nil {
		t.Fatal(err)
	}
	if partitions == 0 || partitions != distinctBounds {
		t.Errorf("%d partitions for %d distinct bounds", partitions, distinctBounds)
	}
	for i, c := range cs {
		if lines := c.errorLines(); len(lines) > 0 {
			t.Errorf("replica %d logged errors:\n%s", i, lines)
		}
	}
	var ps []string
	for _, p := range periods {
		ps = append(ps, fmt.Sprintf("pid %d %s..%s", p.pid, p.start.Format("15:04:05.000"), p.end.Format("15:04:05.000")))
	}
	t.Logf("3 replicas, leader %d killed at %s: refresh periods %v; current-hour refreshes %d in %s; %d requests logged = rolled up; %d partitions",
		leader, killedAt.Format("15:04:05.000"), ps, current, elapsed.Round(time.Second), logged, partitions)
}
