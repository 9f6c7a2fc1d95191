package graphqlapi

// alerts (perf_alerts, written by internal/alerting) and the rules that apply to the caller.

import (
	"context"
	_ "embed"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

//go:embed sql/alerts.sql
var alertsSQL string

type Alert struct {
	Rule          string
	State         string
	Severity      string
	Labels        []*AlertLabel
	Summary       string
	Description   string
	ActiveSince   DateTime
	FiredAt       *DateTime
	ResolvedAt    *DateTime
	LastEvaluated DateTime
	Value         *float64
}

type AlertLabel struct {
	Name  string
	Value string
}

type AlertRule struct {
	Name       string
	Kind       string
	Severity   string
	ForSeconds float64
	Condition  string
}

func (r *resolver) Alerts(ctx context.Context, args struct {
	State     *string
	TimeRange *string
	From      *DateTime
	To        *DateTime
	Limit     *int32
}) ([]*Alert, error) {
	const op = "alerts"
	tenant, w, limit, err := r.beginList(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To}, args.Limit, 100)
	if err != nil {
		return nil, err
	}
	var state *string
	if args.State != nil {
		s := strings.ToLower(*args.State)
		state = &s
	}
	// the range's exact bounds (w is widened to whole hours): alerts are not hourly
	to := r.now()
	from := to.Add(-timeRanges[orDefault(args.TimeRange, "LAST_24_HOURS")])
	if args.From != nil && args.To != nil {
		from, to = args.From.Time, args.To.Time
	}
	_ = w
	out := []*Alert{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		rows, err := tx.Query(ctx, alertsSQL, tid, from, to, state, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := &Alert{}
			var labels, annotations map[string]string
			var since, last time.Time
			var fired, resolved *time.Time
			if err := rows.Scan(&a.Rule, &a.State, &labels, &annotations, &since, &fired, &resolved, &last, &a.Value); err != nil {
				return err
			}
			a.State = strings.ToUpper(a.State)
			a.Severity = labels["severity"]
			for _, k := range slices.Sorted(maps.Keys(labels)) {
				a.Labels = append(a.Labels, &AlertLabel{Name: k, Value: labels[k]})
			}
			a.Summary, a.Description = annotations["summary"], annotations["description"]
			a.ActiveSince, a.LastEvaluated = DateTime{since}, DateTime{last}
			if fired != nil {
				a.FiredAt = &DateTime{*fired}
			}
			if resolved != nil {
				a.ResolvedAt = &DateTime{*resolved}
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}

func orDefault(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func (r *resolver) AlertRules(ctx context.Context, _ struct{}) ([]*AlertRule, error) {
	tenant, ok := tenantFrom(ctx)
	if !ok {
		return nil, userErrorf("unauthenticated")
	}
	if err := charge(ctx, "alertRules", 1, rollup.Window{}); err != nil {
		return nil, err
	}
	out := []*AlertRule{}
	for _, rule := range r.cfg.AlertRules {
		if !rule.AppliesTo(tenant) {
			continue
		}
		sev := rule.Severity
		if sev == "" {
			sev = "warning"
		}
		if rule.SLO != nil {
			sev = "per burn rate"
		}
		out = append(out, &AlertRule{Name: rule.Name, Kind: rule.Kind(), Severity: sev, ForSeconds: rule.For.Seconds(), Condition: rule.Condition()})
	}
	return out, nil
}
