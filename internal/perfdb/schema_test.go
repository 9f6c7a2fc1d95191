package perfdb_test

import (
	"context"
	"database/sql"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/migrations"
)

// migratedDB creates a database for the test, migrates it as Open does and returns it.
func migratedDB(t *testing.T) (context.Context, *sql.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cfg, err := pgx.ParseConfig(perfdbtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	if err := perfdb.MigrateDB(ctx, db); err != nil {
		t.Fatal(err)
	}
	return ctx, db
}

func scalar[T any](ctx context.Context, t *testing.T, db *sql.DB, query string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRowContext(ctx, query, args...).Scan(&v); err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	return v
}

// The baseline's Down removes everything the project made (tables, functions, triggers,
// policies); Up and the functions again give a working schema.
func TestMigrationsDownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx, db := migratedDB(t)
	p, err := perfdb.NewProvider(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	left := scalar[int](ctx, t, db, `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> $1)
		+ (SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace)
		+ (SELECT count(*) FROM pg_policies WHERE schemaname = current_schema())`, perfdb.VersionTable)
	if left != 0 {
		t.Errorf("%d tables, functions and policies left after migrating down to 0", left)
	}
	if err := perfdb.MigrateDB(ctx, db); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if _, err := db.ExecContext(ctx, "SELECT perf_create_partitions(current_date, current_date)"); err != nil {
		t.Error(err)
	}
}

// Tenant ids are integer everywhere — columns, the identity sequence, perf_current_tenant()
// and the functions taking a tenant — and every tenant table keeps its row-level security.
func TestTenantIDsAreInteger(t *testing.T) {
	t.Parallel()
	ctx, db := migratedDB(t)
	var columnTypes, sequence, current, argTypes string
	var policies, rlsTables, unprotected int
	err := db.QueryRowContext(ctx, `
		SELECT (SELECT string_agg(DISTINCT format_type(atttypid, NULL), ',') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		         WHERE a.attname = 'tenant_id' AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')),
		       (SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'perf_tenants_tenant_id_seq'::regclass),
		       pg_get_function_result('perf_current_tenant'::regproc),
		       (SELECT string_agg(DISTINCT split_part(pg_get_function_arguments(oid), ',', 1), ',') FROM pg_proc
		         WHERE pronamespace = current_schema()::regnamespace AND pg_get_function_arguments(oid) LIKE 'p_tenant %' AND pg_get_function_arguments(oid) NOT LIKE 'p_tenant text%'),
		       (SELECT count(*) FROM pg_policies WHERE policyname = 'perf_tenant_isolation'),
		       (SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relrowsecurity),
		       (SELECT count(*) FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
		           AND NOT c.relispartition AND NOT c.relrowsecurity AND has_table_privilege('perf_reader', c.oid, 'SELECT')
		           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'))`).
		Scan(&columnTypes, &sequence, &current, &argTypes, &policies, &rlsTables, &unprotected)
	if err != nil {
		t.Fatal(err)
	}
	if columnTypes != "integer" || sequence != "integer" || current != "integer" || argTypes != "p_tenant integer" {
		t.Errorf("tenant_id columns %q, sequence %q, perf_current_tenant %q, functions' p_tenant %q; want integer",
			columnTypes, sequence, current, argTypes)
	}
	// the 24 of the baseline and those of later migrations (00102: 2, 00104: 3)
	if policies != rlsTables || rlsTables < 29 || unprotected != 0 {
		t.Errorf("%d tenant isolation policies on %d tables under row-level security (want one each, at least 29); "+
			"%d tables with a tenant_id that perf_reader can read without row-level security", policies, rlsTables, unprotected)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO perf_tenants (tenant_id, name) VALUES (40000, 'big');
		SELECT refresh_performance_metrics_incremental('big'), perf_summary_range(40000, now() - interval '1 hour', now()),
		       get_performance_summary('big', 1), perf_drop_expired_rollups('2160 hours', '9600 hours', now())`); err != nil {
		t.Fatalf("a tenant id past 32767: %v", err)
	}
}

// A database made by the pre-release migrations (versions 1..11) is refused: goose would
// otherwise skip the baseline, or run it over the existing tables.
func TestPreReleaseDatabaseIsRefused(t *testing.T) {
	t.Parallel()
	ctx, db := migratedDB(t)
	if _, err := db.ExecContext(ctx, `DELETE FROM `+perfdb.VersionTable+` WHERE version_id > 0;
		INSERT INTO `+perfdb.VersionTable+` (version_id, is_applied) SELECT v, true FROM generate_series(1, 11) v`); err != nil {
		t.Fatal(err)
	}
	name := scalar[string](ctx, t, db, "SELECT current_database()")
	err := perfdb.MigrateDB(ctx, db)
	want := "database " + name + " was created by a pre-release schema (goose version 11); drop it"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("migrating a pre-release database: %v; want an error with %q", err, want)
	}
}

// The versioned migrations hold no function, trigger, policy or view: those live in
// functions/ only, so that each has one definition.
func TestBaselineHoldsNoFunctions(t *testing.T) {
	t.Parallel()
	defines := regexp.MustCompile(`(?i)\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|AGGREGATE|TRIGGER|VIEW|POLICY)\b`)
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	for _, name := range files {
		b, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if m := defines.Find(b); m != nil {
			t.Errorf("%s defines %q: put it in migrations/functions", name, m)
		}
	}
}

// catalogSnapshot is every routine definition, trigger and policy of the schema.
func catalogSnapshot(ctx context.Context, t *testing.T, db *sql.DB) string {
	t.Helper()
	return scalar[string](ctx, t, db, `SELECT concat_ws(E'\n',
		(SELECT string_agg(CASE WHEN prokind = 'a' THEN oid::regprocedure::text ELSE pg_get_functiondef(oid) END, E'\n' ORDER BY oid::regprocedure::text)
		   FROM pg_proc WHERE pronamespace = current_schema()::regnamespace),
		(SELECT string_agg(pg_get_triggerdef(oid), E'\n' ORDER BY tgname, tgrelid::regclass::text) FROM pg_trigger WHERE NOT tgisinternal),
		(SELECT string_agg(tablename || ' ' || policyname || ' ' || qual, E'\n' ORDER BY tablename) FROM pg_policies))`)
}

// withFile is migrations.Functions with one file added or replaced (text "" removes it).
func withFile(t *testing.T, name, text string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(migrations.Functions, "functions", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.Functions, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(m, name)
	if text != "" {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

func TestFunctionsReapply(t *testing.T) {
	t.Parallel()
	ctx, db := migratedDB(t)
	before := catalogSnapshot(ctx, t, db)

	// forced (the digest forgotten) and unforced reapplies leave the same catalog
	for _, forget := range []bool{true, false, true} {
		if forget {
			if _, err := db.ExecContext(ctx, "DELETE FROM "+perfdb.FunctionsTable); err != nil {
				t.Fatal(err)
			}
		}
		if err := perfdb.ApplyFunctions(ctx, db, migrations.Functions); err != nil {
			t.Fatal(err)
		}
		if after := catalogSnapshot(ctx, t, db); after != before {
			t.Fatalf("reapplying changed the catalog:\n%s\n---\n%s", before, after)
		}
	}

	// a changed body is live after the next apply, a changed signature needs no DROP, and a
	// function removed from the files is gone
	const probe = "functions/99_probe.sql"
	for _, step := range []struct{ text, call, want string }{
		{"CREATE OR REPLACE FUNCTION perf_probe() RETURNS integer LANGUAGE sql AS 'SELECT 1';", "SELECT perf_probe()::text", "1"},
		{"CREATE OR REPLACE FUNCTION perf_probe() RETURNS integer LANGUAGE sql AS 'SELECT 2';", "SELECT perf_probe()::text", "2"},
		{"CREATE OR REPLACE FUNCTION perf_probe(p integer) RETURNS text LANGUAGE sql AS 'SELECT ''v'' || p';", "SELECT perf_probe(3)", "v3"},
		{"", "SELECT count(*)::text FROM pg_proc WHERE proname = 'perf_probe'", "0"},
	} {
		if err := perfdb.ApplyFunctions(ctx, db, withFile(t, probe, step.text)); err != nil {
			t.Fatalf("%s: %v", step.text, err)
		}
		if got := scalar[string](ctx, t, db, step.call); got != step.want {
			t.Errorf("after applying %q: %s = %s, want %s", step.text, step.call, got, step.want)
		}
	}
	if after := catalogSnapshot(ctx, t, db); after != before {
		t.Fatalf("the files back as they were, the catalog differs:\n%s\n---\n%s", before, after)
	}

	// a table that uses a function (here a column default) would lose it: refused
	if _, err := db.ExecContext(ctx, `ALTER TABLE perf_rollup_refresh_log ADD COLUMN probe timestamptz DEFAULT perf_hour(now());
		DELETE FROM `+perfdb.FunctionsTable); err != nil {
		t.Fatal(err)
	}
	err := perfdb.ApplyFunctions(ctx, db, migrations.Functions)
	if err == nil || !strings.Contains(err.Error(), "uses perf_hour(timestamp with time zone)") {
		t.Fatalf("reapply with a column default using perf_hour: %v", err)
	}
	if n := scalar[int](ctx, t, db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'perf_rollup_refresh_log'::regclass AND attname = 'probe'"); n != 1 {
		t.Fatal("the column using the function was dropped")
	}
}

// Every table name Go takes from schema.go names a table the migrations create.
func TestTableConstantsNameTables(t *testing.T) {
	ctx, db := migratedDB(t)
	for _, name := range []string{perfdb.APILogTable, perfdb.QueryLogTable, perfdb.ResourceMetricsTable, perfdb.PoolMetricsTable,
		perfdb.TenantHourlyTable, perfdb.TenantDailyTable, perfdb.EndpointHourlyTable, perfdb.EndpointDailyTable,
		perfdb.QueryHourlyTable, perfdb.QueryDailyTable, perfdb.FunctionsTable} {
		if !scalar[bool](ctx, t, db, "SELECT to_regclass($1) IS NOT NULL", name) {
			t.Errorf("perfdb names %q, which the migrations do not create", name)
		}
	}
}

// The range readers of functions/50_range_readers.sql are created from one template; each
// must stay a plain SQL function that the planner inlines (its tables appear in the plan of
// the calling query, no Function Scan of it), with the three index ranges of its own tables.
func TestRangeReadersInline(t *testing.T) {
	t.Parallel()
	ctx, db := migratedDB(t)
	for fn, tables := range map[string][]string{
		"perf_tenant_range":   {"performance_metrics_daily", "performance_metrics_cache"},
		"perf_endpoint_range": {"perf_endpoint_daily", "perf_endpoint_hourly"},
		"perf_query_range":    {"perf_query_daily", "perf_query_hourly"},
	} {
		lang := scalar[string](ctx, t, db, `SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
			WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace`, fn)
		if lang != "sql" {
			t.Errorf("%s is LANGUAGE %s, want sql", fn, lang)
		}
		plan := scalar[string](ctx, t, db, "EXPLAIN (FORMAT JSON, COSTS OFF) SELECT count(*) FROM "+fn+"(1, now() - interval '3 days', now())")
		if strings.Contains(plan, `"Function Name": "`+fn+`"`) {
			t.Errorf("%s is not inlined:\n%s", fn, plan)
		}
		for _, tab := range tables {
			if !strings.Contains(plan, `"`+tab+`"`) {
				t.Errorf("%s: plan does not read %s:\n%s", fn, tab, plan)
			}
		}
	}
}
