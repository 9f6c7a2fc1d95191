package queryplan

import (
	"context"
	_ "embed"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// Source of a plan.
const (
	// SourceGeneric: the planner's generic plan, made by the scheduler (generic.go).
	SourceGeneric = "generic"
	// SourceActual: an execution auto_explain logged, read from the server log.
	SourceActual = "actual"
)

var (
	//go:embed tenant_id.sql
	tenantIDSQL string
	//go:embed current_plan.sql
	currentPlanSQL string
	//go:embed store_plan.sql
	storePlanSQL string
	//go:embed lock_statement.sql
	lockStatementSQL string
	//go:embed store_change.sql
	storeChangeSQL string
)

// Sighting is a plan of a statement seen at a time.
type Sighting struct {
	Tenant      string
	DBNamespace string
	Fingerprint int64
	Source      string
	Seen        time.Time
	Plan        Plan
	// ExecMs is auto_explain's duration of the execution (source actual only).
	ExecMs float64
}

// Querier is what Store needs of a connection: a *pgx.Conn or a pool.
type Querier interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// StoreResult counts what Store did.
type StoreResult struct {
	Plans   int // distinct (statement, source, plan) rows written
	Changes int // plan changes recorded
}

type planKey struct {
	tenant, db  string
	fingerprint int64
	source      string
	hash        int64
}

type planAgg struct {
	first, last   time.Time
	n             int64
	plan          Plan
	sum, min, max float64
	order         int
}

// Store writes sightings in one transaction: each distinct plan once, summed, and a plan change
// when a statement's plan differs from the one seen last before it. Sightings are taken in
// time order, so a batch holding A, B, A records both changes.
func Store(ctx context.Context, db Querier, ss []Sighting) (StoreResult, error) {
	var res StoreResult
	if len(ss) == 0 {
		return res, nil
	}
	sorted := append([]Sighting(nil), ss...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Seen.Before(sorted[j].Seen) })
	tx, err := db.Begin(ctx)
	if err != nil {
		return res, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tenants := map[string]int32{}
	type stmtKey struct {
		tenant, db  string
		fingerprint int64
		source      string
	}
	// the plan each statement had last, as the batch goes on (read once from the table)
	current := map[stmtKey]*int64{}
	aggs := map[planKey]*planAgg{}
	for _, s := range sorted {
		tid, ok := tenants[s.Tenant]
		if !ok {
			if err := tx.QueryRow(ctx, tenantIDSQL, s.Tenant).Scan(&tid); err != nil {
				return res, fmt.Errorf("tenant: %w", err)
			}
			tenants[s.Tenant] = tid
		}
		sk := stmtKey{s.Tenant, s.DBNamespace, s.Fingerprint, s.Source}
		cur, known := current[sk]
		if !known {
			if _, err := tx.Exec(ctx, lockStatementSQL,
				fmt.Sprintf("perf_query_plans %d %s %s", tid, s.DBNamespace, s.Source), s.Fingerprint); err != nil {
				return res, err
			}
			var h int64
			var last time.Time
			err := tx.QueryRow(ctx, currentPlanSQL, tid, s.DBNamespace, s.Fingerprint, s.Source).Scan(&h, &last)
			switch {
			case err == pgx.ErrNoRows:
				// the statement's first plan: nothing changed
			case err != nil:
				return res, fmt.Errorf("current plan: %w", err)
			case last.After(s.Seen):
				// a sighting older than the plan stored last (a replayed log) changes nothing
			default:
				cur = &h
			}
		}
		if cur != nil && *cur != s.Plan.Hash {
			if _, err := tx.Exec(ctx, storeChangeSQL, tid, s.DBNamespace, s.Fingerprint, s.Source, s.Seen, *cur, s.Plan.Hash); err != nil {
				return res, fmt.Errorf("plan change: %w", err)
			}
			res.Changes++
		}
		h := s.Plan.Hash
		current[sk] = &h
		pk := planKey{s.Tenant, s.DBNamespace, s.Fingerprint, s.Source, s.Plan.Hash}
		a, ok := aggs[pk]
		if !ok {
			a = &planAgg{first: s.Seen, min: s.ExecMs, max: s.ExecMs, order: len(aggs)}
			aggs[pk] = a
		}
		a.last, a.plan = s.Seen, s.Plan
		a.n++
		a.sum += s.ExecMs
		a.min = min(a.min, s.ExecMs)
		a.max = max(a.max, s.ExecMs)
	}
	keys := make([]planKey, 0, len(aggs))
	for k := range aggs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return aggs[keys[i]].order < aggs[keys[j]].order })
	for _, k := range keys {
		a := aggs[k]
		var sum, lo, hi *float64
		if k.source == SourceActual {
			sum, lo, hi = &a.sum, &a.min, &a.max
		}
		if _, err := tx.Exec(ctx, storePlanSQL, tenants[k.tenant], k.db, k.fingerprint, k.source, k.hash, a.first, a.last, a.n,
			string(a.plan.JSON), a.plan.Text, a.plan.TopNode, a.plan.TotalCost, sum, lo, hi); err != nil {
			return res, fmt.Errorf("store plan: %w", err)
		}
		res.Plans++
	}
	return res, tx.Commit(ctx)
}
