package livehub

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func next(t *testing.T, s *Sub) Event {
	t.Helper()
	select {
	case ev := <-s.C:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
	}
	return Event{}
}

func none(t *testing.T, s *Sub, d time.Duration) {
	t.Helper()
	select {
	case ev := <-s.C:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}

func TestHubDeliversToTheTenantOnly(t *testing.T) {
	h := New()
	a, b := h.Subscribe("a"), h.Subscribe("b")
	h.Publish("a", Event{Kind: KindAlert, ID: "x", Detail: map[string]string{"state": "firing"}})
	if ev := next(t, a); ev.Kind != KindAlert || ev.ID != "x" || ev.Detail["state"] != "firing" {
		t.Fatalf("a got %+v", ev)
	}
	none(t, b, 50*time.Millisecond)
	a.Close()
	a.Close()
	h.Publish("a", Event{Kind: KindRefresh})
	if n := h.Subscribers("a"); n != 0 {
		t.Fatalf("subscribers of a after Close: %d", n)
	}
	// a full buffer drops instead of blocking the publisher
	for range subscriberBuffer + 5 {
		h.Publish("b", Event{Kind: KindRefresh})
	}
	if d := h.Dropped.Load(); d != 5 {
		t.Fatalf("dropped %d, want 5", d)
	}
}

// The writers of the channel, Notify (the scheduler) and the triggers of perf_recommendations and perf_alerts,
// reach the hub of another connection on commit only, with the tenant's name.
func TestListenHearsNotifyAndTheRecommendationTrigger(t *testing.T) {
	pool, dsn := perfdbtest.NewMigratedPool(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := New()
	acme, other := h.Subscribe("acme"), h.Subscribe("other")
	ready := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() { defer close(done); Listen(ctx, dsn, h, zap.NewNop(), func() { ready <- struct{}{} }) }()
	<-ready
	// the (re)connection asks every subscribed tenant to read again
	for _, s := range []*Sub{acme, other} {
		if ev := next(t, s); ev.Kind != KindRefresh {
			t.Fatalf("after connecting: %+v", ev)
		}
	}

	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := Notify(ctx, tx, "acme", Event{Kind: KindRefresh}); err != nil {
		t.Fatal(err)
	}
	none(t, acme, 200*time.Millisecond) // not before commit
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, acme); ev.Kind != KindRefresh || ev.ID != "" || ev.Detail != nil {
		t.Fatalf("acme got %+v", ev)
	}
	// as the alerting evaluation will announce a state change
	if err := Notify(ctx, pool, "acme", Event{Kind: KindAlert, ID: "a-1", Detail: map[string]string{"state": "firing", "rule": "checkout-slo"}}); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, acme); ev.Kind != KindAlert || ev.ID != "a-1" || ev.Detail["state"] != "firing" || ev.Detail["rule"] != "checkout-slo" {
		t.Fatalf("alert: %+v", ev)
	}

	tid := perfdbtest.Scalar[int32](t, pool, "INSERT INTO perf_tenants(name) VALUES ('acme') RETURNING tenant_id")
	perfdbtest.Exec(t, pool, `INSERT INTO perf_recommendations (tenant_id, id, category, priority, title, description, impact, effort, recommendation, implementation)
		VALUES ($1, 'r1', 'QUERY', 'HIGH', 't', 'd', 'i', 'e', 'r', 'x')`, tid)
	if ev := next(t, acme); ev.Kind != KindRecommendation || ev.ID != "r1" {
		t.Fatalf("insert: %+v", ev)
	}
	// re-detection alone is no change
	perfdbtest.Exec(t, pool, `UPDATE perf_recommendations SET runs = runs + 1, last_detected = now() WHERE id = 'r1'`)
	none(t, acme, 300*time.Millisecond)
	perfdbtest.Exec(t, pool, `UPDATE perf_recommendations SET priority = 'CRITICAL' WHERE id = 'r1'`)
	if ev := next(t, acme); ev.Kind != KindRecommendation || ev.ID != "r1" {
		t.Fatalf("priority change: %+v", ev)
	}
	perfdbtest.Exec(t, pool, `UPDATE perf_recommendations SET status = 'RESOLVED', resolved_at = now() WHERE id = 'r1'`)
	if ev := next(t, acme); ev.Kind != KindRecommendation || ev.ID != "r1" {
		t.Fatalf("resolved: %+v", ev)
	}
	// the alerting evaluation's state changes, through the trigger of perf_alerts
	perfdbtest.Exec(t, pool, `INSERT INTO perf_alerts (tenant_id, rule, fingerprint, labels, state, active_since, last_eval)
		VALUES ($1, 'checkout-slo', 'fp1', '{}', 'pending', now(), now())`, tid)
	if ev := next(t, acme); ev.Kind != KindAlert || ev.ID != "fp1" || ev.Detail["state"] != "pending" || ev.Detail["rule"] != "checkout-slo" {
		t.Fatalf("alert pending: %+v", ev)
	}
	perfdbtest.Exec(t, pool, `UPDATE perf_alerts SET last_eval = now() WHERE fingerprint = 'fp1'`)
	none(t, acme, 300*time.Millisecond)
	perfdbtest.Exec(t, pool, `UPDATE perf_alerts SET state = 'firing', fired_at = now() WHERE fingerprint = 'fp1'`)
	if ev := next(t, acme); ev.Kind != KindAlert || ev.Detail["state"] != "firing" {
		t.Fatalf("alert firing: %+v", ev)
	}
	none(t, other, 100*time.Millisecond)
	cancel()
	<-done
}
