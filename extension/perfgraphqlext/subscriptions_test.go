package perfgraphqlext

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// wsClient is a graphql-transport-ws client for the tests, on the server's WebSocket library.
type wsClient struct {
	t      *testing.T
	c      *websocket.Conn
	msgs   chan map[string]any
	closed chan websocket.CloseError
}

func dialWS(t *testing.T, url string, header http.Header, subprotocols ...string) *wsClient {
	t.Helper()
	if subprotocols == nil {
		subprotocols = []string{"graphql-transport-ws"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1),
		&websocket.DialOptions{HTTPHeader: header, Subprotocols: subprotocols})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	w := &wsClient{t: t, c: c, msgs: make(chan map[string]any, 100), closed: make(chan websocket.CloseError, 1)}
	go func() {
		for {
			_, data, err := c.Read(context.Background())
			if err != nil {
				var ce websocket.CloseError
				if !errors.As(err, &ce) {
					ce = websocket.CloseError{Code: -1, Reason: err.Error()}
				}
				w.closed <- ce
				return
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Errorf("server sent non-JSON %q", data)
			}
			w.msgs <- m
		}
	}()
	t.Cleanup(func() { _ = c.CloseNow() })
	return w
}

func (w *wsClient) send(m map[string]any) {
	w.t.Helper()
	b, _ := json.Marshal(m)
	if err := w.c.Write(context.Background(), websocket.MessageText, b); err != nil {
		w.t.Fatalf("write: %v", err)
	}
}

func (w *wsClient) next(timeout time.Duration) map[string]any {
	w.t.Helper()
	select {
	case m := <-w.msgs:
		return m
	case ce := <-w.closed:
		w.t.Fatalf("closed (%d %s) while waiting for a message", ce.Code, ce.Reason)
	case <-time.After(timeout):
		w.t.Fatalf("no message within %s", timeout)
	}
	return nil
}

// nothing asserts that no message arrives within d.
func (w *wsClient) nothing(d time.Duration) {
	w.t.Helper()
	select {
	case m := <-w.msgs:
		w.t.Fatalf("unexpected message %v", m)
	case <-time.After(d):
	}
}

func (w *wsClient) closeCode(timeout time.Duration) websocket.CloseError {
	w.t.Helper()
	for {
		select {
		case <-w.msgs:
		case ce := <-w.closed:
			return ce
		case <-time.After(timeout):
			w.t.Fatalf("not closed within %s", timeout)
		}
	}
}

func (w *wsClient) init(payload map[string]any) {
	w.t.Helper()
	w.send(map[string]any{"type": "connection_init", "payload": payload})
	if m := w.next(5 * time.Second); m["type"] != "connection_ack" {
		w.t.Fatalf("want connection_ack, got %v", m)
	}
}

func bearer(tenant string) map[string]any {
	return map[string]any{"Authorization": "Bearer token-" + tenant}
}

func subscribe(w *wsClient, id, q string) {
	w.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": q}})
}

func wantClose(t *testing.T, w *wsClient, code websocket.StatusCode, reasonPart string) {
	t.Helper()
	ce := w.closeCode(10 * time.Second)
	if ce.Code != code || !strings.Contains(ce.Reason, reasonPart) {
		t.Fatalf("closed with %d %q, want %d containing %q", ce.Code, ce.Reason, code, reasonPart)
	}
}

