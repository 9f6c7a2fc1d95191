package graphqlapi

// alerts (reads.Alerts) and the rules that apply to the caller.

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

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
		rows, err := reads.Alerts(ctx, tx, tid, from, to, state, limit)
		for _, x := range rows {
			a := &Alert{Rule: x.Rule, State: strings.ToUpper(x.State), Severity: x.Labels["severity"], Value: x.Value,
				Summary: x.Annotations["summary"], Description: x.Annotations["description"],
				ActiveSince: DateTime{x.ActiveSince}, LastEvaluated: DateTime{x.LastEvaluated}}
			for _, k := range slices.Sorted(maps.Keys(x.Labels)) {
				a.Labels = append(a.Labels, &AlertLabel{Name: k, Value: x.Labels[k]})
			}
			if x.FiredAt != nil {
				a.FiredAt = &DateTime{*x.FiredAt}
			}
			if x.ResolvedAt != nil {
				a.ResolvedAt = &DateTime{*x.ResolvedAt}
			}
			out = append(out, a)
		}
		return err
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
