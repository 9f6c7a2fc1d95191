// Package gqlws serves GraphQL subscriptions over WebSocket in the graphql-transport-ws
// protocol (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md), the one the
// graphql-ws, Apollo and urql clients speak.
//
// The WebSocket library is github.com/coder/websocket (formerly nhooyr.io/websocket): it is
// maintained, its every call takes a context (so a stuck client costs a timeout, not a
// goroutine), writes are safe from several goroutines (the results of many subscriptions
// share one socket), and Ping waits for the pong, which is what a keepalive needs.
package gqlws

import (
	"context"
	"encoding/json"

	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// Subprotocol is the WebSocket subprotocol served.
const Subprotocol = "graphql-transport-ws"

// Close codes of graphql-transport-ws, and the standard one for a broken policy.
const (
	CloseInvalidMessage         websocket.StatusCode = 4400
	CloseUnauthorized           websocket.StatusCode = 4401
	CloseForbidden              websocket.StatusCode = 4403
	CloseSubprotocol            websocket.StatusCode = 4406
	CloseInitTimeout            websocket.StatusCode = 4408
	CloseSubscriberExists       websocket.StatusCode = 4409
	CloseTooManyInitialisations websocket.StatusCode = 4429
	CloseInternal               websocket.StatusCode = 4500
	// ClosePolicy (1008): the client sent messages faster than the limit.
	ClosePolicy = websocket.StatusPolicyViolation
)

// Limits of the subscriptions (perfgraphql limits.subscriptions).
type Limits struct {
	ConnectionsPerTenant       int           // open sockets of one tenant, across its clients
	SubscriptionsPerConnection int           // operations running at once on one socket
	MessagesPerSecond          float64       // client messages, sustained (bursts of twice that)
	InitTimeout                time.Duration // from the upgrade to connection_init
	KeepAlive                  time.Duration // WebSocket ping period; no pong within it closes
	WriteTimeout               time.Duration // one message to the client
	MaxMessageBytes            int64         // one client message
}

// Executor runs one operation of a subscribe message for tenant (graphqlapi.API.Subscribe).
type Executor func(ctx context.Context, tenant, query, operation string, vars map[string]any) (<-chan *graphql.Result, []gqlerrors.FormattedError)

// Authenticator decides the tenant of a connection from the Authorization of its
// connection_init payload ("" when it has none) and what the upgrade request carried.
type Authenticator func(initAuthorization string) (string, error)

// Metrics of the server; nil instruments are not recorded.
type Metrics struct {
	Active metric.Int64UpDownCounter // subscriptions running
	Sent   metric.Int64Counter       // messages sent (next, error, complete)
}

// NewMetrics makes the instruments on m.
func NewMetrics(m metric.Meter) (*Metrics, error) {
	active, err := m.Int64UpDownCounter("otelcol_perfgraphql_subscriptions_active",
		metric.WithDescription("GraphQL subscriptions running over WebSocket"), metric.WithUnit("{subscription}"))
	if err != nil {
		return nil, err
	}
	sent, err := m.Int64Counter("otelcol_perfgraphql_subscription_messages_sent",
		metric.WithDescription("graphql-transport-ws messages sent to clients (attribute type: next, error, complete)"), metric.WithUnit("{message}"))
	if err != nil {
		return nil, err
	}
	return &Metrics{Active: active, Sent: sent}, nil
}

// Server serves graphql-transport-ws connections.
type Server struct {
	Limits  Limits
	Exec    Executor
	Logger  *zap.Logger
	Metrics *Metrics

	mu        sync.Mutex
	perTenant map[string]int
	once      sync.Once
	base      context.Context // canceled by Close
	stop      context.CancelFunc
	conns     sync.WaitGroup
}

func (s *Server) init() {
	s.once.Do(func() { s.base, s.stop = context.WithCancel(context.Background()) })
}

// Close ends every connection (1001 going away) and waits for them: the HTTP server's
// Shutdown does not wait for hijacked connections.
func (s *Server) Close() {
	s.init()
	s.stop()
	s.conns.Wait()
}

// IsUpgrade tells a WebSocket upgrade request.
func IsUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type subscribePayload struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// Serve upgrades r and runs the connection until it closes.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, auth Authenticator) {
	// The server's read_timeout and write_timeout are deadlines on the connection set for
	// one HTTP request; a subscription lasts far longer. Hijacking clears them (net/http),
	// and they are cleared here too in case a wrapper hijacks differently; the keepalive
	// pings take their place against dead peers.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	// Origin must match Host (the library's default): a page of another site cannot open a
	// socket with the browser's credentials or as the anonymous tenant.
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}})
	if err != nil {
		return // Accept answered the request
	}
	c.SetReadLimit(s.Limits.MaxMessageBytes)
	conn := &connection{srv: s, ws: c, auth: auth, ops: map[string]context.CancelFunc{}}
	s.init()
	s.conns.Add(1)
	defer s.conns.Done()
	if s.base.Err() != nil {
		_ = c.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conn.cancel = cancel
	stopOnClose := context.AfterFunc(s.base, func() { conn.close(websocket.StatusGoingAway, "server shutting down") })
	defer stopOnClose()
	if c.Subprotocol() != Subprotocol {
		conn.close(CloseSubprotocol, "Subprotocol not acceptable: use "+Subprotocol)
		return
	}
	conn.run(ctx)
}

