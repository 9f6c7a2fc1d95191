package alerting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// Sender delivers the outbox: each row at least once, with exponential backoff on failure,
// in order per notifier and alert. It runs apart from the scheduler's tick, on its own
// connections, so that a slow or unreachable receiver never delays the refresh.
//
// Rows are leased (lease_until) before they are sent and claimed with SKIP LOCKED, so two
// senders never send a row at the same time; a sender that dies mid-send leaves the row to
// the next one after the lease, which repeats it with the same dedupe key.
type Sender struct {
	pool      *pgxpool.Pool
	cfg       Config
	notifiers map[string]notifier
	metrics   *Metrics
	logger    *zap.Logger
	now       func() time.Time
	lastPrune time.Time
}

// keepSent: delivered rows are kept this long (for inspection), then deleted.
const keepSent = 24 * time.Hour

// claimBatch rows are claimed at a time.
const claimBatch = 100

// NewSender makes a sender of a validated configuration.
func NewSender(pool *pgxpool.Pool, cfg Config, metrics *Metrics, logger *zap.Logger) *Sender {
	s := &Sender{pool: pool, cfg: cfg, metrics: metrics, logger: logger, now: time.Now, notifiers: map[string]notifier{}}
	if cfg.Alertmanager.Endpoint != "" {
		s.notifiers[notifierAlertmanager] = newAlertmanager(cfg)
	}
	if cfg.NATS.URL != "" {
		s.notifiers[notifierNATS] = newNATS(cfg)
	}
	if cfg.Webhook.Endpoint != "" {
		s.notifiers[notifierWebhook] = newWebhook(cfg)
	}
	return s
}

