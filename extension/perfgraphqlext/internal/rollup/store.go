package rollup

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// readerRole is the PostgreSQL role every GraphQL request runs as (migrations/00100_baseline.sql); row-level
// security on every table it can read limits it to the tenant in perf.tenant_id.
const readerRole = "perf_reader"

// Store runs tenant-scoped read transactions.
type Store struct {
	Pool *pgxpool.Pool // the primary; set before the first Read
	// Replica, when set, answers the reads while it is usable (replica.go); the primary
	// answers them when it is not. Set before the first Read.
	Replica *Replica
	Timeout time.Duration // statement_timeout of a read (0: none)
	ids     sync.Map      // tenant name -> int32 (ids never change once assigned)
}

// noTenant is the id used for a tenant that has no rows yet: no row carries it.
const noTenant int32 = -1

func (s *Store) tenantID(ctx context.Context, tx pgx.Tx, name string) (int32, error) {
	if v, ok := s.ids.Load(name); ok {
		return v.(int32), nil
	}
	var id int32
	err := tx.QueryRow(ctx, sqlTenantID, name).Scan(&id)
	if err == pgx.ErrNoRows {
		return noTenant, nil
	}
	if err != nil {
		return 0, err
	}
	s.ids.Store(name, id)
	return id, nil
}

// Read runs fn in a read-only transaction as perf_reader with perf.tenant_id set, so both
// the SQL (every query filters on the tenant id it is given) and row-level security keep
// the request inside its tenant. It runs on the replica while that is usable, else on the
// primary; a read the replica cannot start, or that recovery cancels (a replay conflict,
// SQLSTATE 40001), runs again on the primary. Where it ran is recorded in the context's
// Staleness (WithStaleness).
func (s *Store) Read(ctx context.Context, tenant string, fn func(tx pgx.Tx, tid int32) error) error {
	if s.Replica == nil {
		err := s.read(ctx, s.Pool, tenant, fn)
		noteRead(ctx, FromPrimary, 0, false, "")
		return err
	}
	st := s.Replica.State(ctx)
	fallback := st.Reason
	if st.Usable {
		err := s.read(ctx, s.Replica.Pool, tenant, fn)
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			noteRead(ctx, FromReplica, st.ReplayLagSeconds, true, "")
			return nil
		case ctx.Err() != nil:
			return err
		case errors.As(err, &beginError{}):
			s.Replica.Down(err)
			fallback = s.Replica.State(ctx).Reason
		case errors.As(err, &pgErr) && pgErr.Code == "40001":
			fallback = "a read on the replica was cancelled by recovery (replay conflict)"
		default:
			noteRead(ctx, FromReplica, st.ReplayLagSeconds, true, "")
			return err
		}
	}
	err := s.read(ctx, s.Pool, tenant, fn)
	noteRead(ctx, FromPrimary, 0, true, fallback)
	return err
}

// beginError: the transaction could not start (no connection to the server).
type beginError struct{ err error }

func (e beginError) Error() string { return e.err.Error() }
func (e beginError) Unwrap() error { return e.err }

func (s *Store) read(ctx context.Context, pool *pgxpool.Pool, tenant string, fn func(tx pgx.Tx, tid int32) error) error {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return beginError{err}
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tid, err := s.tenantID(ctx, tx, tenant)
	if err != nil {
		return err
	}
	timeout := "0"
	if s.Timeout > 0 {
		timeout = strconv.FormatInt(s.Timeout.Milliseconds(), 10)
	}
	// The reads are short index range scans (rollup_read.go): no JIT, no parallel workers
	// (starting them costs more than the scan), and plans made for the actual window
	// (a generic plan of the cached statements cannot tell one hour from thirty days).
	if _, err := tx.Exec(ctx, "SELECT set_config('role', $1, true), set_config('perf.tenant_id', $2, true), set_config('statement_timeout', $3, true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), set_config('plan_cache_mode', 'force_custom_plan', true)",
		readerRole, strconv.Itoa(int(tid)), timeout); err != nil {
		return fmt.Errorf("switch to %s: %w", readerRole, err)
	}
	if err := fn(tx, tid); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ServiceID resolves a service name inside the tenant (nil when no filter; -1 when unknown,
// which matches no row).
func ServiceID(ctx context.Context, tx pgx.Tx, tid int32, name *string) (*int32, error) {
	if name == nil {
		return nil, nil
	}
	var id int32
	err := tx.QueryRow(ctx, sqlServiceID, tid, *name).Scan(&id)
	if err == pgx.ErrNoRows {
		id = -1
	} else if err != nil {
		return nil, err
	}
	return &id, nil
}
