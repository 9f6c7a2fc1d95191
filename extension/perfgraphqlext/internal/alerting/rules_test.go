package alerting_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// Each kind of rule goes pending -> firing -> resolved on its own condition; a pending alert
// whose condition stops is dropped unannounced; only firing and resolution reach the outbox.
// The latency SLO's long window (2h) is read from the hourly rollups, its short one (10s)
// from the request log.
func TestRuleKindsAndStates(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop")
	now0 := time.Now().UTC().Truncate(time.Microsecond)
	// 50 requests of 20 ms in the last 5 s, all 500
	requests(t, pool, tid, now0.Add(-5*time.Second), now0, 50, 500)
	perfgraphqltest.Refresh(t, pool, "shop")
	perfdbtest.Exec(t, pool, `INSERT INTO perf_recommendations (tenant_id, id, category, priority, title, description, impact, effort,
		recommendation, implementation) VALUES ($1, 'rec-high', 'QUERY', 'HIGH', 'Add an index', '', '', '', '', ''),
		($1, 'rec-low', 'QUERY', 'LOW', 'Minor', '', '', '', '', '')`, tid)

	cfg := alerting.DefaultConfig()
	cfg.Webhook = alerting.WebhookConfig{Endpoint: "http://127.0.0.1:1/never-called", Secret: "k"}
	cfg.ApdexTarget = 500 * time.Millisecond
	cfg.Rules = []alerting.Rule{
		{Name: "health", For: 2 * time.Second, Health: &alerting.HealthRule{Status: "UNHEALTHY", Window: 10 * time.Second}},
		{Name: "health-long", For: time.Hour, Health: &alerting.HealthRule{Status: "DEGRADED", Window: 10 * time.Second}},
		{Name: "latency", SLO: &alerting.SLORule{SLI: "latency", Objective: 0.9, LatencyThreshold: 10 * time.Millisecond, By: "service",
			BurnRates: []alerting.BurnRate{{Severity: "ticket", Factor: 2, Long: 2 * time.Hour, Short: 10 * time.Second}}}},
		{Name: "latency-ok", SLO: &alerting.SLORule{SLI: "latency", Objective: 0.9, LatencyThreshold: time.Second,
			BurnRates: []alerting.BurnRate{{Severity: "ticket", Factor: 2, Long: 2 * time.Hour, Short: 10 * time.Second}}}},
		// windows of minutes: read from the minute rollups, not rounded to hours
		{Name: "latency-minutes", SLO: &alerting.SLORule{SLI: "latency", Objective: 0.9, LatencyThreshold: 10 * time.Millisecond,
			BurnRates: []alerting.BurnRate{{Severity: "ticket", Factor: 2, Long: 10 * time.Minute, Short: 5 * time.Minute}}}},
		{Name: "silent", Absence: &alerting.AbsenceRule{SilentFor: 10 * time.Second, Lookback: time.Hour}},
		{Name: "recommendation", Recommendation: &alerting.RecommendationRule{MinPriority: "HIGH"}},
		{Name: "other-tenant", Tenants: []string{"acme"}, Absence: &alerting.AbsenceRule{SilentFor: time.Second}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	metrics, err := alerting.NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	ev := alerting.NewEvaluator(cfg, metrics, zap.NewNop())
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	eval := func(at time.Duration) alerting.Result {
		t.Helper()
		res, err := ev.Evaluate(context.Background(), conn, now0.Add(at))
		if err != nil {
			t.Fatalf("evaluate at +%s: %v", at, err)
		}
		return res
	}
	states := func() map[string]string {
		t.Helper()
		rows, err := pool.Query(context.Background(), `SELECT rule, state FROM perf_alerts`)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		var rule, state string
		_, err = pgx.ForEachRow(rows, []any{&rule, &state}, func() error { m[rule] = state; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	outbox := func(rule, state string) int {
		return perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_alert_outbox WHERE payload->>'rule' = $1 AND payload->>'state' = $2`, rule, state)
	}
	check := func(what string, want map[string]string) {
		t.Helper()
		got := states()
		if len(got) != len(want) {
			t.Errorf("%s: states %v, want %v", what, got, want)
		}
		for r, s := range want {
			if got[r] != s {
				t.Errorf("%s: rule %s is %q, want %q (all: %v)", what, r, got[r], s, got)
			}
		}
	}

	eval(0)
	check("first evaluation", map[string]string{"health": "pending", "health-long": "pending", "latency": "firing", "latency-minutes": "firing", "recommendation": "firing"})
	if outbox("health", "firing") != 0 || outbox("latency", "firing") != 1 || outbox("recommendation", "firing") != 1 {
		t.Fatal("outbox after the first evaluation: only firing alerts belong there")
	}
	if l := perfdbtest.Scalar[string](t, pool, `SELECT labels::text FROM perf_alerts WHERE rule = 'recommendation'`); l !=
		`{"tenant": "shop", "category": "QUERY", "priority": "HIGH", "severity": "warning", "alertname": "recommendation", "recommendation_id": "rec-high"}` {
		t.Errorf("recommendation labels %s", l)
	}
	if l := perfdbtest.Scalar[string](t, pool, `SELECT labels::text FROM perf_alerts WHERE rule = 'latency'`); l !=
		`{"slo": "latency", "tenant": "shop", "service": "shop-api", "severity": "ticket", "alertname": "latency"}` {
		t.Errorf("latency labels %s (by service: no method, route)", l)
	}

	eval(3 * time.Second)
	check("after the health rule's for", map[string]string{"health": "firing", "health-long": "pending", "latency": "firing", "latency-minutes": "firing", "recommendation": "firing"})
	if outbox("health", "firing") != 1 || outbox("latency", "firing") != 1 {
		t.Fatal("a firing alert was enqueued twice, or the health alert not at all")
	}

	perfdbtest.Exec(t, pool, `UPDATE perf_recommendations SET status = 'RESOLVED', resolved_at = now() WHERE id = 'rec-high'`)
	res := eval(30 * time.Second)
	check("30s later, no traffic", map[string]string{"health": "resolved", "latency": "resolved", "latency-minutes": "firing", "recommendation": "resolved", "silent": "firing"})
	if res.Resolved != 3 || res.Fired != 1 {
		t.Errorf("result %+v, want 3 resolved, 1 fired", res)
	}
	for _, r := range []string{"health", "latency", "recommendation"} {
		if outbox(r, "resolved") != 1 {
			t.Errorf("rule %s: %d resolution rows, want 1", r, outbox(r, "resolved"))
		}
	}
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_alert_outbox WHERE payload->>'rule' = 'health-long'`); n != 0 {
		t.Errorf("the dropped pending alert has %d outbox rows", n)
	}
	// the firing and the resolution of one alert: distinct dedupe keys, same alert_key
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(DISTINCT dedupe_key) FROM perf_alert_outbox WHERE payload->>'rule' = 'latency'`); n != 2 {
		t.Errorf("latency's two notifications have %d dedupe keys", n)
	}

	// a rule removed from the configuration: its firing alert resolves, it is not left firing
	cfg.Rules = slices.DeleteFunc(cfg.Rules, func(r alerting.Rule) bool { return r.Name == "silent" })
	ev = alerting.NewEvaluator(cfg, metrics, zap.NewNop())
	if res := eval(31 * time.Second); res.Resolved != 1 {
		t.Errorf("after removing rule silent: %+v, want its alert resolved", res)
	}
	if st := states()["silent"]; st != "resolved" || outbox("silent", "resolved") != 1 {
		t.Errorf("removed rule's alert is %q with %d resolution rows", st, outbox("silent", "resolved"))
	}

	// 7 minutes on, the 5-minute window starts after the traffic's minute: resolved (an hourly
	// read would still see the traffic)
	eval(7 * time.Minute)
	if st := states()["latency-minutes"]; st != "resolved" {
		t.Errorf("latency-minutes is %q 7 minutes after the traffic, want resolved", st)
	}
}