// Run sends until ctx is done.
func (s *Sender) Run(ctx context.Context) {
	defer s.Close()
	t := time.NewTicker(s.cfg.SendInterval)
	defer t.Stop()
	for {
		if _, err := s.Flush(ctx); err != nil && ctx.Err() == nil {
			s.logger.Warn("perfgraphql alerting: delivery failed, retrying with backoff", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close closes the notifiers' connections.
func (s *Sender) Close() {
	for _, n := range s.notifiers {
		n.close()
	}
}

const sqlClaim = `UPDATE perf_alert_outbox o SET lease_until = $2, attempts = o.attempts + 1
 WHERE o.id IN (
    SELECT c.id FROM perf_alert_outbox c
     WHERE c.sent_at IS NULL AND c.next_attempt <= $1 AND (c.lease_until IS NULL OR c.lease_until < $1)
       AND NOT EXISTS (SELECT 1 FROM perf_alert_outbox p
                        WHERE p.notifier = c.notifier AND p.alert_key = c.alert_key AND p.sent_at IS NULL AND p.id < c.id)
     ORDER BY c.id LIMIT $3 FOR UPDATE SKIP LOCKED)
 RETURNING o.id, o.notifier, o.payload, o.attempts`

// sqlSent records a delivery; one to Alertmanager of a firing alert also counts as its
// latest (re-)send, so the next re-send is one resend_interval later
const sqlSent = `WITH s AS (
    UPDATE perf_alert_outbox SET sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1
    RETURNING tenant_id, notifier, alert_key)
UPDATE perf_alerts a SET last_resent = $2 FROM s
 WHERE s.notifier = 'alertmanager' AND a.tenant_id = s.tenant_id AND a.rule || '/' || a.fingerprint = s.alert_key
   AND a.state = 'firing'`

// Flush sends what is due once: outbox rows, then Alertmanager's re-sends. It returns the
// number of notifications delivered.
func (s *Sender) Flush(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var errs []error
	rows, err := s.pool.Query(ctx, sqlClaim, now, now.Add(2*s.cfg.Timeout), claimBatch)
	if err != nil {
		return 0, fmt.Errorf("claim outbox: %w", err)
	}
	type claimed struct {
		ID       int64
		Notifier string
		Payload  []byte
		Attempts int
	}
	batch, err := pgx.CollectRows(rows, pgx.RowToStructByPos[claimed])
	if err != nil {
		return 0, fmt.Errorf("claim outbox: %w", err)
	}
	sent := 0
	for _, c := range batch {
		attr := metric.WithAttributes(attribute.String("notifier", c.Notifier))
		if c.Attempts > 1 {
			s.metrics.retried.Add(ctx, 1, attr)
		}
		n := s.notifiers[c.Notifier]
		if n == nil {
			// written under a configuration that had this notifier: nobody to send it to, and
			// retrying would never end
			if _, err := s.pool.Exec(ctx, `UPDATE perf_alert_outbox SET sent_at = $2, lease_until = NULL,
				last_error = 'dropped: notifier no longer configured' WHERE id = $1`, c.ID, now); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		var ev Event
		err := json.Unmarshal(c.Payload, &ev)
		if err == nil {
			sctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
			err = n.send(sctx, ev)
			cancel()
		}
		if err == nil {
			if _, uerr := s.pool.Exec(ctx, sqlSent, c.ID, s.now().UTC()); uerr != nil {
				// delivered but not recorded: the lease expires and it is sent again (same dedupe key)
				errs = append(errs, uerr)
			}
			s.metrics.sent.Add(ctx, 1, attr)
			sent++
			continue
		}
		if ctx.Err() != nil {
			return sent, errors.Join(append(errs, ctx.Err())...)
		}
		s.metrics.failed.Add(ctx, 1, attr)
		next := s.now().UTC().Add(s.backoff(c.Attempts))
		if _, uerr := s.pool.Exec(ctx, `UPDATE perf_alert_outbox SET next_attempt = $2, lease_until = NULL, last_error = $3 WHERE id = $1`,
			c.ID, next, err.Error()); uerr != nil {
			errs = append(errs, uerr)
		}
		errs = append(errs, fmt.Errorf("%s: %w", c.Notifier, err))
	}
	if am := s.notifiers[notifierAlertmanager]; am != nil {
		n, err := s.resend(ctx, am, now)
		sent += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	if now.Sub(s.lastPrune) >= time.Minute {
		if _, err := s.pool.Exec(ctx, `DELETE FROM perf_alert_outbox WHERE sent_at < $1`, now.Add(-keepSent)); err != nil {
			errs = append(errs, fmt.Errorf("prune outbox: %w", err))
		} else {
			s.lastPrune = now
		}
	}
	return sent, errors.Join(errs...)
}

// backoff after the attempts-th failed attempt: initial_interval doubling up to max_interval.
func (s *Sender) backoff(attempts int) time.Duration {
	d := s.cfg.Retry.InitialInterval
	for i := 1; i < attempts && d < s.cfg.Retry.MaxInterval; i++ {
		d *= 2
	}
	return min(d, s.cfg.Retry.MaxInterval)
}

// firing alerts due for a re-send, claimed by setting last_resent (so that two senders do
// not both re-send); only those whose firing notification was delivered, so that a re-send
// never overtakes it
const sqlClaimResend = `UPDATE perf_alerts a SET last_resent = $1
  FROM perf_tenants t
 WHERE t.tenant_id = a.tenant_id AND a.state = 'firing' AND coalesce(a.last_resent, a.fired_at) <= $2
   AND NOT EXISTS (SELECT 1 FROM perf_alert_outbox o WHERE o.notifier = 'alertmanager'
                    AND o.alert_key = a.rule || '/' || a.fingerprint AND o.sent_at IS NULL)
 RETURNING t.name, a.rule, a.fingerprint, a.labels, a.annotations, a.fired_at, a.value, a.values`

// resend re-sends the firing alerts to Alertmanager every resend_interval: it resolves an
// alert it has not heard of for a while.
func (s *Sender) resend(ctx context.Context, am notifier, now time.Time) (int, error) {
	rows, err := s.pool.Query(ctx, sqlClaimResend, now, now.Add(-s.cfg.ResendInterval))
	if err != nil {
		return 0, fmt.Errorf("claim re-sends: %w", err)
	}
	var evs []Event
	var ev Event
	var fp string
	if _, err := pgx.ForEachRow(rows, []any{&ev.Tenant, &ev.Rule, &fp, &ev.Labels, &ev.Annotations, &ev.StartsAt, &ev.Value, &ev.Values}, func() error {
		ev.State = StateFiring
		ev.DedupeKey = dedupeKey(ev.Tenant, ev.Rule, fp, StateFiring, ev.StartsAt)
		ev.GeneratorURL = generatorURL(s.cfg.DashboardURL, ev.Tenant)
		evs = append(evs, ev)
		ev = Event{}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("claim re-sends: %w", err)
	}
	if len(evs) == 0 {
		return 0, nil
	}
	attr := metric.WithAttributes(attribute.String("notifier", notifierAlertmanager))
	sctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := am.(*alertmanager).post(sctx, evs); err != nil {
		// the next re-send is due one resend_interval later; Alertmanager keeps the alert
		// until its endsAt, which covers several intervals
		s.metrics.failed.Add(ctx, int64(len(evs)), attr)
		return 0, fmt.Errorf("alertmanager re-send: %w", err)
	}
	s.metrics.sent.Add(ctx, int64(len(evs)), attr)
	return len(evs), nil
}
