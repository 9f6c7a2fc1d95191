package livehub

import (
	"context"
	_ "embed"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
)

// Channel is the PostgreSQL notification channel of the events.
const Channel = "perf_events"

//go:embed notify.sql
var notifySQL string

// Execer is a pgx.Tx or *pgx.Conn.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Notify announces an event of tenant to every replica, on commit of q's transaction. The
// payload of a notification is at most 8000 bytes: ev names what changed, it does not carry it.
func Notify(ctx context.Context, q Execer, tenant string, ev Event) error {
	var detail *string
	if len(ev.Detail) > 0 {
		b, err := json.Marshal(ev.Detail)
		if err != nil {
			return err
		}
		s := string(b)
		detail = &s
	}
	_, err := q.Exec(ctx, notifySQL, tenant, ev.Kind, ev.ID, detail)
	return err
}

type payload struct {
	Tenant string            `json:"tenant"`
	Kind   string            `json:"kind"`
	ID     string            `json:"id"`
	Detail map[string]string `json:"detail"`
}

// Listen holds one connection per replica that LISTENs on Channel and publishes what it
// hears to h, reconnecting with backoff until ctx ends. After every (re)connection it
// publishes a refresh to each tenant with subscribers: what was notified while the
// connection was down is lost, so they read again. ready, when not nil, is called once
// each time the LISTEN is in place.
func Listen(ctx context.Context, dsn string, h *Hub, logger *zap.Logger, ready func()) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := listenOnce(ctx, dsn, h, logger, ready, &backoff)
		if ctx.Err() != nil {
			return
		}
		logger.Warn("perfgraphql: live events listener lost its connection; subscriptions wait, retrying",
			zap.Error(err), zap.Duration("next_attempt_in", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func listenOnce(ctx context.Context, dsn string, h *Hub, logger *zap.Logger, ready func(), backoff *time.Duration) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	conn, err := pgx.Connect(cctx, dsn)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	*backoff = time.Second
	for _, t := range h.Tenants() {
		h.Publish(t, Event{Kind: KindRefresh})
	}
	if ready != nil {
		ready()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var p payload
		if err := json.Unmarshal([]byte(n.Payload), &p); err != nil || p.Tenant == "" || p.Kind == "" {
			logger.Warn("perfgraphql: ignoring a malformed live event", zap.Int("bytes", len(n.Payload)))
			continue
		}
		h.Publish(p.Tenant, Event{Kind: p.Kind, ID: p.ID, Detail: p.Detail})
	}
}
