// Package perfdbtest gives each test a PostgreSQL database of its own, created for the
// test and dropped after it, so tests run in parallel and twice in a row. The server is
// the one at PERF_TEST_PG_DSN (default: the local PostgreSQL, user postgres); make test
// starts it when it is installed but stopped. A missing server fails the test: these
// tests exist to run against real SQL. PERF_TEST_KEEP_DB=1 keeps the databases (their names
// are logged), to look into a benchmark's data set afterwards.
package perfdbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

const defaultAdminDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminDSN is the DSN of the server's maintenance database that test databases are made from.
func AdminDSN() string {
	if dsn := os.Getenv("PERF_TEST_PG_DSN"); dsn != "" {
		return dsn
	}
	return defaultAdminDSN
}

// NewDatabaseName returns a DSN for a database that does not exist yet (tests of database
// provisioning create it themselves); the database is dropped after the test if it exists.
func NewDatabaseName(tb testing.TB) string {
	tb.Helper()
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	name := "perf_test_" + strings.ToLower(sanitize(tb.Name())) + "_" + hex.EncodeToString(suffix[:])
	if len(name) > 63 {
		name = "perf_test_" + hex.EncodeToString(suffix[:]) + "_" + strings.ToLower(sanitize(tb.Name()))[:30]
	}
	if os.Getenv("PERF_TEST_KEEP_DB") != "" {
		// to look into a benchmark's data set with psql afterwards
		tb.Logf("perfdbtest: keeping database %s (PERF_TEST_KEEP_DB)", name)
	} else {
		tb.Cleanup(func() { dropDatabase(tb, name) })
	}
	return withDatabase(tb, AdminDSN(), name)
}

// NewDatabase creates an empty database for the test and returns its DSN.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	dsn := NewDatabaseName(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := perfdb.EnsureDatabase(ctx, dsn); err != nil {
		tb.Fatalf("perfdbtest: %v (is PostgreSQL running? make test starts it)", err)
	}
	return dsn
}

// NewMigratedPool creates a database with the current schema and returns a pool to it;
// the pool is closed when the test ends.
func NewMigratedPool(tb testing.TB) (*pgxpool.Pool, string) {
	tb.Helper()
	dsn := NewDatabaseName(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pool, err := perfdb.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("perfdbtest: %v (is PostgreSQL running? make test starts it)", err)
	}
	tb.Cleanup(pool.Close)
	return pool, dsn
}

func dropDatabase(tb testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		tb.Logf("perfdbtest: drop %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		tb.Logf("perfdbtest: drop %s: %v", name, err)
	}
}

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	if len(b) > 30 {
		b = b[:30]
	}
	return string(b)
}

// withDatabase returns the URL-style DSN with its database replaced.
func withDatabase(tb testing.TB, dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		tb.Fatalf("perfdbtest: PERF_TEST_PG_DSN must be a postgres:// URL, got %q", dsn)
	}
	u.Path = "/" + name
	return u.String()
}

// Exec runs sql on pool and fails the test on error.
func Exec(tb testing.TB, pool *pgxpool.Pool, sql string, args ...any) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := pool.Exec(ctx, sql, args...); err != nil {
		tb.Fatalf("%v\n%s", err, sql)
	}
}

// Scalar runs sql on pool and returns its single value, failing the test on error.
func Scalar[T any](tb testing.TB, pool *pgxpool.Pool, sql string, args ...any) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var v T
	if err := pool.QueryRow(ctx, sql, args...).Scan(&v); err != nil {
		tb.Fatalf("%v\n%s", err, sql)
	}
	return v
}
