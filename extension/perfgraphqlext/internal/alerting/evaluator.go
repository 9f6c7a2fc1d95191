package alerting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// Evaluator evaluates the rules for every tenant they apply to and records the state
// changes, with their notifications, in PostgreSQL. The scheduler leader calls Evaluate on
// each tick after the rollup refresh; everything it knows is in the database, so a new
// leader continues where the last one stopped.
type Evaluator struct {
	cfg       Config
	rules     []Rule
	notifiers []string // names of the configured notifiers, which get an outbox row per change
	metrics   *Metrics
	logger    *zap.Logger
}

// Result of one evaluation.
type Result struct {
	Evaluations int // (tenant, rule) pairs evaluated
	Fired       int
	Resolved    int
}

// NewEvaluator makes an evaluator of a validated configuration.
func NewEvaluator(cfg Config, metrics *Metrics, logger *zap.Logger) *Evaluator {
	e := &Evaluator{cfg: cfg, metrics: metrics, logger: logger}
	for _, r := range cfg.Rules {
		e.rules = append(e.rules, r.withDefaults())
	}
	e.notifiers = cfg.notifierNames()
	return e
}

func (c *Config) notifierNames() []string {
	var n []string
	if c.Alertmanager.Endpoint != "" {
		n = append(n, notifierAlertmanager)
	}
	if c.NATS.URL != "" {
		n = append(n, notifierNATS)
	}
	if c.Webhook.Endpoint != "" {
		n = append(n, notifierWebhook)
	}
	return n
}

// tenants a rule applies to that have something to evaluate: data within the rule's
// lookback, an active recommendation, or an alert not yet resolved.
const sqlRuleTenants = `SELECT t.tenant_id, t.name FROM perf_tenants t
 WHERE ($1::text[] IS NULL OR t.name = ANY($1))
   AND (EXISTS (SELECT 1 FROM performance_metrics_cache c WHERE c.tenant_id = t.tenant_id AND c.hour_bucket >= $2)
        OR ($4 AND EXISTS (SELECT 1 FROM perf_recommendations r WHERE r.tenant_id = t.tenant_id AND r.status = 'ACTIVE'))
        OR EXISTS (SELECT 1 FROM perf_alerts a WHERE a.tenant_id = t.tenant_id AND a.rule = $3 AND a.state <> 'resolved'))
 ORDER BY t.tenant_id`

