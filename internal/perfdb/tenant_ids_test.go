package perfdb_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Migration 11 makes every tenant id integer — columns, the identity sequence,
// perf_current_tenant() and the functions taking a tenant — and keeps the row-level
// security policies; its Down restores smallint, and Up again integer.
func TestTenantIDsAreInteger(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := pgx.ParseConfig(perfdbtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	p, err := perfdb.NewProvider(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var policies int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_policies WHERE policyname = 'perf_tenant_isolation'`).Scan(&policies); err != nil || policies == 0 {
		t.Fatalf("%d policies (%v)", policies, err)
	}
	checkTenantIDType(ctx, t, db, "integer", policies)
	if _, err := p.DownTo(ctx, 10); err != nil {
		t.Fatalf("down to 10: %v", err)
	}
	checkTenantIDType(ctx, t, db, "smallint", policies)
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	checkTenantIDType(ctx, t, db, "integer", policies)
	if _, err := db.ExecContext(ctx, `INSERT INTO perf_tenants (tenant_id, name) VALUES (40000, 'big');
		SELECT refresh_performance_metrics_incremental('big'), perf_summary_range(40000, now() - interval '1 hour', now()),
		       get_performance_summary('big', 1), perf_drop_expired_rollups('2160 hours', '9600 hours', now())`); err != nil {
		t.Fatalf("a tenant id past 32767: %v", err)
	}
}

func checkTenantIDType(ctx context.Context, t *testing.T, db *sql.DB, want string, policies int) {
	t.Helper()
	var columnTypes, sequence, current, argTypes string
	var n int
	err := db.QueryRowContext(ctx, `
		SELECT (SELECT string_agg(DISTINCT format_type(atttypid, NULL), ',') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		         WHERE a.attname = 'tenant_id' AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')),
		       (SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'perf_tenants_tenant_id_seq'::regclass),
		       pg_get_function_result('perf_current_tenant'::regproc),
		       (SELECT string_agg(DISTINCT split_part(pg_get_function_arguments(oid), ',', 1), ',') FROM pg_proc
		         WHERE pronamespace = current_schema()::regnamespace AND pg_get_function_arguments(oid) LIKE 'p_tenant %' AND pg_get_function_arguments(oid) NOT LIKE 'p_tenant text%'),
		       (SELECT count(*) FROM pg_policies WHERE policyname = 'perf_tenant_isolation')`).
		Scan(&columnTypes, &sequence, &current, &argTypes, &n)
	if err != nil {
		t.Fatal(err)
	}
	if columnTypes != want || sequence != want || current != want || argTypes != "p_tenant "+want || n != policies {
		t.Fatalf("tenant_id columns %q, sequence %q, perf_current_tenant %q, functions' p_tenant %q, %d policies; want %s and %d policies",
			columnTypes, sequence, current, argTypes, n, want, policies)
	}
}
