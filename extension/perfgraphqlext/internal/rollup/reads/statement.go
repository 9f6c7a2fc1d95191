package reads

// The server side of a statement: pg_stat_statements of the monitored databases and the
// plans (perf_query_plans: redacted generic and actual plans), their changes and whether a
// generic plan could be made, per monitored database.

import (
	"context"
	_ "embed"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

var (
	//go:embed server_stats.sql
	serverStatsSQL string
	//go:embed query_plans.sql
	queryPlansSQL string
	//go:embed query_plan_changes.sql
	queryPlanChangesSQL string
	//go:embed generic_plan_status.sql
	genericPlanStatusSQL string
)

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
