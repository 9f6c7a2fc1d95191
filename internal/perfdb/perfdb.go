// Package perfdb provisions the performance database that the perfpg exporter writes and
// the perfgraphql extension reads: it creates the database when it is missing, applies the
// embedded migrations and then the embedded functions under an advisory lock, and wraps the
// partition maintenance functions.
package perfdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/otelcol-perf/otelcol-perf/migrations"
)

// DefaultDSN is used when neither the configuration nor PERF_PG_DSN names a database.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/perf?sslmode=disable"

const (
	versionTable    = "perf_schema_version"
	migrationLockID = 0x6f74_6c70_6572_6601 // "otlperf\x01": distinct from goose's default lock id
)

// maintenanceDB is the database connected to when the target database must be created.
const maintenanceDB = "postgres"

// Open makes sure the database named in dsn exists and carries the current schema, then
// returns a connection pool to it.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	if err := EnsureDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	if err := Migrate(ctx, dsn); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("perfdb: connect: %w", err)
	}
	return pool, nil
}

// EnsureDatabase creates the database named in dsn when it does not exist. Several
// processes may race to create it; losing that race is not an error.
func EnsureDatabase(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("perfdb: invalid dsn: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return conn.Close(ctx)
	}
	if !isSQLState(err, "3D000") { // invalid_catalog_name: the database does not exist
		return fmt.Errorf("perfdb: connect to %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	target := cfg.Database
	cfg.Database = maintenanceDB
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("perfdb: database %q does not exist and connecting to %q to create it failed: %w", target, maintenanceDB, err)
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{target}.Sanitize())
	if err != nil && !isSQLState(err, "42P04") && !isSQLState(err, "23505") { // duplicate_database, or a racing creator's catalog row
		return fmt.Errorf("perfdb: create database %q: %w", target, err)
	}
	return nil
}

// Migrate applies every pending embedded migration, then the embedded functions
// (applyFunctions). A PostgreSQL advisory lock (goose's session locker, then the same lock
// id for the functions' transaction) makes concurrent callers apply each migration exactly
// once. A database made by the pre-release migrations is refused (refusePreRelease).
func Migrate(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("perfdb: invalid dsn: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return migrateDB(ctx, db)
}

func migrateDB(ctx context.Context, db *sql.DB) error {
	provider, err := newProvider(db)
	if err != nil {
		return err
	}
	if err := refusePreRelease(ctx, db, provider); err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("perfdb: apply migrations: %w", err)
	}
	return applyFunctions(ctx, db, migrations.Functions)
}

// refusePreRelease fails when the version table records a migration that is not one of
// the embedded ones: the database was made by the pre-release migrations 1..11, which the
// baseline replaced. goose would skip the baseline on it (its version is lower than the
// database's) or apply it over existing tables.
func refusePreRelease(ctx context.Context, db *sql.DB, provider *goose.Provider) error {
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", versionTable).Scan(&exists); err != nil {
		return fmt.Errorf("perfdb: read the schema version: %w", err)
	}
	if !exists {
		return nil
	}
	known := []int64{0}
	for _, src := range provider.ListSources() {
		known = append(known, src.Version)
	}
	var database string
	var unknown sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT current_database(), (SELECT max(version_id) FROM `+versionTable+`
		WHERE is_applied AND version_id <> ALL ($1))`, known).Scan(&database, &unknown)
	if err != nil {
		return fmt.Errorf("perfdb: read the schema version: %w", err)
	}
	if unknown.Valid {
		return fmt.Errorf("perfdb: database %s was created by a pre-release schema (goose version %d); "+
			"drop it or point the collector at a new database: the unreleased migrations were squashed into a baseline (see CHANGELOG.md)",
			database, unknown.Int64)
	}
	return nil
}

func newProvider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(migrationLockID),
		lock.WithLockTimeout(1, 300), // poll every second for up to 5 minutes
	)
	if err != nil {
		return nil, fmt.Errorf("perfdb: migration lock: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithSessionLocker(locker),
		// our own version table: the database may also hold an application's goose history
		goose.WithTableName(versionTable))
	if err != nil {
		return nil, fmt.Errorf("perfdb: load migrations: %w", err)
	}
	return provider, nil
}

// CreatePartitions creates the daily partitions of every log table for the UTC days
// from..to (inclusive) that do not exist yet, and returns how many it created.
func CreatePartitions(ctx context.Context, db Querier, from, to time.Time) (int, error) {
	var created int
	err := db.QueryRow(ctx, "SELECT perf_create_partitions($1::date, $2::date)",
		utcDay(from), utcDay(to)).Scan(&created)
	if err != nil {
		return 0, fmt.Errorf("perfdb: create partitions %s..%s: %w", utcDay(from), utcDay(to), err)
	}
	return created, nil
}

// DropExpiredPartitions drops the daily partitions of table whose whole day lies before
// now-retention, and returns their names.
func DropExpiredPartitions(ctx context.Context, db Querier, table string, retention time.Duration, now time.Time) ([]string, error) {
	rows, err := db.Query(ctx, "SELECT perf_drop_expired_partitions($1, $2, $3)",
		table, retention, now)
	if err != nil {
		return nil, fmt.Errorf("perfdb: drop expired partitions of %s: %w", table, err)
	}
	dropped, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("perfdb: drop expired partitions of %s: %w", table, err)
	}
	return dropped, nil
}

// DB is a connection that runs statements and opens transactions: a *pgx.Conn or a
// *pgxpool.Pool. The packages that take one say which role it must have.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Querier is what the partition helpers need: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func utcDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func isSQLState(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// ValidateDSN is the configuration check both components apply to their dsn: present and
// parseable by pgx, so a typo is reported at start rather than at the first connection.
func ValidateDSN(dsn string) error {
	if dsn == "" {
		return errors.New("dsn must not be empty")
	}
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return fmt.Errorf("dsn is not a valid PostgreSQL connection string: %w", err)
	}
	return nil
}
