package perfdb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func TestEnsureDatabaseCreatesOnceUnderRace(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = perfdb.EnsureDatabase(ctx, dsn) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("creator %d: %v", i, err)
		}
	}
	if err := perfdb.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatalf("second call on an existing database: %v", err)
	}
}

func TestEnsureDatabaseReportsUnreachableServer(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := perfdb.EnsureDatabase(ctx, "postgres://postgres@127.0.0.1:1/perf?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("expected an error for a port nothing listens on")
	}
}

// Parallel starters on a fresh database: every one succeeds and each migration is
// recorded exactly once.
func TestMigrateConcurrentStartersApplyOnce(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const starters = 6
	var wg sync.WaitGroup
	errs := make([]error, starters)
	start := make(chan struct{})
	for i := range starters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			pool, err := perfdb.Open(ctx, dsn)
			if err == nil {
				pool.Close()
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("starter %d: %v", i, err)
		}
	}

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT version_id, count(*) FROM perf_schema_version
		WHERE version_id > 0 GROUP BY version_id ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	type applied struct{ Version, Count int64 }
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[applied])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no migration recorded")
	}
	for _, a := range got {
		if a.Count != 1 {
			t.Errorf("migration %d recorded %d times", a.Version, a.Count)
		}
	}
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname IN
		('query_performance_log','api_performance_log','system_resource_metrics','performance_metrics_cache')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 4 {
		t.Fatalf("want the 4 tables of the original specification, found %d", tables)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func partitions(t *testing.T, pool *pgxpool.Pool, table string) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass`, table)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var name, bound string
		if err := rows.Scan(&name, &bound); err != nil {
			t.Fatal(err)
		}
		out[name] = bound
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCreatePartitionsBoundsAndIdempotence(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()

	created, err := perfdb.CreatePartitions(ctx, pool, day("2026-01-30"), day("2026-02-01"))
	if err != nil {
		t.Fatal(err)
	}
	if created != 3*4 {
		t.Fatalf("created %d partitions, want 3 days x 4 tables", created)
	}
	again, err := perfdb.CreatePartitions(ctx, pool, day("2026-01-30"), day("2026-02-01"))
	if err != nil || again != 0 {
		t.Fatalf("second call: created %d, err %v; want 0, nil", again, err)
	}

	parts := partitions(t, pool, "query_performance_log")
	if len(parts) != 3 {
		t.Fatalf("query_performance_log partitions: %v", parts)
	}
	want := "FOR VALUES FROM ('2026-01-31 00:00:00+00') TO ('2026-02-01 00:00:00+00')"
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	// pg_get_expr renders bounds in the session time zone: pin it to UTC for the check
	if _, err := conn.Exec(ctx, "SET TIME ZONE 'UTC'"); err != nil {
		t.Fatal(err)
	}
	var bound string
	if err := conn.QueryRow(ctx, `SELECT pg_get_expr(relpartbound, oid) FROM pg_class
		WHERE relname = 'query_performance_log_p20260131'`).Scan(&bound); err != nil {
		t.Fatal(err)
	}
	if bound != want {
		t.Fatalf("bound of 2026-01-31: %s, want %s", bound, want)
	}

	// rows at the last microsecond of a day and the first of the next land on either side
	for _, tc := range []struct{ ts, partition string }{
		{"2026-01-31 23:59:59.999999+00", "query_performance_log_p20260131"},
		{"2026-02-01 00:00:00+00", "query_performance_log_p20260201"},
		{"2026-01-31 00:30:00+01", "query_performance_log_p20260130"},
	} {
		var part string
		err := conn.QueryRow(ctx, `INSERT INTO query_performance_log
			(ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id, db_id,
			 duration_us, rows_returned, tenant_id, is_error)
			VALUES ($1::timestamptz, 1, 1, 0, gen_random_uuid(), 1, 0, 1, 10, -1, 1, false)
			RETURNING tableoid::regclass::text`, tc.ts).Scan(&part)
		if err != nil {
			t.Fatalf("insert at %s: %v", tc.ts, err)
		}
		if part != tc.partition {
			t.Errorf("row at %s went to %s, want %s", tc.ts, part, tc.partition)
		}
	}
	// no default partition: a day without a partition is refused, not silently absorbed
	_, err = conn.Exec(ctx, `INSERT INTO query_performance_log
		(ts, fingerprint, span_id, parent_span_id, trace_id, service_id, endpoint_id, db_id,
		 duration_us, rows_returned, tenant_id, is_error)
		VALUES ('2026-03-01 00:00:00+00', 1, 1, 0, gen_random_uuid(), 1, 0, 1, 10, -1, 1, false)`)
	if err == nil {
		t.Fatal("insert outside every partition succeeded: is there a default partition?")
	}
}

func TestCreatePartitionsRejectsBadArguments(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	if _, err := perfdb.CreatePartitions(ctx, pool, day("2026-02-02"), day("2026-02-01")); err == nil {
		t.Error("reversed range accepted")
	}
	if _, err := perfdb.CreatePartitions(ctx, pool, day("2000-01-01"), day("2026-02-01")); err == nil {
		t.Error("a 26-year range accepted")
	}
	if _, err := pool.Exec(ctx, "SELECT perf_create_partitions('2026-01-01', '2026-01-02', 'pg_class')"); err == nil {
		t.Error("an unmanaged table accepted")
	}
	if _, err := perfdb.DropExpiredPartitions(ctx, pool, "query_performance_log", 0, time.Now()); err == nil {
		t.Error("zero retention accepted")
	}
}

func TestCreatePartitionsConcurrentCallers(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 5)
	total := make([]int, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total[i], errs[i] = perfdb.CreatePartitions(ctx, pool, day("2026-05-01"), day("2026-05-07"))
		}()
	}
	wg.Wait()
	sum := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
		sum += total[i]
	}
	if sum != 7*4 {
		t.Fatalf("callers created %d partitions in all, want 28 (each exactly once)", sum)
	}
}

func TestDropExpiredPartitionsOnlyWholeExpiredDays(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	if _, err := perfdb.CreatePartitions(ctx, pool, day("2026-03-01"), day("2026-03-10")); err != nil {
		t.Fatal(err)
	}
	// now - 7 days = 2026-03-03 12:00: days 03-01 and 03-02 lie wholly before it; 03-03 does not
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	dropped, err := perfdb.DropExpiredPartitions(ctx, pool, "api_performance_log", 7*24*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"api_performance_log_p20260301", "api_performance_log_p20260302"}
	if len(dropped) != len(want) || dropped[0] != want[0] || dropped[1] != want[1] {
		t.Fatalf("dropped %v, want %v", dropped, want)
	}
	if n := len(partitions(t, pool, "api_performance_log")); n != 8 {
		t.Fatalf("%d api partitions left, want 8", n)
	}
	if n := len(partitions(t, pool, "query_performance_log")); n != 10 {
		t.Fatalf("another table lost partitions: %d left, want 10", n)
	}
	again, err := perfdb.DropExpiredPartitions(ctx, pool, "api_performance_log", 7*24*time.Hour, now)
	if err != nil || len(again) != 0 {
		t.Fatalf("second drop: %v %v; want nothing", again, err)
	}
	// a table that is not ours is refused
	if _, err := perfdb.DropExpiredPartitions(ctx, pool, "perf_tenants", time.Hour, now); err == nil {
		t.Fatal("dropping partitions of an unmanaged table was accepted")
	}
}
