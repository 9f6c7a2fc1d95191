package alerting

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// querier is what the rules read through: the scheduler's connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// observation is one alert instance whose condition holds on this evaluation.
type observation struct {
	Labels      map[string]string // besides alertname and tenant
	Value       float64
	Values      map[string]float64
	Summary     string
	Description string
}

// endpoint names of a tenant
type endpointName struct{ Service, Method, Route string }

type tenantData struct {
	id        int32
	name      string
	endpoints map[int32]endpointName
	services  map[int32]string
	windows   map[windowKey][]counts // read once per tenant and evaluation
}

// windowKey: the counts of a window depend on the latency threshold too
type windowKey struct{ window, threshold time.Duration }

const sqlEndpointNames = `SELECT e.endpoint_id, e.service_id, s.name, e.method, e.route
  FROM perf_endpoints e JOIN perf_services s ON s.tenant_id = e.tenant_id AND s.service_id = e.service_id
 WHERE e.tenant_id = $1`

func (td *tenantData) names(ctx context.Context, db querier) error {
	if td.endpoints != nil {
		return nil
	}
	rows, err := db.Query(ctx, sqlEndpointNames, td.id)
	if err != nil {
		return err
	}
	td.endpoints, td.services = map[int32]endpointName{}, map[int32]string{}
	var id, svc int32
	var n endpointName
	_, err = pgx.ForEachRow(rows, []any{&id, &svc, &n.Service, &n.Method, &n.Route}, func() error {
		td.endpoints[id] = n
		td.services[svc] = n.Service
		return nil
	})
	return err
}

func (td *tenantData) window(ctx context.Context, e *Evaluator, db querier, now time.Time, w, threshold, apdex time.Duration) ([]counts, error) {
	key := windowKey{w, threshold}
	if c, ok := td.windows[key]; ok {
		return c, nil
	}
	c, err := readWindow(ctx, db, td.id, now, w, threshold, apdex, e.cfg.MinuteRetention)
	if err != nil {
		return nil, err
	}
	td.windows[key] = c
	return c, nil
}

// evaluate returns the rule's observations for one tenant.
func (e *Evaluator) evaluate(ctx context.Context, db querier, r Rule, td *tenantData, now time.Time) ([]observation, error) {
	switch {
	case r.Health != nil:
		return e.evalHealth(ctx, db, r, td, now)
	case r.SLO != nil:
		return e.evalSLO(ctx, db, r, td, now)
	case r.Recommendation != nil:
		return evalRecommendation(ctx, db, r, td)
	}
	return evalAbsence(ctx, db, r, td, now)
}

func (e *Evaluator) evalHealth(ctx context.Context, db querier, r Rule, td *tenantData, now time.Time) ([]observation, error) {
	h := r.Health
	if err := td.names(ctx, db); err != nil {
		return nil, err
	}
	cs, err := td.window(ctx, e, db, now, h.Window, 0, e.cfg.ApdexTarget)
	if err != nil {
		return nil, err
	}
	var sum counts
	for _, c := range cs {
		if h.Service == "" || td.services[c.ServiceID] == h.Service {
			sum.add(c)
		}
	}
	if sum.Requests < h.MinRequests {
		return nil, nil
	}
	// saturation (pool, CPU) is not part of the window's score: it comes from the minute
	// resource metrics, which the dashboard's score adds
	score, status, apdex := rollup.HealthScore(sum.Requests, sum.Errors, sum.SatisfiedOK, sum.ToleratingOrBetterOK, nil, nil)
	if slices.Index(statuses, status) < slices.Index(statuses, h.Status) {
		return nil, nil
	}
	labels := map[string]string{"severity": r.Severity}
	scope := "the tenant"
	if h.Service != "" {
		labels["service"] = h.Service
		scope = "service " + h.Service
	}
	return []observation{{Labels: labels, Value: score,
		Values:      map[string]float64{"health_score": score, "apdex": apdex, "requests": float64(sum.Requests), "errors": float64(sum.Errors)},
		Summary:     fmt.Sprintf("Health of %s is %s (score %.1f) over the last %s", scope, status, score, h.Window),
		Description: fmt.Sprintf("Health score %.1f (apdex %.3f, %d errors in %d requests; without saturation) is at or below %s.", score, apdex, sum.Errors, sum.Requests, h.Status),
	}}, nil
}

// sloKey groups endpoints' counts: one alert per endpoint or per service
type sloKey struct{ Service, Method, Route string }

