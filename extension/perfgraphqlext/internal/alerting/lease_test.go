package alerting_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A sender that died after claiming a notification (its lease set, nothing recorded) leaves
// it to the next sender once the lease expires; no sender takes a leased row before that.
func TestLeasedRowOfADeadSender(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop")
	now0 := time.Now().UTC()
	requests(t, pool, tid, now0.Add(-2*time.Second), now0, 20, 503)
	perfgraphqltest.Refresh(t, pool, "shop")
	hook := startWebhook(t, webhookSecret)

	cfg := alerting.DefaultConfig()
	cfg.Webhook = alerting.WebhookConfig{Endpoint: hook.URL, Secret: webhookSecret}
	cfg.Rules = []alerting.Rule{{Name: "availability", SLO: &alerting.SLORule{SLI: "availability", Objective: 0.99,
		BurnRates: []alerting.BurnRate{{Severity: "page", Factor: 10, Long: 10 * time.Second, Short: 5 * time.Second}}}}}
	metrics, _ := alerting.NewMetrics(noop.NewMeterProvider())
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if res, err := alerting.NewEvaluator(cfg, metrics, zap.NewNop()).Evaluate(context.Background(), conn, now0); err != nil || res.Fired != 1 {
		t.Fatalf("evaluate: %+v, %v", res, err)
	}
	// the dead sender's claim: leased for 1.5 s, one attempt
	perfdbtest.Exec(t, pool, `UPDATE perf_alert_outbox SET lease_until = now() + interval '1.5 seconds', attempts = 1`)

	sender := alerting.NewSender(pool, cfg, metrics, zap.NewNop())
	if n, err := sender.Flush(context.Background()); err != nil || n != 0 {
		t.Fatalf("flush during the lease sent %d (%v), want 0", n, err)
	}
	time.Sleep(1600 * time.Millisecond)
	if n, err := sender.Flush(context.Background()); err != nil || n != 1 {
		t.Fatalf("flush after the lease sent %d (%v), want 1", n, err)
	}
	evs := hook.Events()
	key := perfdbtest.Scalar[string](t, pool, `SELECT dedupe_key FROM perf_alert_outbox`)
	if len(evs) != 1 || evs[0].DedupeKey != key || evs[0].State != alerting.StateFiring {
		t.Fatalf("webhook got %+v, want the firing notification with key %s", evs, key)
	}
	if a := perfdbtest.Scalar[int](t, pool, `SELECT attempts FROM perf_alert_outbox WHERE sent_at IS NOT NULL`); a != 2 {
		t.Fatalf("attempts %d, want 2 (the dead sender's and this one)", a)
	}
}
