package alerting_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/scheduler"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

const webhookSecret = "s3cret"

// A failing endpoint burns its availability SLO: the alert fires in Alertmanager, on NATS
// and on the webhook, once per state change, and resolves when the endpoint recovers. The
// leader is killed between evaluation and delivery, Alertmanager is down for a while and the
// webhook's first answer is lost: all of it delays delivery, none of it loses or changes a
// notification (repeats carry the same dedupe key).
func TestAlertDeliveryAtLeastOnce(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop")
	am := startAlertmanager(t)
	natsURL := startNATS(t)
	hook := startWebhook(t, webhookSecret)

	acfg := alerting.DefaultConfig()
	acfg.DashboardURL = "http://perf.example:4000/"
	acfg.ResendInterval = time.Hour // re-sends are tested on their own
	acfg.Timeout = 2 * time.Second
	acfg.Retry = alerting.RetryConfig{InitialInterval: 100 * time.Millisecond, MaxInterval: 400 * time.Millisecond}
	acfg.Alertmanager.Endpoint = am.URL
	acfg.NATS = alerting.NATSConfig{URL: natsURL, SubjectPrefix: "perf.alerts", Stream: "PERF_ALERTS"}
	acfg.Webhook = alerting.WebhookConfig{Endpoint: hook.URL, Secret: webhookSecret}
	acfg.ApdexTarget = 500 * time.Millisecond
	acfg.Rules = []alerting.Rule{{Name: "orders-availability", Tenants: []string{"shop"}, SLO: &alerting.SLORule{
		SLI: "availability", Objective: 0.99, Service: "shop-api",
		BurnRates: []alerting.BurnRate{{Severity: "page", Factor: 14.4, Long: 30 * time.Second, Short: 10 * time.Second}}}}}
	if err := acfg.Validate(); err != nil {
		t.Fatal(err)
	}
	reader := sdkmetric.NewManualReader()
	metrics, err := alerting.NewMetrics(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	if err != nil {
		t.Fatal(err)
	}
	smetrics, err := scheduler.NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	oc := optimizer.DefaultConfig()
	oc.Enabled = false
	newScheduler := func() *scheduler.Scheduler {
		s := scheduler.New(scheduler.Config{DSN: dsn, Interval: time.Second, PremakeDays: 1, Optimizer: oc,
			Retention: scheduler.Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour},
			Alerts:    alerting.NewEvaluator(acfg, metrics, zap.NewNop())}, zap.NewNop(), smetrics)
		t.Cleanup(s.Close)
		return s
	}
	tick := func(s *scheduler.Scheduler, what string) scheduler.TickResult {
		t.Helper()
		// the old leader's lock goes when its server process ends, shortly after Close
		deadline := time.Now().Add(10 * time.Second)
		for {
			res, err := s.Tick(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if res.Leader {
				return res
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not the leader", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	unsent := func() int {
		return perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_alert_outbox WHERE sent_at IS NULL`)
	}
	sender := alerting.NewSender(pool, acfg, metrics, zap.NewNop())
	t.Cleanup(sender.Close)
	flush := func() {
		t.Helper()
		_, _ = sender.Flush(context.Background()) // failures are the outbox's business
	}

	// the endpoint fails: every request of the last 3 s is a 500 (the short window holds
	// nothing else for 7 s, time enough for the steps below)
	now := time.Now()
	requests(t, pool, tid, now.Add(-20*time.Second), now.Add(-10*time.Second), 40, 200)
	requests(t, pool, tid, now.Add(-3*time.Second), now, 40, 500)
	leader := newScheduler()
	if res := tick(leader, "burning tick"); res.Alerts.Fired != 1 {
		t.Fatalf("burning tick fired %d alerts, want 1 (%+v)", res.Alerts.Fired, res.Alerts)
	}
	if n := unsent(); n != 3 {
		t.Fatalf("%d outbox rows after firing, want 3 (one per notifier)", n)
	}
	// the leader dies before its sender ran; Alertmanager is down; the webhook's answer is lost
	leader.Close()
	am.Stop()
	hook.failNext.Store(1)

	next := newScheduler()
	if res := tick(next, "new leader's tick"); res.Alerts.Fired != 0 {
		t.Fatalf("the new leader fired again: %+v", res.Alerts)
	}
	flush()
	if n := perfdbtest.Scalar[int](t, pool, `SELECT count(*) FROM perf_alert_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error <> ''`); n != 2 {
		t.Fatalf("%d rows failed once, want 2 (alertmanager down, webhook answer lost)", n)
	}
	if msgs := natsMessages(t, natsURL, "PERF_ALERTS"); len(msgs) != 1 {
		t.Fatalf("NATS has %d messages, want 1", len(msgs))
	}

	am.Start()
	time.Sleep(150 * time.Millisecond) // the backoff of the first retry
	flush()
	if n := unsent(); n != 0 {
		t.Fatalf("%d outbox rows unsent after Alertmanager came back", n)
	}
	alerts := am.Alerts()
	if len(alerts) != 1 {
		t.Fatalf("Alertmanager has %d alerts, want 1: %+v", len(alerts), alerts)
	}
	a := alerts[0]
	for k, want := range map[string]string{"alertname": "orders-availability", "tenant": "shop", "service": "shop-api",
		"severity": "page", "method": "GET", "route": "/shop/orders/{id}", "slo": "availability"} {
		if a.Labels[k] != want {
			t.Errorf("Alertmanager label %s = %q, want %q (%v)", k, a.Labels[k], want, a.Labels)
		}
	}
	if a.Status.State != "active" || a.GeneratorURL != "http://perf.example:4000/#alerts" || a.Annotations["summary"] == "" {
		t.Errorf("Alertmanager alert %+v", a)
	}

	firing := hook.Events()
	if len(firing) != 2 || firing[0].DedupeKey != firing[1].DedupeKey || firing[0].State != alerting.StateFiring {
		t.Fatalf("webhook got %+v, want the firing event twice with one dedupe key (first answer lost)", firing)
	}
	msgs := natsMessages(t, natsURL, "PERF_ALERTS")
	if len(msgs) != 1 || msgs[0].Subject != "perf.alerts.shop" || msgs[0].Header.Get("Nats-Msg-Id") != firing[0].DedupeKey {
		t.Fatalf("NATS messages %+v, want one on perf.alerts.shop with Nats-Msg-Id %s", msgs, firing[0].DedupeKey)
	}

	// still burning: no new state, nothing new sent
	tick(next, "tick while burning")
	flush()
	if n := len(hook.Events()); n != 2 {
		t.Fatalf("webhook got %d requests while nothing changed, want still 2", n)
	}

	// a repeat of the NATS delivery (as after a lost acknowledgement) is dropped by JetStream
	perfdbtest.Exec(t, pool, `UPDATE perf_alert_outbox SET sent_at = NULL WHERE notifier = 'nats'`)
	flush()
	if msgs := natsMessages(t, natsURL, "PERF_ALERTS"); len(msgs) != 1 {
		t.Fatalf("a repeated publish with the same Nats-Msg-Id stored %d messages, want 1", len(msgs))
	}

	// the endpoint recovers: 400 successes bring the short window's error share to 40/440,
	// a burn rate of 9 (under 14.4)
	now = time.Now()
	requests(t, pool, tid, now.Add(-time.Second), now, 400, 200)
	if res := tick(next, "recovered tick"); res.Alerts.Resolved != 1 {
		t.Fatalf("recovered tick resolved %d alerts, want 1 (%+v)", res.Alerts.Resolved, res.Alerts)
	}
	flush()
	if n := unsent(); n != 0 {
		t.Fatalf("%d outbox rows unsent after resolving", n)
	}
	if alerts := am.Alerts(); len(alerts) != 0 {
		t.Fatalf("Alertmanager still lists %+v after the resolution", alerts)
	}
	evs := hook.Events()
	if len(evs) != 3 || evs[2].State != alerting.StateResolved || evs[2].EndsAt == nil || evs[2].DedupeKey == evs[0].DedupeKey {
		t.Fatalf("webhook events %+v, want a third: resolved, with its own dedupe key", evs)
	}
	msgs = natsMessages(t, natsURL, "PERF_ALERTS")
	if len(msgs) != 2 || msgs[1].Header.Get("Nats-Msg-Id") != evs[2].DedupeKey {
		t.Fatalf("NATS messages %d, want 2, the second the resolution", len(msgs))
	}
	if st := perfdbtest.Scalar[string](t, pool, `SELECT state FROM perf_alerts WHERE rule = 'orders-availability'`); st != alerting.StateResolved {
		t.Fatalf("perf_alerts state %s", st)
	}

	// self-telemetry: what happened above, per notifier
	for _, c := range []struct {
		name, attr, value string
		want              int64
	}{
		{"otelcol_perfgraphql_alert_evaluations", "kind", "slo", 4},
		{"otelcol_perfgraphql_alert_notifications_sent", "notifier", "alertmanager", 2},
		{"otelcol_perfgraphql_alert_notifications_failed", "notifier", "alertmanager", 1},
		{"otelcol_perfgraphql_alert_notifications_retried", "notifier", "alertmanager", 1},
		{"otelcol_perfgraphql_alert_notifications_sent", "notifier", "webhook", 2},
		{"otelcol_perfgraphql_alert_notifications_failed", "notifier", "webhook", 1},
		{"otelcol_perfgraphql_alert_notifications_retried", "notifier", "webhook", 1},
		{"otelcol_perfgraphql_alert_notifications_sent", "notifier", "nats", 3}, // the forced repeat included
		{"otelcol_perfgraphql_alert_notifications_failed", "notifier", "nats", 0},
	} {
		if got := counter(t, reader, c.name, c.attr, c.value); got != c.want {
			t.Errorf("%s{%s=%s} = %d, want %d", c.name, c.attr, c.value, got, c.want)
		}
	}
}

// counter sums an Int64 counter's points whose attribute attr is value.
func counter(t *testing.T, reader *sdkmetric.ManualReader, name, attr, value string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				if v, ok := p.Attributes.Value(attribute.Key(attr)); ok && v.AsString() == value {
					n += p.Value
				}
			}
		}
	}
	return n
}