type connection struct {
	srv    *Server
	ws     *websocket.Conn
	auth   Authenticator
	cancel context.CancelFunc

	mu      sync.Mutex
	ops     map[string]context.CancelFunc
	tenant  string
	acked   bool
	initGot bool
	wg      sync.WaitGroup

	tokens float64
	last   time.Time
}

func (c *connection) close(code websocket.StatusCode, reason string) {
	_ = c.ws.Close(code, truncate(reason, 123)) // the most a close frame holds
	c.cancel()
}

func (c *connection) write(ctx context.Context, m message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, c.srv.Limits.WriteTimeout)
	defer cancel()
	if err := c.ws.Write(wctx, websocket.MessageText, b); err != nil {
		return err
	}
	if mt := c.srv.Metrics; mt != nil && (m.Type == "next" || m.Type == "error" || m.Type == "complete") {
		mt.Sent.Add(ctx, 1, metric.WithAttributeSet(typeAttrs[m.Type]))
	}
	return nil
}

// allow is the token bucket of the client's messages.
func (c *connection) allow(now time.Time) bool {
	rate := c.srv.Limits.MessagesPerSecond
	burst := max(2*rate, 1)
	if c.last.IsZero() {
		c.tokens = burst
	} else {
		c.tokens = min(burst, c.tokens+now.Sub(c.last).Seconds()*rate)
	}
	c.last = now
	if c.tokens < 1 {
		return false
	}
	c.tokens--
	return true
}

// recoverInternal turns a panic of the connection's code into close 4500, not a crash of
// the collector.
func (c *connection) recoverInternal() {
	if r := recover(); r != nil {
		c.srv.Logger.Error("perfgraphql: internal error in a subscription connection", zap.Any("panic", r))
		c.close(CloseInternal, "Internal server error")
	}
}

func (c *connection) run(ctx context.Context) {
	defer func() {
		c.cancel()
		c.wg.Wait()
		c.mu.Lock()
		tenant, acked := c.tenant, c.acked
		c.mu.Unlock()
		if acked {
			c.srv.release(tenant)
		}
		_ = c.ws.CloseNow()
	}()
	defer c.recoverInternal() // before the cleanup above, so the 4500 close frame goes out
	initTimer := time.AfterFunc(c.srv.Limits.InitTimeout, func() {
		c.mu.Lock()
		got := c.initGot
		c.mu.Unlock()
		if !got {
			c.close(CloseInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initTimer.Stop()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.keepAlive(ctx)
	}()
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			return
		}
		if !c.allow(time.Now()) {
			c.close(ClosePolicy, fmt.Sprintf("more than %g messages per second (limits.subscriptions.max_messages_per_second)", c.srv.Limits.MessagesPerSecond))
			return
		}
		var m message
		if typ != websocket.MessageText || json.Unmarshal(data, &m) != nil || m.Type == "" {
			c.close(CloseInvalidMessage, "Invalid message received")
			return
		}
		if !c.handle(ctx, m) {
			return
		}
	}
}

// keepAlive pings the client; a client that does not answer within the period is gone.
func (c *connection) keepAlive(ctx context.Context) {
	t := time.NewTicker(c.srv.Limits.KeepAlive)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, c.srv.Limits.KeepAlive)
			err := c.ws.Ping(pctx)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					c.srv.Logger.Debug("perfgraphql: closing a subscription socket whose keepalive ping went unanswered", zap.Error(err))
					c.close(websocket.StatusGoingAway, "keepalive ping unanswered")
				}
				return
			}
		}
	}
}

