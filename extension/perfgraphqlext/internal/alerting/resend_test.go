package alerting_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A firing alert is re-sent to Alertmanager every resend_interval, with its original
// startsAt and an endsAt a few intervals ahead; never before its firing notification was
// delivered, and not once resolved.
func TestAlertmanagerResend(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop")
	now0 := time.Now().UTC()
	requests(t, pool, tid, now0.Add(-2*time.Second), now0, 20, 503)
	perfgraphqltest.Refresh(t, pool, "shop")

	type post struct {
		Labels   map[string]string `json:"labels"`
		StartsAt time.Time         `json:"startsAt"`
		EndsAt   time.Time         `json:"endsAt"`
	}
	var mu sync.Mutex
	var posts [][]post
	down := true
	am := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path != "/api/v2/alerts" || r.Method != http.MethodPost {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if down {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var p []post
		if err := json.Unmarshal(body, &p); err != nil {
			t.Error(err)
		}
		posts = append(posts, p)
	}))
	t.Cleanup(am.Close)
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(posts) }

	cfg := alerting.DefaultConfig()
	cfg.Alertmanager.Endpoint = am.URL
	cfg.ResendInterval = time.Second
	cfg.Retry = alerting.RetryConfig{InitialInterval: time.Hour, MaxInterval: time.Hour}
	cfg.Rules = []alerting.Rule{{Name: "availability", SLO: &alerting.SLORule{SLI: "availability", Objective: 0.99,
		BurnRates: []alerting.BurnRate{{Severity: "page", Factor: 10, Long: 10 * time.Second, Short: 5 * time.Second}}}}}
	metrics, _ := alerting.NewMetrics(noop.NewMeterProvider())
	ev := alerting.NewEvaluator(cfg, metrics, zap.NewNop())
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if res, err := ev.Evaluate(context.Background(), conn, now0); err != nil || res.Fired != 1 {
		t.Fatalf("evaluate: %+v, %v", res, err)
	}
	sender := alerting.NewSender(pool, cfg, metrics, zap.NewNop())

	// Alertmanager down: the firing notification waits (backoff 1h), and no re-send overtakes it
	_, _ = sender.Flush(context.Background())
	time.Sleep(1100 * time.Millisecond)
	_, _ = sender.Flush(context.Background())
	if n := count(); n != 0 {
		t.Fatalf("%d posts reached Alertmanager while it was down", n)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	perfdbtest.Exec(t, pool, `UPDATE perf_alert_outbox SET next_attempt = now()`)
	if _, err := sender.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d posts after Alertmanager came back, want the firing notification", n)
	}
	// re-sent once per interval
	_, _ = sender.Flush(context.Background())
	if n := count(); n != 1 {
		t.Fatalf("re-sent before resend_interval: %d posts", n)
	}
	time.Sleep(1100 * time.Millisecond)
	_, _ = sender.Flush(context.Background())
	if n := count(); n != 2 {
		t.Fatalf("%d posts after resend_interval, want 2", n)
	}
	mu.Lock()
	first, again := posts[0][0], posts[1][0]
	mu.Unlock()
	if !first.StartsAt.Equal(again.StartsAt) || first.Labels["alertname"] != "availability" || again.Labels["alertname"] != "availability" ||
		again.EndsAt.Before(time.Now().Add(3*time.Second)) {
		t.Fatalf("re-send %+v of %+v: same startsAt, endsAt a few intervals ahead", again, first)
	}
}
