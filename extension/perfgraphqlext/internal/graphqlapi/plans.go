package graphqlapi

// The plans of a statement (perf_query_plans: redacted generic and actual plans), its plan
// changes and whether a generic plan could be made of it, per monitored database.

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// QueryPlan is one distinct plan of a statement in one database, from one source.
type QueryPlan struct {
	DbNamespace string
	Source      string
	PlanHash    string
	Current     bool
	FirstSeen   DateTime
	LastSeen    DateTime
	TimesSeen   float64
	TopNode     string
	TotalCost   *float64
	ExecTotalMs *float64
	ExecMinMs   *float64
	ExecMaxMs   *float64
	ExecMeanMs  *float64
	Text        string
	Json        string
}

// QueryPlanChange is a statement's plan changing shape.
type QueryPlanChange struct {
	DbNamespace string
	Source      string
	ChangedAt   DateTime
	OldPlanHash string
	NewPlanHash string
}

// GenericPlanStatus says whether a generic plan of the statement could be made on a database.
type GenericPlanStatus struct {
	DbNamespace string
	Status      string
	Message     string
	PlanHash    *string
	CheckedAt   DateTime
}

func hashText(h int64) string { return strconv.FormatInt(h, 10) }

// queryPlans fills the plans, plan changes and generic plan statuses of fingerprint fp.
func queryPlans(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, fp int64, limit int32, d *QueryDetail) error {
	d.Plans, d.PlanChanges, d.GenericPlanStatus = []*QueryPlan{}, []*QueryPlanChange{}, []*GenericPlanStatus{}
	rows, err := tx.Query(ctx, queryPlansSQL, tid, w.From, w.To, fp, limit)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p QueryPlan
		var h, seen int64
		var first, last time.Time
		if err := rows.Scan(&p.DbNamespace, &p.Source, &h, &first, &last, &seen, &p.TopNode, &p.TotalCost,
			&p.ExecTotalMs, &p.ExecMinMs, &p.ExecMaxMs, &p.Text, &p.Json, &p.Current); err != nil {
			rows.Close()
			return err
		}
		p.PlanHash, p.FirstSeen, p.LastSeen, p.TimesSeen = hashText(h), DateTime{first}, DateTime{last}, float64(seen)
		if p.ExecTotalMs != nil && seen > 0 {
			m := *p.ExecTotalMs / float64(seen)
			p.ExecMeanMs = &m
		}
		d.Plans = append(d.Plans, &p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, queryPlanChangesSQL, tid, w.From, w.To, fp, limit)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c QueryPlanChange
		var at time.Time
		var o, n int64
		if err := rows.Scan(&c.DbNamespace, &c.Source, &at, &o, &n); err != nil {
			rows.Close()
			return err
		}
		c.ChangedAt, c.OldPlanHash, c.NewPlanHash = DateTime{at}, hashText(o), hashText(n)
		d.PlanChanges = append(d.PlanChanges, &c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(ctx, genericPlanStatusSQL, tid, fp)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g GenericPlanStatus
		var h *int64
		var at time.Time
		if err := rows.Scan(&g.DbNamespace, &g.Status, &g.Message, &h, &at); err != nil {
			return err
		}
		if h != nil {
			s := hashText(*h)
			g.PlanHash = &s
		}
		g.CheckedAt = DateTime{at}
		d.GenericPlanStatus = append(d.GenericPlanStatus, &g)
	}
	return rows.Err()
}
