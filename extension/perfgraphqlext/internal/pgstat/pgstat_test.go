package pgstat

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

func tctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// appCluster starts a private cluster with pg_stat_statements preloaded and an application
// database "shop" with the extension and a table.
func appCluster(t testing.TB, settings map[string]string) (*pgtestcluster.Cluster, string) {
	t.Helper()
	s := map[string]string{"shared_preload_libraries": "pg_stat_statements"}
	for k, v := range settings {
		s[k] = v
	}
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: s})
	dsn := c.CreateDatabase(t, "shop")
	c.Exec(t, "shop", `CREATE EXTENSION pg_stat_statements;
		CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric NOT NULL);
		INSERT INTO items SELECT g, 'item ' || g, g % 100 FROM generate_series(1, 1000) g`)
	return c, dsn
}

func connect(t testing.TB, dsn string, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(tctx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func run(t testing.TB, conn *pgx.Conn, n int, sql string, args ...any) {
	t.Helper()
	for range n {
		rows, err := conn.Query(tctx(t), sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if rows.Err() != nil {
			t.Fatalf("%s: %v", sql, rows.Err())
		}
	}
}

func snap(t testing.TB, s *Snapshotter, pool *pgxpool.Pool, tg targets.Target) Result {
	t.Helper()
	res, err := s.Snapshot(tctx(t), pool, tg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil {
		t.Fatalf("target error: %v", res.Err)
	}
	return res
}

type hourly struct {
	calls, rows, hit, read int64
	totalMs                float64
	wal                    *int64
}

// serverStats sums the stored hours of a fingerprint of tenant acme's database shop.
func serverStats(t testing.TB, pool *pgxpool.Pool, tenant, ns string, fp uint64) (hourly, bool) {
	t.Helper()
	var h hourly
	var n int
	err := pool.QueryRow(tctx(t), `SELECT count(*), coalesce(sum(calls), 0), coalesce(sum(rows), 0), coalesce(sum(shared_blks_hit), 0),
		coalesce(sum(shared_blks_read), 0), coalesce(sum(total_exec_ms), 0), sum(wal_bytes)::bigint
		FROM perf_query_server_hourly h JOIN perf_tenants USING (tenant_id) WHERE name = $1 AND db_namespace = $2 AND fingerprint = $3`,
		tenant, ns, int64(fp)).Scan(&n, &h.calls, &h.rows, &h.hit, &h.read, &h.totalMs, &h.wal)
	if err != nil {
		t.Fatal(err)
	}
	return h, n > 0
}

var norm = sqlnorm.New(sqlnorm.PostgreSQL, 0)

// fingerprint is what the client side stores for a statement text (the queryhash processor
// and the exporter normalize db.statement with the dialect of db.system postgresql).
func fingerprint(stmt string) uint64 { return norm.Normalize(stmt).Fingerprint }

// Real traffic from the pg driver, over the extended protocol (prepared statements) and the
// simple protocol (pgx then sends the values as literals, which pg_stat_statements turns into
// $n): the server's statistics land on the fingerprint of the client's statement text.
func TestSnapshotSharesTheClientFingerprint(t *testing.T) {
	_, dsn := appCluster(t, nil)
	pool, _ := perfdbtest.NewMigratedPool(t)
	tg := targets.Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}
	s := &Snapshotter{}
	base := snap(t, s, pool, tg)
	if !base.Baseline || base.Fingerprints != 0 {
		t.Fatalf("first snapshot must be the baseline: %+v", base)
	}

	prepared := connect(t, dsn, pgx.QueryExecModeCacheStatement)
	simple := connect(t, dsn, pgx.QueryExecModeSimpleProtocol)
	cases := []struct {
		name  string
		conn  *pgx.Conn
		calls int
		rows  int64
		stmt  string
		args  []any
	}{
		{"prepared", prepared, 7, 7, "SELECT id, name FROM items WHERE id = $1", []any{42}},
		{"prepared IN list", prepared, 3, 9, "SELECT name FROM items WHERE id IN ($1, $2, $3) ORDER BY id", []any{1, 2, 3}},
		{"simple protocol", simple, 5, 5, "SELECT name, price FROM items WHERE id = $1 AND name LIKE $2", []any{7, "item%"}},
		{"literals in the text", simple, 4, 4, "SELECT count(*) FROM items WHERE price > 10 AND name <> 'x'", nil},
	}
	for _, c := range cases {
		run(t, c.conn, c.calls, c.stmt, c.args...)
	}
	res := snap(t, &Snapshotter{}, pool, tg) // a new leader: continues from the stored snapshot
	if res.Baseline || res.Fingerprints < len(cases) {
		t.Fatalf("second snapshot: %+v", res)
	}
	for _, c := range cases {
		fp := fingerprint(c.stmt)
		h, ok := serverStats(t, pool, "acme", "shop", fp)
		if !ok {
			var texts []string
			rows, _ := pool.Query(tctx(t), "SELECT normalized_text FROM perf_server_statements")
			texts, _ = pgx.CollectRows(rows, pgx.RowTo[string])
			t.Fatalf("%s: no server statistics under the client fingerprint %016x of %q (normalized %q); server texts: %q",
				c.name, fp, c.stmt, norm.Normalize(c.stmt).Normalized, texts)
		}
		if h.calls != int64(c.calls) || h.rows != c.rows {
			t.Errorf("%s: calls %d rows %d, want %d and %d", c.name, h.calls, h.rows, c.calls, c.rows)
		}
		if h.totalMs <= 0 || h.hit+h.read == 0 || h.wal == nil {
			t.Errorf("%s: time %g ms, blocks %d+%d, wal %v", c.name, h.totalMs, h.hit, h.read, h.wal)
		}
		var text string
		if err := pool.QueryRow(tctx(t), "SELECT normalized_text FROM perf_server_statements WHERE fingerprint = $1", int64(fp)).Scan(&text); err != nil {
			t.Errorf("%s: normalized text not stored: %v", c.name, err)
		} else if text != norm.Normalize(c.stmt).Normalized || strings.ContainsAny(text, "$") || strings.Contains(text, "10") {
			t.Errorf("%s: stored text %q", c.name, text)
		}
	}
	// a third snapshot without traffic adds nothing
	snap(t, s, pool, tg)
	if h, _ := serverStats(t, pool, "acme", "shop", fingerprint(cases[0].stmt)); h.calls != int64(cases[0].calls) {
		t.Errorf("an idle interval changed the calls to %d", h.calls)
	}
}

// pg_stat_statements_reset() of everything, of one entry (as an eviction does to it), and a
// real eviction under pg_stat_statements.max: no negative delta, and what ran after counts.
func TestSnapshotResetAndEviction(t *testing.T) {
	c, dsn := appCluster(t, map[string]string{"pg_stat_statements.max": "100"})
	pool, _ := perfdbtest.NewMigratedPool(t)
	tg := targets.Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}
	s := &Snapshotter{}
	app := connect(t, dsn, pgx.QueryExecModeCacheStatement)
	const stmt = "SELECT name FROM items WHERE id = $1"
	fp := fingerprint(stmt)
	snap(t, s, pool, tg)
	run(t, app, 6, stmt, 1)
	snap(t, s, pool, tg)

	// everything reset, then fewer calls than before: counted as what ran since the reset
	c.Exec(t, "shop", "SELECT pg_stat_statements_reset()")
	run(t, app, 2, stmt, 1)
	res := snap(t, s, pool, tg)
	if !res.StatsReset {
		t.Errorf("the reset was not seen: %+v", res)
	}
	if h, _ := serverStats(t, pool, "acme", "shop", fp); h.calls != 8 {
		t.Errorf("after a reset: calls %d, want 6 + 2", h.calls)
	}

	// one entry reset: its counters go down, the new entry's counters are the delta
	run(t, app, 5, stmt, 1)
	snap(t, s, pool, tg) // 7 in the entry, +5
	c.Exec(t, "shop", "SELECT pg_stat_statements_reset(0, 0, queryid) FROM pg_stat_statements WHERE query = $1", stmt)
	run(t, app, 1, stmt, 1)
	res = snap(t, s, pool, tg)
	if res.StatsReset || res.Deltas.New+res.Deltas.Recreated == 0 {
		t.Errorf("entry reset: %+v", res)
	}
	if h, _ := serverStats(t, pool, "acme", "shop", fp); h.calls != 14 {
		t.Errorf("after an entry reset: calls %d, want 6 + 2 + 5 + 1", h.calls)
	}

	// a real eviction: 300 other statements in a table of 100 entries
	for i := range 150 {
		run(t, app, 1, fmt.Sprintf("SELECT id FROM items WHERE id = $1 AND %s", strings.Repeat("price >= $2 AND ", i+1)+"true"), 1, 0)
		run(t, app, 1, fmt.Sprintf("SELECT id, %s FROM items WHERE id = $1", strings.Repeat("name, ", i+1)+"price"), 1)
	}
	run(t, app, 1, stmt, 1)
	res = snap(t, s, pool, tg)
	var dealloc int64
	if err := pool.QueryRow(tctx(t), "SELECT dealloc FROM perf_monitored_databases").Scan(&dealloc); err != nil || dealloc == 0 {
		t.Errorf("no eviction happened (dealloc %d, %v)", dealloc, err)
	}
	if h, _ := serverStats(t, pool, "acme", "shop", fp); h.calls < 14 {
		t.Errorf("calls went down to %d", h.calls)
	}
	var negative int
	if err := pool.QueryRow(tctx(t), `SELECT count(*) FROM perf_query_server_hourly WHERE calls < 0 OR total_exec_ms < 0 OR rows < 0
		OR shared_blks_hit < 0 OR shared_blks_read < 0 OR shared_blks_dirtied < 0 OR shared_blks_written < 0
		OR temp_blks_read < 0 OR temp_blks_written < 0 OR wal_bytes < 0`).Scan(&negative); err != nil || negative != 0 {
		t.Errorf("%d negative hourly rows (%v)", negative, err)
	}
	t.Logf("after eviction: %+v", res)
}

// A target that is down, one without the extension, and the statistics of another database of
// the same server (another tenant's): reported, never fatal, never mixed.
func TestSnapshotStatusAndIsolation(t *testing.T) {
	c, dsn := appCluster(t, nil)
	pool, _ := perfdbtest.NewMigratedPool(t)
	other := c.CreateDatabase(t, "crm") // no CREATE EXTENSION
	s := &Snapshotter{}
	shop := targets.Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}
	crm := targets.Target{DBNamespace: "crm", Tenant: "globex", DSN: configopaque.String(other)}
	down := targets.Target{DBNamespace: "billing", Tenant: "acme", DSN: "postgres://postgres@127.0.0.1:1/billing?sslmode=disable",
		ConnectTimeout: 2 * time.Second}

	res, err := s.Snapshot(tctx(t), pool, down, time.Now())
	if err != nil || res.Err == nil || res.Reachable || res.Status != "PostgreSQL is unreachable" {
		t.Fatalf("down target: %+v, %v", res, err)
	}
	res, err = s.Snapshot(tctx(t), pool, crm, time.Now())
	if err != nil || !res.Reachable || res.Caps.PgStatStatements || !strings.Contains(res.Status, "CREATE EXTENSION pg_stat_statements") {
		t.Fatalf("target without the extension: %+v, %v", res, err)
	}
	snap(t, s, pool, shop)
	// globex's application runs a statement in crm; acme's in shop
	crmConn := connect(t, other, pgx.QueryExecModeCacheStatement)
	run(t, crmConn, 3, "SELECT datname FROM pg_database WHERE oid = $1", 1)
	shopConn := connect(t, dsn, pgx.QueryExecModeCacheStatement)
	run(t, shopConn, 2, "SELECT 1 FROM items WHERE id = $1", 5)
	snap(t, s, pool, shop)
	if h, ok := serverStats(t, pool, "acme", "shop", fingerprint("SELECT datname FROM pg_database WHERE oid = $1")); ok {
		t.Errorf("another database's statement was stored under acme's shop: %+v", h)
	}
	if h, _ := serverStats(t, pool, "acme", "shop", fingerprint("SELECT 1 FROM items WHERE id = $1")); h.calls != 2 {
		t.Errorf("shop's statement: %+v", h)
	}

	type status struct {
		tenant, ns                string
		reachable, pgss, ae, hypo bool
		err                       *string
		snapAt                    *time.Time
	}
	rows, err := pool.Query(tctx(t), `SELECT t.name, db_namespace, reachable, has_pg_stat_statements, has_auto_explain, has_hypopg, error, last_snapshot_at
		FROM perf_monitored_databases JOIN perf_tenants t USING (tenant_id) ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]status{}
	for rows.Next() {
		var st status
		if err := rows.Scan(&st.tenant, &st.ns, &st.reachable, &st.pgss, &st.ae, &st.hypo, &st.err, &st.snapAt); err != nil {
			t.Fatal(err)
		}
		got[st.tenant+"/"+st.ns] = st
	}
	if st := got["acme/billing"]; st.reachable || st.err == nil || st.snapAt != nil {
		t.Errorf("billing: %+v", st)
	}
	if st := got["globex/crm"]; !st.reachable || st.pgss || st.err == nil || st.snapAt != nil {
		t.Errorf("crm: %+v", st)
	}
	if st := got["acme/shop"]; !st.reachable || !st.pgss || st.ae || st.err != nil || st.snapAt == nil {
		t.Errorf("shop: %+v", st)
	}
	for k, st := range got {
		if st.err != nil && (strings.Contains(*st.err, "127.0.0.1") || strings.Contains(*st.err, "postgres@")) {
			t.Errorf("%s: the error names the server: %q", k, *st.err)
		}
	}
	// billing removed from the configuration: forgotten
	if err := Forget(tctx(t), pool, []targets.Target{shop, crm}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(tctx(t), "SELECT count(*) FROM perf_monitored_databases WHERE db_namespace = 'billing'").Scan(&n); err != nil || n != 0 {
		t.Errorf("removed target still listed: %d %v", n, err)
	}
	if err := pool.QueryRow(tctx(t), "SELECT count(*) FROM perf_pgss_snapshot WHERE db_namespace = 'shop'").Scan(&n); err != nil || n == 0 {
		t.Errorf("kept target's snapshot lost: %d %v", n, err)
	}
}
