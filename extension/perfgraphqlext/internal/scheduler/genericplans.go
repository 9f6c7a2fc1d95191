package scheduler

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

var (
	//go:embed sql/top_statements.sql
	sqlTopStatements string
	//go:embed sql/store_generic_status.sql
	sqlStoreGenericStatus string
	//go:embed sql/prune_plans.sql
	sqlPrunePlans string
)

// GenericPlansConfig: which statements get a generic plan, how often.
type GenericPlansConfig struct {
	// Top statements per target by server execution time over Window (0: no generic plans).
	Top int
	// Interval between two rounds.
	Interval time.Duration
	// Window of server statistics the load is summed over.
	Window time.Duration
}

// GenericPlanResult is one target's round.
type GenericPlanResult struct {
	Target targets.Key
	// Statements explained, and how many of them got a plan.
	Statements, Planned int
	// Statuses counts the statements per queryplan status.
	Statuses map[string]int
	// Duration of the round for this target (connect, explain, store).
	Duration time.Duration
	Err      error
}

// planTopStatements prunes the plans older than the hourly rollups' retention and makes the generic plans of each target's top statements when the interval
// is due: PREPARE and EXPLAIN EXECUTE with NULLs under force_generic_plan in a read-only
// transaction that is rolled back, with the target's statement_timeout. What cannot be planned
// is stored as such (perf_generic_plan_status). A target that is down is skipped (its state is
// pgstat's to report); only a failure to store is an error of the tick.
func (s *Scheduler) planTopStatements(ctx context.Context, now time.Time, res *TickResult) error {
	gp := s.cfg.GenericPlans
	if len(s.cfg.Targets) == 0 || s.conn.IsClosed() {
		return nil
	}
	if !s.lastGenericPlans.IsZero() && now.Sub(s.lastGenericPlans) < gp.Interval && !now.Before(s.lastGenericPlans) {
		return nil
	}
	var errs []error
	// the actual plans of the exporter are pruned here too, so this runs without generic plans
	if err := s.conn.QueryRow(ctx, sqlPrunePlans, now.Add(-s.cfg.Retention.HourlyRollups)).Scan(&res.PlanRowsPruned); err != nil {
		s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "generic_plans")))
		return fmt.Errorf("prune plans: %w", err)
	}
	if gp.Top <= 0 {
		s.lastGenericPlans = now
		return nil
	}
	// a round that found no statement (no server statistics yet) is retried on the next tick
	done := false
	defer func() {
		if done {
			s.lastGenericPlans = now
		}
	}()
	for _, t := range s.cfg.Targets {
		r, err := s.planTarget(ctx, t, now)
		res.GenericPlans = append(res.GenericPlans, r)
		done = done || r.Statements > 0 || r.Err != nil || err != nil
		if r.Statements > 0 {
			s.metrics.genericPlanDuration.Record(ctx, r.Duration.Seconds(),
				metric.WithAttributes(attribute.String("tenant", t.Tenant), attribute.String("db_namespace", t.DBNamespace)))
		}
		if r.Err != nil {
			s.logger.Debug("perfgraphql: no generic plans of a monitored database this round", zap.String("tenant", t.Tenant),
				zap.String("db_namespace", t.DBNamespace), zap.Error(r.Err))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("generic plans of %q (tenant %q): %w", t.DBNamespace, t.Tenant, err))
			s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "generic_plans")))
			if s.conn.IsClosed() {
				break
			}
		}
	}
	return errors.Join(errs...)
}

type topStatement struct {
	fingerprint int64
	text        string
}

// planTarget returns an error only when storing failed; a target that cannot be reached is
// in the result's Err.
func (s *Scheduler) planTarget(ctx context.Context, t targets.Target, now time.Time) (GenericPlanResult, error) {
	start := time.Now()
	r := GenericPlanResult{Target: t.Key(), Statuses: map[string]int{}}
	rows, err := s.conn.Query(ctx, sqlTopStatements, t.Tenant, t.DBNamespace, now.Add(-s.cfg.GenericPlans.Window), s.cfg.GenericPlans.Top)
	if err != nil {
		return r, err
	}
	top, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (topStatement, error) {
		var ts topStatement
		return ts, row.Scan(&ts.fingerprint, &ts.text)
	})
	if err != nil || len(top) == 0 {
		return r, err
	}
	conn, err := t.Connect(ctx)
	if err != nil {
		r.Err = err
		return r, nil
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		r.Err = err
		return r, nil
	}
	generic := make([]queryplan.Generic, len(top))
	for i, st := range top {
		generic[i] = queryplan.PlanGeneric(ctx, tx, st.text)
	}
	_ = tx.Rollback(context.WithoutCancel(ctx))
	var sightings []queryplan.Sighting
	for i, g := range generic {
		r.Statements++
		r.Statuses[g.Status]++
		if g.Status == queryplan.StatusPlanned {
			r.Planned++
			sightings = append(sightings, queryplan.Sighting{Tenant: t.Tenant, DBNamespace: t.DBNamespace,
				Fingerprint: top[i].fingerprint, Source: queryplan.SourceGeneric, Seen: now, Plan: g.Plan})
		}
	}
	if _, err := queryplan.Store(ctx, s.conn, sightings); err != nil {
		return r, err
	}
	batch := &pgx.Batch{}
	for i, g := range generic {
		var hash *int64
		if g.Status == queryplan.StatusPlanned {
			hash = &g.Plan.Hash
		}
		batch.Queue(sqlStoreGenericStatus, t.Tenant, t.DBNamespace, top[i].fingerprint, g.Status, g.Message, hash, now)
	}
	if err := s.conn.SendBatch(ctx, batch).Close(); err != nil {
		return r, err
	}
	r.Duration = time.Since(start)
	return r, nil
}
