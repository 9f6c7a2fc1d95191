package reads

// One statement shape: its texts, its totals over a window and the endpoints that ran it,
// and its server side: pg_stat_statements of the monitored databases and the plans
// (perf_query_plans: redacted generic and actual plans), their changes and whether a generic
// plan could be made, per monitored database.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
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

// ServerStats is what one database's server executed for a fingerprint in a range: calls,
// total time (ms), rows, shared and temp blocks, WAL bytes (nil when not reported) and the
// first and last hour it was seen in.
type ServerStats struct {
	DbNamespace                       string
	Calls                             int64
	TotalTimeMs                       float64
	Rows, Hit, Read, Dirtied, Written int64
	TempRead, TempWritten             int64
	WalBytes                          *int64
	FirstHour, LastHour               time.Time
}

// StatementServerStats reads the per-database server statistics of fingerprint fp over w.
func StatementServerStats(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64) ([]ServerStats, error) {
	rows, err := tx.Query(ctx, serverStatsSQL, tid, w.From, w.To, fp)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ServerStats{}
	for rows.Next() {
		var s ServerStats
		if err := rows.Scan(&s.DbNamespace, &s.Calls, &s.TotalTimeMs, &s.Rows, &s.Hit, &s.Read, &s.Dirtied, &s.Written,
			&s.TempRead, &s.TempWritten, &s.WalBytes, &s.FirstHour, &s.LastHour); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Plan is one distinct plan of a statement in one database, from one source (ms totals).
type Plan struct {
	DbNamespace, Source               string
	Hash                              int64
	FirstSeen, LastSeen               time.Time
	TimesSeen                         int64
	TopNode                           string
	TotalCost                         *float64
	ExecTotalMs, ExecMinMs, ExecMaxMs *float64
	Text, JSON                        string
	Current                           bool
}

// PlanChange is a statement's plan changing shape.
type PlanChange struct {
	DbNamespace, Source string
	ChangedAt           time.Time
	OldHash, NewHash    int64
}

// GenericPlan says whether a generic plan of the statement could be made on a database
// (Hash nil when none was).
type GenericPlan struct {
	DbNamespace, Status, Message string
	Hash                         *int64
	CheckedAt                    time.Time
}

// Plans reads the plans and plan changes (at most limit each) of fingerprint fp over w, and
// its generic plan statuses.
func Plans(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64, limit int32) ([]Plan, []PlanChange, []GenericPlan, error) {
	plans, changes, generic := []Plan{}, []PlanChange{}, []GenericPlan{}
	rows, err := tx.Query(ctx, queryPlansSQL, tid, w.From, w.To, fp, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	for rows.Next() {
		var p Plan
		if err := rows.Scan(&p.DbNamespace, &p.Source, &p.Hash, &p.FirstSeen, &p.LastSeen, &p.TimesSeen, &p.TopNode, &p.TotalCost,
			&p.ExecTotalMs, &p.ExecMinMs, &p.ExecMaxMs, &p.Text, &p.JSON, &p.Current); err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	rows, err = tx.Query(ctx, queryPlanChangesSQL, tid, w.From, w.To, fp, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	for rows.Next() {
		var c PlanChange
		if err := rows.Scan(&c.DbNamespace, &c.Source, &c.ChangedAt, &c.OldHash, &c.NewHash); err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	rows, err = tx.Query(ctx, genericPlanStatusSQL, tid, fp)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g GenericPlan
		if err := rows.Scan(&g.DbNamespace, &g.Status, &g.Message, &g.Hash, &g.CheckedAt); err != nil {
			return nil, nil, nil, err
		}
		generic = append(generic, g)
	}
	return plans, changes, generic, rows.Err()
}
