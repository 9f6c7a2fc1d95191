package graphqlapi

// The plans of a statement, its plan changes and whether a generic plan could be made of it,
// per monitored database (read by reads.Plans).

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
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
	plans, changes, generic, err := reads.Plans(ctx, tx, tid, w, fp, limit)
	if err != nil {
		return err
	}
	for _, x := range plans {
		p := QueryPlan{DbNamespace: x.DbNamespace, Source: x.Source, PlanHash: hashText(x.Hash), Current: x.Current,
			FirstSeen: DateTime{x.FirstSeen}, LastSeen: DateTime{x.LastSeen}, TimesSeen: float64(x.TimesSeen), TopNode: x.TopNode,
			TotalCost: x.TotalCost, ExecTotalMs: x.ExecTotalMs, ExecMinMs: x.ExecMinMs, ExecMaxMs: x.ExecMaxMs, Text: x.Text, Json: x.JSON}
		if p.ExecTotalMs != nil && x.TimesSeen > 0 {
			m := *p.ExecTotalMs / float64(x.TimesSeen)
			p.ExecMeanMs = &m
		}
		d.Plans = append(d.Plans, &p)
	}
	for _, c := range changes {
		d.PlanChanges = append(d.PlanChanges, &QueryPlanChange{DbNamespace: c.DbNamespace, Source: c.Source,
			ChangedAt: DateTime{c.ChangedAt}, OldPlanHash: hashText(c.OldHash), NewPlanHash: hashText(c.NewHash)})
	}
	for _, x := range generic {
		g := &GenericPlanStatus{DbNamespace: x.DbNamespace, Status: x.Status, Message: x.Message, CheckedAt: DateTime{x.CheckedAt}}
		if x.Hash != nil {
			s := hashText(*x.Hash)
			g.PlanHash = &s
		}
		d.GenericPlanStatus = append(d.GenericPlanStatus, g)
	}
	return nil
}
