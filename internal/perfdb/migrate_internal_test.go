package perfdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Every migration's Down undoes its Up: all the way down and up again on a new database, and
// the schema then works (a partition is created). perfdbtest cannot be used here (it imports
// this package), so the database is made by hand, as perfdbtest does.
func TestMigrationsDownAndUpAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin := os.Getenv("PERF_TEST_PG_DSN")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	name := "perf_test_migrations_" + hex.EncodeToString(suffix[:])
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()
	if err := EnsureDatabase(ctx, dsn); err != nil {
		t.Fatalf("%v (is PostgreSQL running? make test starts it)", err)
	}
	t.Cleanup(func() {
		if conn, err := pgx.Connect(context.Background(), admin); err == nil {
			_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			_ = conn.Close(context.Background())
		}
	})
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	p, err := newProvider(db)
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
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1`, versionTable).Scan(&tables); err != nil {
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