func TestSubscriptionProtocol(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	url := startExt(t, dsn, func(c *Config) {
		c.Limits.Subscriptions = SubscriptionLimitsConfig{MaxConnectionsPerTenant: 2, MaxPerConnection: 2,
			MaxMessagesPerSecond: 20, ConnectionInitTimeout: 300 * time.Millisecond, KeepAlive: time.Second}
	}, "acme", "globex")
	const alerts = `subscription { alertChanged { id state } }`

	t.Run("init ack, ping pong, query over subscribe, complete", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.init(bearer("acme"))
		w.send(map[string]any{"type": "ping", "payload": map[string]any{"x": 1}})
		if m := w.next(5 * time.Second); m["type"] != "pong" || m["payload"].(map[string]any)["x"] != 1.0 {
			t.Fatalf("want pong with the payload, got %v", m)
		}
		subscribe(w, "q", `{ monitoredDatabases { dbNamespace } }`)
		if m := w.next(10 * time.Second); m["type"] != "next" || m["id"] != "q" || m["payload"].(map[string]any)["data"] == nil {
			t.Fatalf("query: %v", m)
		}
		if m := w.next(5 * time.Second); m["type"] != "complete" || m["id"] != "q" {
			t.Fatalf("query end: %v", m)
		}
		subscribe(w, "bad", `subscription { nope }`)
		if m := w.next(5 * time.Second); m["type"] != "error" || m["id"] != "bad" {
			t.Fatalf("invalid subscription: %v", m)
		}
		// per connection limit: 2 running; complete frees a slot
		subscribe(w, "a1", alerts)
		subscribe(w, "a2", alerts)
		subscribe(w, "a3", alerts)
		if m := w.next(5 * time.Second); m["type"] != "error" || m["id"] != "a3" ||
			!strings.Contains(m["payload"].([]any)[0].(map[string]any)["message"].(string), "max_per_connection") {
			t.Fatalf("third subscription: %v", m)
		}
		w.send(map[string]any{"id": "a1", "type": "complete"})
		time.Sleep(100 * time.Millisecond)
		subscribe(w, "a3", alerts)
		w.nothing(300 * time.Millisecond) // accepted: no error, and no complete for a1 (the client ended it)
	})
	t.Run("subscription over HTTP is refused", func(t *testing.T) {
		r := query(t, url, "token-acme", `subscription { alertChanged { id } }`, nil)
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "WebSocket") {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("4401 invalid token", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer nope"}})
		wantClose(t, w, 4401, "invalid token")
	})
	t.Run("4401 no credentials", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.send(map[string]any{"type": "connection_init"})
		wantClose(t, w, 4401, "Unauthorized")
	})
	t.Run("4401 subscribe before ack", func(t *testing.T) {
		w := dialWS(t, url, nil)
		subscribe(w, "1", alerts)
		wantClose(t, w, 4401, "Unauthorized")
	})
	t.Run("401 on the upgrade with a bad header", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, resp, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1),
			&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer nope"}}, Subprotocols: []string{"graphql-transport-ws"}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("err %v resp %v", err, resp)
		}
	})
	t.Run("header token, payload of another tenant", func(t *testing.T) {
		w := dialWS(t, url, http.Header{"Authorization": {"Bearer token-acme"}})
		w.send(map[string]any{"type": "connection_init", "payload": bearer("globex")})
		wantClose(t, w, 4401, "different tenants")
	})
	t.Run("header token alone", func(t *testing.T) {
		w := dialWS(t, url, http.Header{"Authorization": {"Bearer token-acme"}})
		w.init(nil)
	})
	t.Run("4408 init timeout", func(t *testing.T) {
		w := dialWS(t, url, nil)
		wantClose(t, w, 4408, "timeout")
	})
	t.Run("4429 second init", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.init(bearer("globex"))
		w.send(map[string]any{"type": "connection_init", "payload": bearer("globex")})
		wantClose(t, w, 4429, "Too many initialisation requests")
	})
	t.Run("4409 same id", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.init(bearer("globex"))
		subscribe(w, "x", alerts)
		subscribe(w, "x", alerts)
		wantClose(t, w, 4409, "already exists")
	})
	t.Run("4400 invalid message", func(t *testing.T) {
		w := dialWS(t, url, nil)
		if err := w.c.Write(context.Background(), websocket.MessageText, []byte("{not json")); err != nil {
			t.Fatal(err)
		}
		wantClose(t, w, 4400, "Invalid message")
		w = dialWS(t, url, nil)
		w.send(map[string]any{"type": "bogus"})
		wantClose(t, w, 4400, "unknown type")
	})
	t.Run("4406 without the subprotocol", func(t *testing.T) {
		w := dialWS(t, url, nil, "graphql-ws")
		wantClose(t, w, 4406, "Subprotocol")
	})
	t.Run("1008 message rate", func(t *testing.T) {
		w := dialWS(t, url, nil)
		w.init(bearer("globex"))
		for range 60 {
			b, _ := json.Marshal(map[string]any{"type": "pong"})
			if w.c.Write(context.Background(), websocket.MessageText, b) != nil {
				break
			}
		}
		wantClose(t, w, websocket.StatusPolicyViolation, "max_messages_per_second")
	})
	t.Run("4403 connections per tenant", func(t *testing.T) {
		// acme: the first subtest's and the header one's may still be open; open until refused
		var open []*wsClient
		for i := 0; ; i++ {
			if i > 3 {
				t.Fatal("no connection was refused")
			}
			w := dialWS(t, url, nil)
			w.send(map[string]any{"type": "connection_init", "payload": bearer("acme")})
			select {
			case m := <-w.msgs:
				if m["type"] != "connection_ack" {
					t.Fatalf("%v", m)
				}
				open = append(open, w)
				continue
			case ce := <-w.closed:
				if ce.Code != 4403 || !strings.Contains(ce.Reason, "max_connections_per_tenant") {
					t.Fatalf("closed with %d %q", ce.Code, ce.Reason)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no answer")
			}
			break
		}
		if len(open) > 2 {
			t.Fatalf("%d connections accepted over the limit of 2", len(open))
		}
		// another tenant is not affected
		dialWS(t, url, nil).init(bearer("globex"))
	})
}