func (e *Evaluator) evalSLO(ctx context.Context, db querier, r Rule, td *tenantData, now time.Time) ([]observation, error) {
	s := r.SLO
	if err := td.names(ctx, db); err != nil {
		return nil, err
	}
	budget := 1 - s.Objective
	// burn rate of every key over every window used
	type ratio struct{ requests, bad int64 }
	perWindow := map[time.Duration]map[sloKey]ratio{}
	read := func(w time.Duration) (map[sloKey]ratio, error) {
		if m, ok := perWindow[w]; ok {
			return m, nil
		}
		cs, err := td.window(ctx, e, db, now, w, s.LatencyThreshold, e.cfg.ApdexTarget)
		if err != nil {
			return nil, err
		}
		m := map[sloKey]ratio{}
		for _, c := range cs {
			n, ok := td.endpoints[c.EndpointID]
			if !ok || (s.Service != "" && n.Service != s.Service) || (s.Method != "" && n.Method != s.Method) || (s.Route != "" && n.Route != s.Route) {
				continue
			}
			k := sloKey{Service: n.Service}
			if s.By == "endpoint" {
				k.Method, k.Route = n.Method, n.Route
			}
			bad := c.Status5xx
			if s.SLI == "latency" {
				bad = c.Requests - c.UnderThreshold
			}
			x := m[k]
			x.requests += c.Requests
			x.bad += bad
			m[k] = x
		}
		perWindow[w] = m
		return m, nil
	}
	burn := func(x ratio) float64 { return float64(x.bad) / float64(x.requests) / budget }
	hits := map[string]*observation{} // key + severity
	var order []string
	for _, b := range s.BurnRates {
		long, err := read(b.Long)
		if err != nil {
			return nil, err
		}
		short, err := read(b.Short)
		if err != nil {
			return nil, err
		}
		for k, sx := range short {
			lx := long[k]
			if sx.requests < s.MinRequests || lx.requests == 0 {
				continue
			}
			bl, bs := burn(lx), burn(sx)
			if bl <= b.Factor || bs <= b.Factor {
				continue
			}
			id := k.Service + "\x00" + k.Method + "\x00" + k.Route + "\x00" + b.Severity
			o := hits[id]
			if o == nil {
				labels := map[string]string{"severity": b.Severity, "service": k.Service, "slo": s.SLI}
				if s.By == "endpoint" {
					labels["method"], labels["route"] = k.Method, k.Route
				}
				o = &observation{Labels: labels, Values: map[string]float64{"objective": s.Objective}}
				hits[id] = o
				order = append(order, id)
			}
			o.Values["burn_rate_"+b.Long.String()] = bl
			o.Values["burn_rate_"+b.Short.String()] = bs
			if bs > o.Value {
				o.Value = bs
			}
			what := "availability (non-5xx share)"
			if s.SLI == "latency" {
				what = "latency (share at most " + s.LatencyThreshold.String() + ")"
			}
			subject := "service " + k.Service
			if s.By == "endpoint" {
				subject = fmt.Sprintf("%s %s %s", k.Service, k.Method, k.Route)
			}
			o.Summary = fmt.Sprintf("%s SLO %s of %s is burning its error budget %.1fx too fast", what, strconv.FormatFloat(s.Objective, 'f', -1, 64), subject, bs)
			o.Description += fmt.Sprintf("Burn rate %.2f over %s (%d/%d bad) and %.2f over %s (%d/%d bad), above %gx. ",
				bl, b.Long, lx.bad, lx.requests, bs, b.Short, sx.bad, sx.requests, b.Factor)
		}
	}
	slices.Sort(order)
	out := make([]observation, 0, len(order))
	for _, id := range order {
		out = append(out, *hits[id])
	}
	return out, nil
}

const sqlActiveRecommendations = `SELECT id, category, priority, title FROM perf_recommendations
 WHERE tenant_id = $1 AND status = 'ACTIVE' AND priority = ANY($2) ORDER BY id`

func evalRecommendation(ctx context.Context, db querier, r Rule, td *tenantData) ([]observation, error) {
	at := slices.Index(priorities, r.Recommendation.MinPriority)
	rows, err := db.Query(ctx, sqlActiveRecommendations, td.id, priorities[at:])
	if err != nil {
		return nil, err
	}
	var out []observation
	var id, category, priority, title string
	_, err = pgx.ForEachRow(rows, []any{&id, &category, &priority, &title}, func() error {
		out = append(out, observation{
			Labels:      map[string]string{"severity": r.Severity, "recommendation_id": id, "category": category, "priority": priority},
			Value:       float64(slices.Index(priorities, priority)),
			Summary:     fmt.Sprintf("New %s recommendation: %s", priority, title),
			Description: fmt.Sprintf("The optimization engine reports a %s %s recommendation (id %s).", priority, category, id),
		})
		return nil
	})
	return out, err
}

func evalAbsence(ctx context.Context, db querier, r Rule, td *tenantData, now time.Time) ([]observation, error) {
	a := r.Absence
	var svc *string
	if a.Service != "" {
		svc = &a.Service
	}
	names, err := absentServices(ctx, db, td.id, now, a.SilentFor, a.Lookback, svc)
	if err != nil {
		return nil, err
	}
	out := make([]observation, 0, len(names))
	for _, n := range names {
		out = append(out, observation{
			Labels:      map[string]string{"severity": r.Severity, "service": n},
			Value:       a.SilentFor.Seconds(),
			Summary:     fmt.Sprintf("Service %s sent no requests for %s", n, a.SilentFor),
			Description: fmt.Sprintf("Service %s sent requests within the last %s but none in the last %s.", n, a.Lookback, a.SilentFor),
		})
	}
	return out, nil
}
