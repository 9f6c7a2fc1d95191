package perfdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Every migration's Down undoes its Up: all the way down and up again on a new database, and
// the schema then works (a partition is created).
func TestMigrationsDownAndUpAgain(t *testing.T) {
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
	up, err := p.Up(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1`, perfdb.VersionTable).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after migrating down to 0", tables)
	}
	again, err := p.Up(ctx)
	if err != nil {
		t.Fatalf("up again: %v", err)
	}
	if len(again) != len(up) {
		t.Errorf("%d migrations applied the second time, %d the first", len(again), len(up))
	}
	if _, err := db.ExecContext(ctx, "SELECT perf_create_partitions(current_date, current_date)"); err != nil {
		t.Error(err)
	}
}
