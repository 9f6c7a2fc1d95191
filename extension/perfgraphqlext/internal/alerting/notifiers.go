package alerting

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of the notifiers (perf_alert_outbox.notifier, the notifier attribute of the metrics).
const (
	notifierAlertmanager = "alertmanager"
	notifierNATS         = "nats"
	notifierWebhook      = "webhook"
)

// Webhook headers.
const (
	HeaderSignature = "X-Perf-Signature" // sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
	HeaderTimestamp = "X-Perf-Timestamp" // Unix seconds when the request was signed
	HeaderDedupeKey = "X-Perf-Dedupe-Key"
)

type notifier interface {
	send(ctx context.Context, ev Event) error
	close()
}

// ---- Alertmanager (API v2) ----

type alertmanager struct {
	url    string
	resend time.Duration
	client *http.Client
	now    func() time.Time
}

func newAlertmanager(cfg Config) *alertmanager {
	return &alertmanager{url: strings.TrimRight(cfg.Alertmanager.Endpoint, "/") + "/api/v2/alerts",
		resend: cfg.ResendInterval, client: &http.Client{}, now: time.Now}
}

// postableAlert is Alertmanager's API v2 PostableAlert.
type postableAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       *time.Time        `json:"endsAt,omitempty"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

func (a *alertmanager) send(ctx context.Context, ev Event) error { return a.post(ctx, []Event{ev}) }

func (a *alertmanager) post(ctx context.Context, evs []Event) error {
	alerts := make([]postableAlert, len(evs))
	for i, ev := range evs {
		p := postableAlert{Labels: ev.Labels, Annotations: ev.Annotations, StartsAt: ev.StartsAt, GeneratorURL: ev.GeneratorURL}
		if ev.EndsAt != nil {
			p.EndsAt = ev.EndsAt
		} else {
			// as Prometheus does: a firing alert ends unless re-sent within 4 intervals, so an
			// alert whose source stopped (collector gone) resolves on its own
			end := a.now().UTC().Add(4 * a.resend)
			p.EndsAt = &end
		}
		alerts[i] = p
	}
	body, err := json.Marshal(alerts)
	if err != nil {
		return err
	}
	return postJSON(ctx, a.client, a.url, body, nil)
}

func (a *alertmanager) close() {}

// ---- NATS JetStream ----

type natsNotifier struct {
	cfg    NATSConfig
	mu     sync.Mutex
	nc     *nats.Conn
	js     jetstream.JetStream
	stream bool // the stream was checked (or created)
}

func newNATS(cfg Config) *natsNotifier { return &natsNotifier{cfg: cfg.NATS} }

// Subject of a tenant's alerts: <prefix>.<tenant>, the tenant's bytes other than letters,
// digits, - and _ written as %XX so that no tenant name adds a token or a wildcard.
func Subject(prefix, tenant string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('.')
	for i := 0; i < len(tenant); i++ {
		c := tenant[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// duplicateWindow of a stream the notifier creates: repeats within it are dropped by
// JetStream itself (the sender repeats within its lease or backoff, both shorter).
const duplicateWindow = 15 * time.Minute

func (n *natsNotifier) conn(ctx context.Context) (jetstream.JetStream, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.nc == nil || n.nc.IsClosed() {
		nc, err := nats.Connect(n.cfg.URL, nats.Name("otelcol-perf alerting"), nats.Timeout(5*time.Second))
		if err != nil {
			return nil, err
		}
		js, err := jetstream.New(nc)
		if err != nil {
			nc.Close()
			return nil, err
		}
		n.nc, n.js, n.stream = nc, js, false
	}
	if n.cfg.Stream != "" && !n.stream {
		_, err := n.js.Stream(ctx, n.cfg.Stream)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			_, err = n.js.CreateStream(ctx, jetstream.StreamConfig{Name: n.cfg.Stream,
				Subjects: []string{n.cfg.SubjectPrefix + ".>"}, Duplicates: duplicateWindow})
		}
		if err != nil {
			return nil, fmt.Errorf("stream %s: %w", n.cfg.Stream, err)
		}
		n.stream = true
	}
	return n.js, nil
}

func (n *natsNotifier) send(ctx context.Context, ev Event) error {
	js, err := n.conn(ctx)
	if err != nil {
		return err
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(Subject(n.cfg.SubjectPrefix, ev.Tenant))
	msg.Data = body
	msg.Header.Set(nats.MsgIdHdr, ev.DedupeKey)
	_, err = js.PublishMsg(ctx, msg)
	return err
}

func (n *natsNotifier) close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.nc != nil {
		n.nc.Close()
		n.nc = nil
	}
}

// ---- webhook ----

type webhook struct {
	url    string
	secret []byte
	client *http.Client
	now    func() time.Time
}

func newWebhook(cfg Config) *webhook {
	return &webhook{url: cfg.Webhook.Endpoint, secret: []byte(cfg.Webhook.Secret), client: &http.Client{}, now: time.Now}
}

// Sign is the webhook's signature of a body at a timestamp (Unix seconds, as sent in
// X-Perf-Timestamp): "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body). A receiver
// recomputes it and rejects old timestamps, so a captured request cannot be replayed later.
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (w *webhook) send(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	return postJSON(ctx, w.client, w.url, body, map[string]string{
		HeaderTimestamp: ts, HeaderSignature: Sign(w.secret, ts, body), HeaderDedupeKey: ev.DedupeKey})
}

func (w *webhook) close() {}

func postJSON(ctx context.Context, client *http.Client, url string, body []byte, headers map[string]string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
