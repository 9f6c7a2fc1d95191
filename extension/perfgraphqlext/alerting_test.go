package perfgraphqlext

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The extension evaluates its rules on the scheduler's ticks and its sender delivers them:
// a failing endpoint's alert reaches the webhook, and the alerts query shows it to its
// tenant only; alertRules lists the rules that apply to the caller.
func TestAlertsThroughTheExtension(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	tid := perfgraphqltest.SeedTenant(t, pool, "shop")
	perfgraphqltest.SeedTenant(t, pool, "other")
	var mu sync.Mutex
	var got []alerting.Event
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev alerting.Event
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)

	// every request of the last seconds failed
	now := time.Now()
	perfgraphqltest.SeedRequests(t, pool, tid, now.Add(-3*time.Second), now, 60, 503, 1000, 7000)

	url := startExt(t, dsn, func(c *Config) {
		c.Scheduler.Enabled, c.Scheduler.Interval = true, time.Second
		c.Optimizer.Enabled = false
		c.Alerting.SendInterval = 50 * time.Millisecond
		c.Alerting.Webhook = alerting.WebhookConfig{Endpoint: hook.URL, Secret: "k"}
		c.Alerting.Rules = []alerting.Rule{
			{Name: "shop-availability", Tenants: []string{"shop"}, SLO: &alerting.SLORule{SLI: "availability", Objective: 0.999, By: "service",
				BurnRates: []alerting.BurnRate{{Severity: "page", Factor: 14.4, Long: time.Minute, Short: 30 * time.Second}}}},
			{Name: "everyone-silent", Absence: &alerting.AbsenceRule{SilentFor: time.Hour, Lookback: 2 * time.Hour}},
		}
	}, "shop", "other")

	const q = `{ alerts(state: FIRING) { rule state severity labels { name value } summary firedAt resolvedAt } alertRules { name kind condition } }`
	deadline := time.Now().Add(30 * time.Second)
	var alerts []any
	for {
		d := mustData(t, query(t, url, "token-shop", q, nil))
		alerts = d["alerts"].([]any)
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if len(alerts) > 0 && n > 0 {
			if rules := d["alertRules"].([]any); len(rules) != 2 {
				t.Fatalf("shop's alertRules %v, want both rules", rules)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no firing alert (%v) or webhook delivery (%d) within 30s", alerts, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a := alerts[0].(map[string]any)
	if a["rule"] != "shop-availability" || a["state"] != "FIRING" || a["severity"] != "page" || a["firedAt"] == nil || a["resolvedAt"] != nil {
		t.Fatalf("alert %v", a)
	}
	mu.Lock()
	ev := got[0]
	mu.Unlock()
	if ev.Tenant != "shop" || ev.Rule != "shop-availability" || ev.State != alerting.StateFiring || ev.Labels["service"] != "shop-api" {
		t.Fatalf("webhook event %+v", ev)
	}

	// the other tenant sees neither shop's alert nor the rule that applies to shop only
	d := mustData(t, query(t, url, "token-other", q, nil))
	if n := len(d["alerts"].([]any)); n != 0 {
		t.Fatalf("tenant other sees %d alerts of shop", n)
	}
	if rules := d["alertRules"].([]any); len(rules) != 1 || rules[0].(map[string]any)["name"] != "everyone-silent" {
		t.Fatalf("tenant other's alertRules %v", rules)
	}

	// the dashboard's banner query (panels.js) is valid and sees the alert
	resp, err := http.Get(strings.TrimSuffix(url, "/graphql") + "/panels.js")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile("const Q_ALERTS = `([^`]+)`").FindSubmatch(js)
	if m == nil {
		t.Fatal("panels.js has no Q_ALERTS")
	}
	d = mustData(t, query(t, url, "token-shop", string(m[1]), nil))
	if b := d["alerts"].([]any); len(b) != 1 || b[0].(map[string]any)["summary"] == "" {
		t.Fatalf("the dashboard's banner query answers %v", b)
	}
}