// handle runs one client message; false ends the connection.
func (c *connection) handle(ctx context.Context, m message) bool {
	switch m.Type {
	case "connection_init":
		c.mu.Lock()
		again := c.initGot
		c.initGot = true
		c.mu.Unlock()
		if again {
			c.close(CloseTooManyInitialisations, "Too many initialisation requests")
			return false
		}
		var p map[string]any
		if len(m.Payload) > 0 && string(m.Payload) != "null" {
			if json.Unmarshal(m.Payload, &p) != nil {
				c.close(CloseInvalidMessage, "Invalid message received: connection_init payload must be an object")
				return false
			}
		}
		authz := ""
		for k, v := range p {
			if strings.EqualFold(k, "authorization") {
				s, ok := v.(string)
				if !ok {
					c.close(CloseInvalidMessage, "Invalid message received: Authorization must be a string")
					return false
				}
				authz = s
			}
		}
		tenant, err := c.auth(authz)
		if err != nil {
			c.close(CloseUnauthorized, "Unauthorized: "+err.Error())
			return false
		}
		if !c.srv.acquire(tenant) {
			c.close(CloseForbidden, fmt.Sprintf("Forbidden: the tenant has %d connections open (limits.subscriptions.max_connections_per_tenant)", c.srv.Limits.ConnectionsPerTenant))
			return false
		}
		c.mu.Lock()
		c.tenant, c.acked = tenant, true
		c.mu.Unlock()
		return c.write(ctx, message{Type: "connection_ack"}) == nil
	case "ping":
		return c.write(ctx, message{Type: "pong", Payload: m.Payload}) == nil
	case "pong":
		return true
	case "subscribe":
		return c.subscribe(ctx, m)
	case "complete":
		c.mu.Lock()
		if stop := c.ops[m.ID]; stop != nil {
			stop()
			delete(c.ops, m.ID)
		}
		c.mu.Unlock()
		return true
	}
	c.close(CloseInvalidMessage, "Invalid message received: unknown type "+truncate(m.Type, 40))
	return false
}

func (c *connection) subscribe(ctx context.Context, m message) bool {
	c.mu.Lock()
	acked, tenant := c.acked, c.tenant
	c.mu.Unlock()
	if !acked {
		c.close(CloseUnauthorized, "Unauthorized")
		return false
	}
	var p subscribePayload
	if m.ID == "" || json.Unmarshal(m.Payload, &p) != nil || p.Query == "" {
		c.close(CloseInvalidMessage, "Invalid message received: subscribe needs an id and a payload with a query")
		return false
	}
	c.mu.Lock()
	if _, exists := c.ops[m.ID]; exists {
		c.mu.Unlock()
		c.close(CloseSubscriberExists, "Subscriber for "+truncate(m.ID, 64)+" already exists")
		return false
	}
	if len(c.ops) >= c.srv.Limits.SubscriptionsPerConnection {
		c.mu.Unlock()
		return c.write(ctx, message{ID: m.ID, Type: "error", Payload: mustJSON([]gqlerrors.FormattedError{gqlerrors.NewFormattedError(
			fmt.Sprintf("this connection runs %d operations already (limits.subscriptions.max_per_connection)", c.srv.Limits.SubscriptionsPerConnection))})}) == nil
	}
	octx, stop := context.WithCancel(ctx)
	c.ops[m.ID] = stop
	c.mu.Unlock()

	results, errs := c.srv.Exec(octx, tenant, p.Query, p.OperationName, p.Variables)
	if errs != nil {
		c.finish(m.ID)
		return c.write(ctx, message{ID: m.ID, Type: "error", Payload: mustJSON(errs)}) == nil
	}
	c.wg.Add(1)
	if mt := c.srv.Metrics; mt != nil {
		mt.Active.Add(ctx, 1)
	}
	go func() {
		defer c.wg.Done()
		defer c.recoverInternal()
		if mt := c.srv.Metrics; mt != nil {
			defer mt.Active.Add(context.WithoutCancel(ctx), -1)
		}
		for res := range results {
			if octx.Err() != nil {
				continue // drained after complete: nothing more is sent for this id
			}
			if err := c.write(octx, message{ID: m.ID, Type: "next", Payload: mustJSON(res)}); err != nil {
				if octx.Err() == nil {
					c.close(websocket.StatusGoingAway, "write failed")
				}
				continue
			}
		}
		// complete only when the server ended it; a client's complete needs no answer
		if c.finish(m.ID) && ctx.Err() == nil {
			_ = c.write(ctx, message{ID: m.ID, Type: "complete"})
		}
	}()
	return true
}

// finish forgets operation id; it tells whether the operation was still running (not
// completed by the client).
func (c *connection) finish(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, ok := c.ops[id]
	if ok {
		stop()
		delete(c.ops, id)
	}
	return ok
}

func (s *Server) acquire(tenant string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perTenant == nil {
		s.perTenant = map[string]int{}
	}
	if s.perTenant[tenant] >= s.Limits.ConnectionsPerTenant {
		return false
	}
	s.perTenant[tenant]++
	return true
}

func (s *Server) release(tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perTenant[tenant]--; s.perTenant[tenant] <= 0 {
		delete(s.perTenant, tenant)
	}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal([]gqlerrors.FormattedError{gqlerrors.NewFormattedError("internal error: result not encodable")})
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var typeAttrs = map[string]attribute.Set{
	"next": attribute.NewSet(attribute.String("type", "next")), "error": attribute.NewSet(attribute.String("type", "error")),
	"complete": attribute.NewSet(attribute.String("type", "complete")),
}
