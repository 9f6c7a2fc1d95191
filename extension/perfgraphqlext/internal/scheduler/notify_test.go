package scheduler

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A tick that refreshes a tenant's rollups announces it on the live events channel (every
// replica's subscriptions re-read); a tick with nothing new announces no refresh.
func TestSchedulerAnnouncesRefreshesToSubscribers(t *testing.T) {
	const fp = int64(0x0aaa_0000_0000_0002)
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "busy", fp)
	base := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, tid, base, base.Add(2*time.Hour), 20, fp, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	listener, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(context.Background())
	if _, err := listener.Exec(ctx, "LISTEN "+livehub.Channel); err != nil {
		t.Fatal(err)
	}

	cfg := Config{DSN: dsn, Interval: time.Minute, PremakeDays: 3, Optimizer: optimizer.DefaultConfig(),
		Retention: Retention{Logs: 720 * time.Hour, Resources: 720 * time.Hour, HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour}}
	metrics, err := NewMetrics(noop.NewMeterProvider())
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, zap.NewNop(), metrics)
	t.Cleanup(s.Close)
	events := func() []map[string]string {
		var out []map[string]string
		for {
			wctx, wcancel := context.WithTimeout(ctx, 500*time.Millisecond)
			n, err := listener.WaitForNotification(wctx)
			wcancel()
			if err != nil {
				return out
			}
			var p map[string]string
			if err := json.Unmarshal([]byte(n.Payload), &p); err != nil {
				t.Fatalf("payload %q: %v", n.Payload, err)
			}
			out = append(out, p)
		}
	}
	if _, err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := events()
	if len(got) == 0 || got[0]["tenant"] != "busy" || got[0]["kind"] != livehub.KindRefresh {
		t.Fatalf("after a refresh: %v", got)
	}
	if _, err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range events() {
		if e["kind"] == livehub.KindRefresh {
			t.Fatalf("a tick without new data announced %v", e)
		}
	}
}
