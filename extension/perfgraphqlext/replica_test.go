package perfgraphqlext

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
)

// replicaQuery reads the rollups through several resolvers over a fixed range, so that two
// answers are equal exactly when the data they read is.
const replicaQuery = `query($from: DateTime, $to: DateTime) {
	performanceOverview(from: $from, to: $to) { healthScore apdex p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs
		avgResponseTimeMs maxResponseTimeMs totalRequests failedRequests totalQueries p95QueryTimeMs avgQueryTimeMs }
	endpointMetrics(from: $from, to: $to) { route totalRequests p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs }
	slowQueries(threshold: 0, from: $from, to: $to) { queryHash occurrenceCount p95ExecutionTimeMs maxExecutionTimeMs }
	trafficSeries(from: $from, to: $to) { timestamp count errors p95Ms }
}`

type staleness struct {
	ReadFrom         string  `json:"readFrom"`
	ReplayLagSeconds float64 `json:"replayLagSeconds"`
	ReplicaUnusable  string  `json:"replicaUnusable"`
}

// answer runs replicaQuery and returns its data and the staleness the answer reports.
func answer(t *testing.T, url, tenant string, vars map[string]any) (map[string]any, staleness) {
	t.Helper()
	r := query(t, url, "token-"+tenant, replicaQuery, vars)
	d := mustData(t, r)
	var ext struct {
		Extensions struct {
			Staleness *staleness `json:"staleness"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal([]byte(r.Raw), &ext); err != nil {
		t.Fatal(err)
	}
	if ext.Extensions.Staleness == nil {
		t.Fatalf("an answer that read the rollups says nothing of its staleness: %s", r.Raw)
	}
	return d, *ext.Extensions.Staleness
}

func newPool(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(tctx(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// GraphQL reads go to a real streaming standby (read_dsn) while the extension migrates the
// primary; answers equal the primary's, tenant by tenant (perf_reader and row-level security
// work read-only on the standby); with replay paused the answers keep the old data and say
// how stale they are, growing; resumed, they catch up; with the standby down they come
// from the primary and say so, and /healthz reports the read side.
func TestReadsFromAStreamingReplica(t *testing.T) {
	p := pgtestcluster.Start(t, pgtestcluster.Options{})
	r := p.StartReplica(t, pgtestcluster.Options{})
	dsn, readDSN := p.DSN("perf"), r.DSN("perf")

	// the primary only (migrates it, through the extension's own start)
	primaryURL := startExt(t, dsn, nil, "acme", "globex")
	pool := newPool(t, dsn)
	now := time.Now().UTC().Truncate(time.Hour)
	from, to := now.Add(-6*time.Hour), now.Add(time.Hour)
	vars := fmtRange(from, to)
	acme := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	globex := perfgraphqltest.SeedTenant(t, pool, "globex", fpA+1)
	perfgraphqltest.SeedTraffic(t, pool, acme, from, now.Add(-2*time.Hour), 60, fpA, 1)
	perfgraphqltest.SeedTraffic(t, pool, globex, from, now.Add(-3*time.Hour), 30, fpA+1, 2)
	perfgraphqltest.Refresh(t, pool, "acme")
	perfgraphqltest.Refresh(t, pool, "globex")
	r.CatchUp(t, 30*time.Second)

	replicaURL := startExt(t, dsn, func(c *Config) { c.ReadDSN = configopaque.String(readDSN) }, "acme", "globex")
	base := strings.TrimSuffix(replicaURL, "/graphql")

	for _, tenant := range []string{"acme", "globex"} {
		want, ps := answer(t, primaryURL, tenant, vars)
		if ps.ReadFrom != "primary" || ps.ReplayLagSeconds != 0 || ps.ReplicaUnusable != "" {
			t.Errorf("%s without read_dsn: staleness %+v", tenant, ps)
		}
		got, rs := answer(t, replicaURL, tenant, vars)
		if rs.ReadFrom != "replica" || rs.ReplayLagSeconds > 5 {
			t.Errorf("%s with read_dsn: staleness %+v, want the replica with a small lag", tenant, rs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the replica answers\n%v\nthe primary\n%v", tenant, got, want)
		}
		if n := num(t, got["performanceOverview"].(map[string]any)["totalRequests"]); n == 0 {
			t.Fatalf("%s: no requests in the answer: the test compares empty answers", tenant)
		}
	}
	acmeBefore, _ := answer(t, replicaURL, "acme", vars)
	globexBefore, _ := answer(t, replicaURL, "globex", vars)
	if reflect.DeepEqual(acmeBefore, globexBefore) {
		t.Fatal("two tenants get the same answer from the replica")
	}
	// SET LOCAL ROLE and perf.tenant_id in a read-only transaction on the standby: row-level
	// security shows one tenant's rows only
	checkRLSOnStandby(t, readDSN, acme)

	// the probe needs no privilege: a plain role sees that a WAL receiver runs (its pid)
	p.Exec(t, "postgres", "CREATE ROLE plain LOGIN")
	r.CatchUp(t, 30*time.Second)
	plain := newPool(t, fmt.Sprintf("postgres://plain@127.0.0.1:%d/perf?sslmode=disable", r.Port))
	if st := (&rollup.Replica{Pool: plain}).State(tctx(t)); !st.Usable || st.ReplayLagSeconds > 5 {
		t.Errorf("probe of the standby as a plain role: %+v", st)
	}

	code, h := getJSON(t, base+"/healthz")
	if read, _ := h["read"].(map[string]any); code != 200 || read["from"] != "replica" {
		t.Errorf("/healthz with the replica up: %d %v", code, h)
	}

	// replay paused: the primary moves on, the replica's answers do not, and say so
	r.Exec(t, "postgres", "SELECT pg_wal_replay_pause()")
	perfgraphqltest.SeedTraffic(t, pool, acme, now.Add(-2*time.Hour), now.Add(-time.Hour), 600, fpA, 3)
	perfgraphqltest.Refresh(t, pool, "acme")
	waitReceived(t, p, r)
	acmeNew, _ := answer(t, primaryURL, "acme", vars)
	if reflect.DeepEqual(acmeNew, acmeBefore) {
		t.Fatal("the write on the primary changed nothing")
	}
	time.Sleep(1100 * time.Millisecond) // past the probe's cache
	got, s1 := answer(t, replicaURL, "acme", vars)
	if !reflect.DeepEqual(got, acmeBefore) {
		t.Errorf("with replay paused the replica answers new data:\n%v\nbefore\n%v", got, acmeBefore)
	}
	if s1.ReadFrom != "replica" || s1.ReplayLagSeconds <= 0 {
		t.Errorf("with replay paused: staleness %+v, want the replica with a lag", s1)
	}
	time.Sleep(1500 * time.Millisecond)
	_, s2 := answer(t, replicaURL, "acme", vars)
	if s2.ReadFrom != "replica" || s2.ReplayLagSeconds < s1.ReplayLagSeconds+1 {
		t.Errorf("the lag does not grow while replay is paused: %+v then %+v", s1, s2)
	}
	t.Logf("replay paused: lag %.3f s, then %.3f s", s1.ReplayLagSeconds, s2.ReplayLagSeconds)

	// resumed: the replica catches up, and the lag is back to exactly 0 although the last
	// commit it replayed is seconds old (the primary is idle: all received is replayed)
	r.Exec(t, "postgres", "SELECT pg_wal_replay_resume()")
	r.CatchUp(t, 30*time.Second)
	eventually(t, 10*time.Second, "the replica's answer to catch up", func() (bool, string) {
		got, s := answer(t, replicaURL, "acme", vars)
		return reflect.DeepEqual(got, acmeNew) && s.ReadFrom == "replica" && s.ReplayLagSeconds == 0, fmt.Sprintf("staleness %+v", s)
	})

	// the standby down: answers come from the primary, and say so; /healthz stays 200
	r.Stop(t)
	eventually(t, 10*time.Second, "the answer to come from the primary", func() (bool, string) {
		got, s := answer(t, replicaURL, "acme", vars)
		return reflect.DeepEqual(got, acmeNew) && s.ReadFrom == "primary" && s.ReplicaUnusable != "", s.ReadFrom + " " + s.ReplicaUnusable
	})
	code, h = getJSON(t, base+"/healthz")
	if read, _ := h["read"].(map[string]any); code != 200 || h["status"] != "ok" || read["from"] != "primary" || read["replicaUnusable"] == nil {
		t.Errorf("/healthz with the replica down: %d %v", code, h)
	} else if reason := read["replicaUnusable"].(string); strings.Contains(reason, "127.0.0.1") || strings.Contains(reason, "postgres") {
		t.Errorf("/healthz names connection details: %q", reason)
	}

	// back up: reads go to it again
	r.Restart(t)
	eventually(t, 30*time.Second, "reads to return to the replica", func() (bool, string) {
		got, s := answer(t, replicaURL, "acme", vars)
		return reflect.DeepEqual(got, acmeNew) && s.ReadFrom == "replica", s.ReadFrom + " " + s.ReplicaUnusable
	})
}

// The scheduler (partitions, refresh, engine) and everything else that writes use dsn, never
// read_dsn: with read_dsn a standby, which refuses every write, the scheduler refreshes the
// rollups of new spans, and the answers read on the standby show them.
func TestSchedulerWritesThePrimaryWithReadDSN(t *testing.T) {
	p := pgtestcluster.Start(t, pgtestcluster.Options{})
	r := p.StartReplica(t, pgtestcluster.Options{})
	dsn, readDSN := p.DSN("perf"), r.DSN("perf")
	url := startExt(t, dsn, func(c *Config) {
		c.ReadDSN = configopaque.String(readDSN)
		c.Scheduler.Enabled = true
		c.Scheduler.Interval = time.Second
	}, "acme")
	pool := newPool(t, dsn)
	now := time.Now().UTC().Truncate(time.Hour)
	from, to := now.Add(-3*time.Hour), now.Add(time.Hour)
	acme := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	perfgraphqltest.SeedTraffic(t, pool, acme, from, now.Add(-time.Hour), 40, fpA, 1) // not refreshed here
	eventually(t, 60*time.Second, "the scheduler's refresh to reach the replica's answers", func() (bool, string) {
		d, s := answer(t, url, "acme", fmtRange(from, to))
		n := num(t, d["performanceOverview"].(map[string]any)["totalRequests"])
		return n == 80 && s.ReadFrom == "replica", "totalRequests " + jsonString(n) + " from " + s.ReadFrom
	})
	var dirty int
	if err := pool.QueryRow(tctx(t), "SELECT count(*) FROM rollup_dirty_hours WHERE tenant_id = $1", acme).Scan(&dirty); err != nil {
		t.Fatal(err)
	}
	if dirty != 0 {
		t.Errorf("%d dirty hours left on the primary after the refresh", dirty)
	}
}

// checkRLSOnStandby reads the raw request log on the standby as the API does (read-only
// transaction, SET LOCAL ROLE perf_reader, perf.tenant_id by set_config): only tid's rows.
func checkRLSOnStandby(t *testing.T, readDSN string, tid int32) {
	t.Helper()
	ctx := tctx(t)
	conn, err := pgx.Connect(ctx, readDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var inRecovery bool
	var all int
	if err := tx.QueryRow(ctx, "SELECT pg_is_in_recovery(), (SELECT count(DISTINCT tenant_id) FROM api_performance_log)").Scan(&inRecovery, &all); err != nil {
		t.Fatal(err)
	}
	if !inRecovery || all < 2 {
		t.Fatalf("standby: in recovery %v, %d tenants visible to the superuser", inRecovery, all)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE perf_reader"); err != nil {
		t.Fatalf("SET LOCAL ROLE on the standby: %v", err)
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('perf.tenant_id', $1, true)", jsonString(float64(tid))); err != nil {
		t.Fatalf("set_config on the standby: %v", err)
	}
	var tenants []int32
	if err := tx.QueryRow(ctx, "SELECT coalesce(array_agg(DISTINCT tenant_id), '{}') FROM api_performance_log").Scan(&tenants); err != nil {
		t.Fatal(err)
	}
	if len(tenants) != 1 || tenants[0] != tid {
		t.Errorf("perf_reader of tenant %d on the standby sees tenants %v", tid, tenants)
	}
}

// waitReceived waits until the standby has received (not necessarily replayed) all WAL the
// primary has written.
func waitReceived(t *testing.T, p, r *pgtestcluster.Cluster) {
	t.Helper()
	var target string
	p.QueryRow(t, "postgres", "SELECT pg_current_wal_lsn()::text", nil, &target)
	eventually(t, 30*time.Second, "the standby to receive the primary's WAL", func() (bool, string) {
		var ok bool
		r.QueryRow(t, "postgres", "SELECT coalesce(pg_last_wal_receive_lsn() >= $1::pg_lsn, false)", []any{target}, &ok)
		return ok, ""
	})
}

func eventually(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; last: %s", timeout, what, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func jsonString(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