// Evaluate evaluates every rule at now. A failing rule or tenant is reported and the others
// go on.
func (e *Evaluator) Evaluate(ctx context.Context, conn *pgx.Conn, now time.Time) (Result, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var res Result
	var errs []error
	tenants := map[int32]*tenantData{}
	for _, r := range e.rules {
		var names []string
		if len(r.Tenants) > 0 {
			names = r.Tenants
		}
		rows, err := conn.Query(ctx, sqlRuleTenants, names, now.Add(-r.lookback()-time.Hour), r.Name, r.Recommendation != nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert rule %s: tenants: %w", r.Name, err))
			continue
		}
		var ids []*tenantData
		var id int32
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			td := tenants[id]
			if td == nil {
				td = &tenantData{id: id, name: name, windows: map[windowKey][]counts{}}
				tenants[id] = td
			}
			ids = append(ids, td)
			return nil
		}); err != nil {
			errs = append(errs, fmt.Errorf("alert rule %s: tenants: %w", r.Name, err))
			continue
		}
		for _, td := range ids {
			fired, resolved, err := e.evaluateOne(ctx, conn, r, td, now)
			res.Evaluations++
			res.Fired += fired
			res.Resolved += resolved
			outcome := "ok"
			if err != nil {
				outcome = "error"
				errs = append(errs, fmt.Errorf("alert rule %s, tenant %q: %w", r.Name, td.name, err))
			}
			e.metrics.evaluations.Add(ctx, 1, metric.WithAttributes(attribute.String("kind", r.Kind()), attribute.String("outcome", outcome)))
			if ctx.Err() != nil || conn.IsClosed() {
				return res, errors.Join(errs...)
			}
		}
	}
	n, err := e.resolveOrphans(ctx, conn, now)
	res.Resolved += n
	if err != nil {
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

type instance struct {
	state       string
	activeSince time.Time
	firedAt     *time.Time
}

// evaluateOne evaluates one rule for one tenant and applies the state changes.
func (e *Evaluator) evaluateOne(ctx context.Context, conn *pgx.Conn, r Rule, td *tenantData, now time.Time) (fired, resolved int, err error) {
	obs, err := e.evaluate(ctx, conn, r, td, now)
	if err != nil {
		return 0, 0, err
	}
	return e.apply(ctx, conn, r, td, now, obs)
}

// orphans: alerts not resolved of a rule that no longer applies to their tenant (removed
// from the configuration, or the tenant taken off its list)
const sqlOpenAlerts = `SELECT DISTINCT a.tenant_id, t.name, a.rule FROM perf_alerts a JOIN perf_tenants t ON t.tenant_id = a.tenant_id
 WHERE a.state <> 'resolved' ORDER BY 1, 3`

// resolveOrphans resolves (or drops, if pending) the alerts of rules that no longer apply,
// so that none stays firing, and re-sent to Alertmanager, for ever.
func (e *Evaluator) resolveOrphans(ctx context.Context, conn *pgx.Conn, now time.Time) (resolved int, err error) {
	rows, err := conn.Query(ctx, sqlOpenAlerts)
	if err != nil {
		return 0, err
	}
	type open struct {
		ID         int32
		Name, Rule string
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByPos[open])
	if err != nil {
		return 0, err
	}
	for _, o := range all {
		idx := slices.IndexFunc(e.rules, func(r Rule) bool { return r.Name == o.Rule })
		if idx >= 0 && e.rules[idx].AppliesTo(o.Name) {
			continue
		}
		_, n, err := e.apply(ctx, conn, Rule{Name: o.Rule}, &tenantData{id: o.ID, name: o.Name}, now, nil)
		if err != nil {
			return resolved, fmt.Errorf("alerts of rule %s that no longer applies to tenant %q: %w", o.Rule, o.Name, err)
		}
		resolved += n
	}
	return resolved, nil
}

// apply records the state changes of one rule and tenant given the instances whose
// condition holds now, with their outbox rows, in one transaction.
func (e *Evaluator) apply(ctx context.Context, conn *pgx.Conn, r Rule, td *tenantData, now time.Time, obs []observation) (fired, resolved int, err error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	rows, err := tx.Query(ctx, `SELECT fingerprint, state, active_since, fired_at FROM perf_alerts
		WHERE tenant_id = $1 AND rule = $2 FOR UPDATE`, td.id, r.Name)
	if err != nil {
		return 0, 0, err
	}
	existing := map[string]instance{}
	var fp string
	var in instance
	if _, err := pgx.ForEachRow(rows, []any{&fp, &in.state, &in.activeSince, &in.firedAt}, func() error {
		existing[fp] = in
		return nil
	}); err != nil {
		return 0, 0, err
	}
	seen := map[string]bool{}
	for _, o := range obs {
		labels := map[string]string{"alertname": r.Name, "tenant": td.name}
		for k, v := range o.Labels {
			labels[k] = v
		}
		fp := fingerprint(labels)
		if seen[fp] {
			continue
		}
		seen[fp] = true
		annotations := map[string]string{"summary": o.Summary, "description": o.Description}
		old, ok := existing[fp]
		state, activeSince, firedAt := StatePending, now, (*time.Time)(nil)
		if ok && old.state != StateResolved {
			activeSince, firedAt = old.activeSince, old.firedAt
		}
		if firedAt == nil && now.Sub(activeSince) >= r.For {
			t := now
			firedAt = &t
		}
		if firedAt != nil {
			state = StateFiring
		}
		values, _ := json.Marshal(o.Values)
		if _, err := tx.Exec(ctx, `INSERT INTO perf_alerts (tenant_id, rule, fingerprint, labels, annotations, state,
				active_since, fired_at, resolved_at, last_eval, value, "values")
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11)
			ON CONFLICT (tenant_id, rule, fingerprint) DO UPDATE SET labels = $4, annotations = $5, state = $6,
				active_since = $7, fired_at = $8, resolved_at = NULL, last_eval = $9, value = $10, "values" = $11,
				last_resent = CASE WHEN perf_alerts.state = 'firing' AND $6 = 'firing' THEN perf_alerts.last_resent END`,
			td.id, r.Name, fp, labels, annotations, state, activeSince, firedAt, now, o.Value, values); err != nil {
			return 0, 0, err
		}
		if state == StateFiring && (!ok || old.state != StateFiring) {
			ev := Event{Tenant: td.name, Rule: r.Name, State: StateFiring, Labels: labels, Annotations: annotations,
				StartsAt: *firedAt, Value: o.Value, Values: o.Values, GeneratorURL: generatorURL(e.cfg.DashboardURL, td.name)}
			if err := e.enqueue(ctx, tx, td.id, fp, ev); err != nil {
				return 0, 0, err
			}
			fired++
		}
	}
	for fp, old := range existing {
		if seen[fp] || old.state == StateResolved {
			continue
		}
		if old.state == StatePending {
			// nobody was told of it
			if _, err := tx.Exec(ctx, `DELETE FROM perf_alerts WHERE tenant_id = $1 AND rule = $2 AND fingerprint = $3`, td.id, r.Name, fp); err != nil {
				return 0, 0, err
			}
			continue
		}
		var ev Event
		if err := tx.QueryRow(ctx, `UPDATE perf_alerts SET state = 'resolved', resolved_at = $4, last_eval = $4
			WHERE tenant_id = $1 AND rule = $2 AND fingerprint = $3 RETURNING labels, annotations, value, "values"`,
			td.id, r.Name, fp, now).Scan(&ev.Labels, &ev.Annotations, &ev.Value, &ev.Values); err != nil {
			return 0, 0, err
		}
		end := now
		ev.Tenant, ev.Rule, ev.State, ev.StartsAt, ev.EndsAt = td.name, r.Name, StateResolved, *old.firedAt, &end
		ev.GeneratorURL = generatorURL(e.cfg.DashboardURL, td.name)
		if err := e.enqueue(ctx, tx, td.id, fp, ev); err != nil {
			return 0, 0, err
		}
		resolved++
	}
	return fired, resolved, tx.Commit(ctx)
}

// enqueue writes one outbox row per notifier for a state change, in the transaction of
// the change.
func (e *Evaluator) enqueue(ctx context.Context, tx pgx.Tx, tid int32, fp string, ev Event) error {
	ev.DedupeKey = dedupeKey(ev.Tenant, ev.Rule, fp, ev.State, ev.StartsAt)
	for _, n := range e.notifiers {
		if _, err := tx.Exec(ctx, `INSERT INTO perf_alert_outbox (tenant_id, notifier, alert_key, dedupe_key, payload, created_at, next_attempt)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, tid, n, ev.Rule+"/"+fp, ev.DedupeKey, ev, ev.eventTime()); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

func (ev Event) eventTime() time.Time {
	if ev.EndsAt != nil {
		return *ev.EndsAt
	}
	return ev.StartsAt
}
