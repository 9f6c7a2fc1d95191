package reads

// One statement shape over a window: its texts, its totals and the endpoints that ran it.

import (
	"context"
	_ "embed"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

var (
	//go:embed detail_statement.sql
	detailStatementSQL string
	//go:embed detail_totals.sql
	detailTotalsSQL string
	//go:embed detail_endpoints.sql
	detailEndpointsSQL string
)

// Statement is the stored texts of a fingerprint and when it was first and last seen.
type Statement struct {
	Summary, Operation, Collection, DbSystem, Normalized string
	FirstSeen, LastSeen                                  time.Time
}

// StatementOf reads fingerprint fp of the tenant (nil when unknown).
func StatementOf(ctx context.Context, tx pgx.Tx, tid int32, fp int64) (*Statement, error) {
	var s Statement
	err := tx.QueryRow(ctx, detailStatementSQL, tid, fp).
		Scan(&s.Summary, &s.Operation, &s.Collection, &s.DbSystem, &s.Normalized, &s.FirstSeen, &s.LastSeen)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// StatementTotals is a fingerprint's rows of a window summed: calls, errors, total and max
// execution (µs), rows returned (sum and count) and the p50/p95/p99 (µs; none without a sample).
type StatementTotals struct {
	Calls, Errors, SumUs, MaxUs, RowsSum, RowsN int64
	Q                                           []*float64
}

// StatementTotalsOf reads the totals of fingerprint fp over w (of service svc; nil: all).
func StatementTotalsOf(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64, svc *int32) (StatementTotals, error) {
	var t StatementTotals
	err := tx.QueryRow(ctx, detailTotalsSQL, tid, w.From, w.To, fp, svc).Scan(&t.Calls, &t.Errors, &t.SumUs, &t.MaxUs, &t.RowsSum, &t.RowsN, &t.Q)
	return t, err
}

// StatementEndpoint is an endpoint (Route "" when the calls had none) of a service that ran
// a fingerprint: its calls and their total time (µs).
type StatementEndpoint struct {
	Method, Route, Service string
	Calls, SumUs           int64
}

// StatementEndpoints reads the endpoints that ran fingerprint fp over w, at most limit.
func StatementEndpoints(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64, svc *int32, limit int) ([]StatementEndpoint, error) {
	rows, err := tx.Query(ctx, detailEndpointsSQL, tid, w.From, w.To, fp, svc, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (StatementEndpoint, error) {
		var e StatementEndpoint
		err := row.Scan(&e.Method, &e.Route, &e.Service, &e.Calls, &e.SumUs)
		return e, err
	})
}