// Events reach the subscribers of their tenant only: an alert published to the hub, a
// recommendation written to the database (its trigger NOTIFYs, the listener hears it), and
// a refresh that changed the overview.
func TestSubscriptionEventsAreTenantScoped(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	ta := perfgraphqltest.SeedTenant(t, pool, "acme", fpA)
	tb := perfgraphqltest.SeedTenant(t, pool, "globex", fpB)
	now := time.Now().UTC()
	from := now.Truncate(time.Hour).Add(-3 * time.Hour)
	perfgraphqltest.SeedTraffic(t, pool, ta, from, now.Add(-2*time.Hour), 40, fpA, 5)
	perfgraphqltest.SeedTraffic(t, pool, tb, from, now.Add(-2*time.Hour), 70, fpB, 6)
	perfgraphqltest.Refresh(t, pool, "acme")
	perfgraphqltest.Refresh(t, pool, "globex")
	ext, url := startExtension(t, dsn, func(c *Config) {
		// a short read timeout and keepalive: the subscription outlives many of them
		c.ServerConfig.ReadTimeout = 300 * time.Millisecond
		c.ServerConfig.WriteTimeout = 300 * time.Millisecond
		c.Limits.Subscriptions.KeepAlive = 200 * time.Millisecond
	}, "acme", "globex")

	const ov = `subscription { overview(timeRange: LAST_6_HOURS) { totalRequests healthScore rangeTo } }`
	a, b := dialWS(t, url, nil), dialWS(t, url, nil)
	a.init(bearer("acme"))
	b.init(bearer("globex"))
	for _, w := range []*wsClient{a, b} {
		subscribe(w, "ov", ov)
		subscribe(w, "rec", `subscription { recommendationChanged { id priority status title } }`)
		subscribe(w, "al", `subscription { alertChanged { id state rule changedAt } }`)
	}
	first := func(w *wsClient) float64 {
		m := w.next(10 * time.Second)
		if m["type"] != "next" || m["id"] != "ov" {
			t.Fatalf("want the first overview, got %v", m)
		}
		return m["payload"].(map[string]any)["data"].(map[string]any)["overview"].(map[string]any)["totalRequests"].(float64)
	}
	ra, rb := first(a), first(b)
	if ra == 0 || rb == 0 || ra == rb {
		t.Fatalf("first overviews: acme %v globex %v", ra, rb)
	}
	// the listener is connected: it announced itself to the subscribed tenants
	waitFor(t, func() bool { return ext.hub.Subscribers("acme") == 3 })

	// held open across several read/write timeouts
	time.Sleep(1500 * time.Millisecond)

	// an alert of acme, published in process as the alerting evaluation will
	ext.hub.Publish("acme", livehub.Event{Kind: livehub.KindAlert, ID: "al-1", Detail: map[string]string{"state": "firing", "rule": "slo"}})
	// (an overview may come between: its window moves with the clock, and a moved window
	// may change a figure)
	m := a.next(5 * time.Second)
	for m["id"] == "ov" {
		m = a.next(5 * time.Second)
	}
	if m["id"] != "al" || !strings.Contains(mustJSONString(m), `"state":"firing"`) || !strings.Contains(mustJSONString(m), `"rule":"slo"`) {
		t.Fatalf("alert: %v", m)
	}

	// a recommendation of acme, written as the engine writes it
	perfdbtest.Exec(t, pool, `INSERT INTO perf_recommendations (tenant_id, id, category, kind, priority, title, description, impact, effort, recommendation, implementation)
		VALUES ($1, 'acme-rec', 'QUERY', 'SLOW_QUERY', 'HIGH', 'acme title', 'd', 'i', 'e', 'r', 'x')`, ta)
	// the overview's top bottlenecks now hold the recommendation: that overview is sent too
	gotRec, gotOv, ovSeen := false, false, 0
	for !gotRec || !gotOv {
		m = a.next(10 * time.Second)
		switch m["id"] {
		case "rec":
			if !strings.Contains(mustJSONString(m), `"id":"acme-rec"`) || !strings.Contains(mustJSONString(m), `"status":"NEW"`) {
				t.Fatalf("recommendation: %v", m)
			}
			gotRec = true
			// new data: refreshed, announced as the scheduler does
			perfgraphqltest.SeedTraffic(t, pool, ta, from.Add(time.Hour), from.Add(2*time.Hour), 40, fpA, 9)
			perfgraphqltest.Refresh(t, pool, "acme")
			tx, err := pool.Begin(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if err := livehub.Notify(context.Background(), tx, "acme", livehub.Event{Kind: livehub.KindRefresh}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(context.Background()); err != nil {
				t.Fatal(err)
			}
		case "ov":
			ovSeen++
			got := m["payload"].(map[string]any)["data"].(map[string]any)["overview"].(map[string]any)["totalRequests"].(float64)
			switch {
			case got > ra:
				gotOv = true
			case ovSeen > 3:
				t.Fatalf("overview after new data: %v requests, before %v", got, ra)
			}
		default:
			t.Fatalf("unexpected %v", m)
		}
	}
	// globex heard nothing of acme's
	// (only its own overview may come again, as the window moves)
	for end := time.After(500 * time.Millisecond); ; {
		select {
		case m := <-b.msgs:
			if m["id"] != "ov" || m["payload"].(map[string]any)["data"].(map[string]any)["overview"].(map[string]any)["totalRequests"].(float64) != rb {
				t.Fatalf("globex got %v", m)
			}
			continue
		case <-end:
		}
		break
	}
	_ = tb
}

func mustJSONString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A client that stops answering the keepalive pings is closed (1001) after one period.
func TestSubscriptionKeepaliveClosesASilentPeer(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	url := startExt(t, dsn, func(c *Config) { c.Limits.Subscriptions.KeepAlive = 200 * time.Millisecond }, "acme")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	b, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": bearer("acme")})
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("ack: %s %v", msg, err)
	}
	time.Sleep(time.Second) // not reading: the pings go unanswered
	_, _, err = c.Read(ctx)
	if s := websocket.CloseStatus(err); s != websocket.StatusGoingAway {
		t.Fatalf("read after silence: %v (status %d), want close 1001", err, s)
	}
}
