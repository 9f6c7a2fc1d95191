// Package demo generates a realistic mix of OTLP traffic for otelcol-perf: several
// services and endpoints, DB client spans with literal-laden SQL in both generations of
// the semantic conventions, an N+1 endpoint, a slow report query, a failing endpoint,
// host/runtime and connection-pool metrics (one pool saturated), for several tenants
// (X-Scope-OrgID). It posts OTLP/HTTP protobuf to /v1/traces and /v1/metrics.
//
// cmd/perfdemo is the command; the dashboard's browser test calls Run directly.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Config of one run.
type Config struct {
	// Endpoint is the collector's OTLP/HTTP host:port (or a full http:// URL).
	Endpoint string
	// Duration of the run; zero or negative: until ctx is done.
	Duration time.Duration
	// Rate is requests per second per tenant (server spans; DB spans come on top).
	Rate float64
	// Tenants, each sent as the X-Scope-OrgID header.
	Tenants []string
	// FlushInterval between two trace exports (default 500ms).
	FlushInterval time.Duration
	// MetricsInterval between two metric exports (default 10s).
	MetricsInterval time.Duration
	// History: at start, host and pool metrics for this long before now, one set per
	// minute, as if the services had been running; the detectors that need a stretch of
	// samples (a saturated pool, sustained CPU: 30 minutes) then report from the first run.
	// Zero: none.
	History time.Duration
	// Seed of the random mix (0: time-based).
	Seed uint64
	// Logf, when set, receives progress lines.
	Logf func(format string, args ...any)
	// Client for the POSTs (default: 10 s timeout).
	Client *http.Client
}

// Stats of a run.
type Stats struct {
	Requests    int64 // server spans sent
	DBSpans     int64 // DB client spans sent
	MetricSets  int64 // metric exports
	Posts       int64 // successful POSTs
	FailedPosts int64 // POSTs that failed or were refused
	LastError   string
}

func (s *Stats) String() string {
	return fmt.Sprintf("%d requests, %d DB spans, %d metric exports, %d POSTs ok, %d failed",
		s.Requests, s.DBSpans, s.MetricSets, s.Posts, s.FailedPosts)
}

// Run sends traffic until the duration elapses or ctx is done. It returns an error only
// when nothing at all could be delivered.
func Run(ctx context.Context, cfg Config) (*Stats, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = "127.0.0.1:4318"
	}
	base := strings.TrimRight(cfg.Endpoint, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		base = "http://" + base
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 20
	}
	if len(cfg.Tenants) == 0 {
		cfg.Tenants = []string{"acme", "globex"}
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = 500 * time.Millisecond
	}
	if cfg.MetricsInterval <= 0 {
		cfg.MetricsInterval = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	g := &generator{cfg: cfg, base: base, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), stats: &Stats{}}
	g.started = time.Now().Add(-max(cfg.History, 0))
	for at := g.started; at.Before(time.Now().Add(-time.Minute / 2)); at = at.Add(time.Minute) {
		g.sendMetrics(ctx, at)
	}

	flush := time.NewTicker(cfg.FlushInterval)
	defer flush.Stop()
	metrics := time.NewTicker(cfg.MetricsInterval)
	defer metrics.Stop()
	progress := time.NewTicker(15 * time.Second)
	defer progress.Stop()

	g.sendMetrics(ctx, time.Now()) // pools and hosts are visible from the start
	last := time.Now()
	carry := 0.0
	for {
		select {
		case <-ctx.Done():
			cfg.Logf("perfdemo: done: %s", g.stats)
			if g.stats.Posts == 0 {
				return g.stats, fmt.Errorf("nothing delivered to %s: %s", base, g.stats.LastError)
			}
			return g.stats, nil
		case now := <-flush.C:
			carry += cfg.Rate * now.Sub(last).Seconds()
			last = now
			n := int(carry)
			carry -= float64(n)
			g.sendTraces(ctx, n)
		case now := <-metrics.C:
			g.sendMetrics(ctx, now)
		case <-progress.C:
			cfg.Logf("perfdemo: %s", g.stats)
		}
	}
}

type generator struct {
	cfg     Config
	base    string
	rnd     *rand.Rand
	stats   *Stats
	started time.Time
}

// ---------------------------------------------------------------------------------------
// transport

func (g *generator) fail(err error) {
	g.stats.FailedPosts++
	g.stats.LastError = err.Error()
	g.cfg.Logf("perfdemo: %v", err)
}

func (g *generator) post(ctx context.Context, path, tenant string, body []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+path, bytes.NewReader(body))
	if err != nil {
		g.fail(err)
		return
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if tenant != "" {
		req.Header.Set("X-Scope-OrgID", tenant)
	}
	resp, err := g.cfg.Client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return // the run ended while posting
		}
		g.fail(fmt.Errorf("POST %s: %w", path, err))
		return
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		g.fail(fmt.Errorf("POST %s (tenant %s): HTTP %d: %s", path, tenant, resp.StatusCode, strings.TrimSpace(string(msg))))
		return
	}
	g.stats.Posts++
}
