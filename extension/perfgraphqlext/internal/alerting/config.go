// Package alerting evaluates the alert rules of perfgraphql.alerting on the scheduler
// leader, keeps each alert instance's state (pending, firing, resolved) in PostgreSQL and
// delivers its state changes at least once through an outbox to Prometheus Alertmanager,
// NATS JetStream and a signed webhook.
package alerting

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
)

// Config is perfgraphql.alerting.
type Config struct {
	// Rules evaluated on every scheduler tick (after the rollup refresh).
	Rules []Rule `mapstructure:"rules"`
	// DashboardURL is the base URL of this collector's dashboard as people reach it; an
	// alert's generatorURL (Alertmanager) and link point there. Empty: no link.
	DashboardURL string `mapstructure:"dashboard_url"`
	// ResendInterval: a firing alert is re-sent to Alertmanager this often (default 1m);
	// Alertmanager resolves an alert it has not heard of for its resolve_timeout.
	ResendInterval time.Duration `mapstructure:"resend_interval"`
	// SendInterval: how often the sender looks at the outbox (default 1s).
	SendInterval time.Duration `mapstructure:"send_interval"`
	// Timeout of one delivery (default 10s).
	Timeout time.Duration `mapstructure:"timeout"`
	// Retry: backoff of a failed delivery, doubling from initial_interval to max_interval.
	Retry RetryConfig `mapstructure:"retry"`

	Alertmanager AlertmanagerConfig `mapstructure:"alertmanager"`
	NATS         NATSConfig         `mapstructure:"nats"`
	Webhook      WebhookConfig      `mapstructure:"webhook"`

	// ApdexTarget of the health score (the extension's health.apdex_target; not a key here).
	ApdexTarget time.Duration `mapstructure:"-"`
	// MinuteRetention: how long minute rollups are kept (retention.minute_rollups; not a key here).
	MinuteRetention time.Duration `mapstructure:"-"`
}

// RetryConfig is the backoff of failed deliveries.
type RetryConfig struct {
	InitialInterval time.Duration `mapstructure:"initial_interval"` // 1s
	MaxInterval     time.Duration `mapstructure:"max_interval"`     // 5m
}

// AlertmanagerConfig: Prometheus Alertmanager, API v2. Empty endpoint: not used.
type AlertmanagerConfig struct {
	// Endpoint is the base URL of Alertmanager (http://alertmanager:9093); alerts go to
	// <endpoint>/api/v2/alerts.
	Endpoint string `mapstructure:"endpoint"`
}

// NATSConfig: NATS JetStream. Empty url: not used.
type NATSConfig struct {
	URL string `mapstructure:"url"`
	// SubjectPrefix: a tenant's alerts are published on <subject_prefix>.<tenant> (default
	// perf.alerts).
	SubjectPrefix string `mapstructure:"subject_prefix"`
	// Stream: when set, a JetStream stream of this name over <subject_prefix>.> is created
	// if it does not exist. Empty: a stream covering the subjects must exist.
	Stream string `mapstructure:"stream"`
}

// WebhookConfig: a generic webhook. Empty endpoint: not used.
type WebhookConfig struct {
	Endpoint string `mapstructure:"endpoint"`
	// Secret keys the X-Perf-Signature header: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)).
	Secret configopaque.String `mapstructure:"secret"`
}

// Rule is one alert rule: exactly one of health, slo, recommendation, absence.
type Rule struct {
	// Name is the alertname label; unique.
	Name string `mapstructure:"name"`
	// Tenants the rule applies to; empty: every tenant.
	Tenants []string `mapstructure:"tenants"`
	// Severity label (default warning); an SLO rule takes each burn rate's own.
	Severity string `mapstructure:"severity"`
	// For: the condition must hold this long (pending) before the alert fires (default 0).
	For time.Duration `mapstructure:"for"`

	Health         *HealthRule         `mapstructure:"health"`
	SLO            *SLORule            `mapstructure:"slo"`
	Recommendation *RecommendationRule `mapstructure:"recommendation"`
	Absence        *AbsenceRule        `mapstructure:"absence"`
}

// HealthRule: the health status of the window is at or below Status.
type HealthRule struct {
	// Status: DEGRADED, UNHEALTHY or CRITICAL.
	Status string `mapstructure:"status"`
	// Window the health is computed over (default 5m).
	Window time.Duration `mapstructure:"window"`
	// Service: only this service's requests; empty: the whole tenant.
	Service string `mapstructure:"service"`
	// MinRequests in the window for the health to count (default 1).
	MinRequests int64 `mapstructure:"min_requests"`
}

// SLORule: an endpoint SLO with multi-window, multi-burn-rate alerts.
type SLORule struct {
	// SLI: availability (share of requests without a 5xx status) or latency (share of
	// requests that took at most latency_threshold).
	SLI string `mapstructure:"sli"`
	// Objective: the SLO, a share in (0, 1), e.g. 0.999.
	Objective float64 `mapstructure:"objective"`
	// LatencyThreshold of the latency SLI.
	LatencyThreshold time.Duration `mapstructure:"latency_threshold"`
	// Service, Method, Route select endpoints (empty: any).
	Service string `mapstructure:"service"`
	Method  string `mapstructure:"method"`
	Route   string `mapstructure:"route"`
	// By: endpoint (an alert per service, method and route; default) or service.
	By string `mapstructure:"by"`
	// BurnRates: the alert fires when both windows of a pair burn the error budget faster
	// than factor. Default (SRE workbook): page 14.4x over 1h and 5m, page 6x over 6h and
	// 30m, ticket 1x over 3d and 6h.
	BurnRates []BurnRate `mapstructure:"burn_rates"`
	// MinRequests in the short window for a pair to fire (default 1).
	MinRequests int64 `mapstructure:"min_requests"`
}

// BurnRate is one multi-window condition.
type BurnRate struct {
	Severity string        `mapstructure:"severity"`
	Factor   float64       `mapstructure:"factor"`
	Long     time.Duration `mapstructure:"long"`
	Short    time.Duration `mapstructure:"short"`
}

// RecommendationRule: an active recommendation of the optimization engine at or above a
// priority; the alert resolves with the recommendation.
type RecommendationRule struct {
	// MinPriority: LOW, MEDIUM, HIGH or CRITICAL (default HIGH).
	MinPriority string `mapstructure:"min_priority"`
}

// AbsenceRule: a service that sent data within lookback sent none for silent_for.
type AbsenceRule struct {
	SilentFor time.Duration `mapstructure:"silent_for"` // default 10m
	Lookback  time.Duration `mapstructure:"lookback"`   // default 24h
	Service   string        `mapstructure:"service"`    // empty: every service
}

// DefaultBurnRates are the SRE workbook's multiwindow, multi-burn-rate alerts for a 30-day SLO.
func DefaultBurnRates() []BurnRate {
	return []BurnRate{
		{Severity: "page", Factor: 14.4, Long: time.Hour, Short: 5 * time.Minute},
		{Severity: "page", Factor: 6, Long: 6 * time.Hour, Short: 30 * time.Minute},
		{Severity: "ticket", Factor: 1, Long: 72 * time.Hour, Short: 6 * time.Hour},
	}
}

// DefaultConfig has no rules and no notifiers.
func DefaultConfig() Config {
	return Config{ResendInterval: time.Minute, SendInterval: time.Second, Timeout: 10 * time.Second,
		Retry: RetryConfig{InitialInterval: time.Second, MaxInterval: 5 * time.Minute},
		NATS:  NATSConfig{SubjectPrefix: "perf.alerts"}, ApdexTarget: 500 * time.Millisecond, MinuteRetention: 48 * time.Hour}
}

// Enabled: there is at least one rule.
func (c *Config) Enabled() bool { return len(c.Rules) > 0 }

// priorities in ascending order (perf_recommendations.priority)
var priorities = []string{"LOW", "MEDIUM", "HIGH", "CRITICAL"}

// health statuses from best to worst (perf_health)
var statuses = []string{"HEALTHY", "DEGRADED", "UNHEALTHY", "CRITICAL"}

var (
	labelValue = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)
	subjectTok = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
)

// Validate checks the configuration; errors name the key.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf("alerting."+format, a...)) }
	if c.ResendInterval < time.Second {
		add("resend_interval must be at least 1s, got %s", c.ResendInterval)
	}
	if c.SendInterval < 10*time.Millisecond {
		add("send_interval must be at least 10ms, got %s", c.SendInterval)
	}
	if c.Timeout <= 0 {
		add("timeout must be positive, got %s", c.Timeout)
	}
	if c.Retry.InitialInterval <= 0 || c.Retry.MaxInterval < c.Retry.InitialInterval {
		add("retry: initial_interval must be positive and max_interval at least initial_interval, got %s and %s",
			c.Retry.InitialInterval, c.Retry.MaxInterval)
	}
	if c.DashboardURL != "" {
		if u, err := url.Parse(c.DashboardURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("dashboard_url must be an http(s) URL, got %q", c.DashboardURL)
		}
	}
	for _, ep := range []struct{ key, v string }{{"alertmanager.endpoint", c.Alertmanager.Endpoint}, {"webhook.endpoint", c.Webhook.Endpoint}} {
		if ep.v == "" {
			continue
		}
		if u, err := url.Parse(ep.v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("%s must be an http(s) URL, got %q", ep.key, ep.v)
		}
	}
	if c.Webhook.Endpoint != "" && c.Webhook.Secret == "" {
		add("webhook.secret must be set with webhook.endpoint (receivers verify the signature)")
	}
	if c.NATS.URL != "" && !subjectTok.MatchString(c.NATS.SubjectPrefix) {
		add("nats.subject_prefix must be dot-separated tokens of letters, digits, _ and -, got %q", c.NATS.SubjectPrefix)
	}
	if c.Enabled() && c.Alertmanager.Endpoint == "" && c.NATS.URL == "" && c.Webhook.Endpoint == "" {
		add("rules are set but no notifier is: set alertmanager.endpoint, nats.url or webhook.endpoint")
	}
	names := map[string]bool{}
	for i, r := range c.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		if !labelValue.MatchString(r.Name) {
			add("%s.name must be letters, digits, _ . : -, got %q", p, r.Name)
		}
		if names[r.Name] {
			add("%s.name %q is used twice", p, r.Name)
		}
		names[r.Name] = true
		for j, t := range r.Tenants {
			if t == "" {
				add("%s.tenants[%d] must not be empty", p, j)
			}
		}
		if r.Severity != "" && !labelValue.MatchString(r.Severity) {
			add("%s.severity must be letters, digits, _ . : -, got %q", p, r.Severity)
		}
		if r.For < 0 {
			add("%s.for must not be negative, got %s", p, r.For)
		}
		kinds := 0
		for _, set := range []bool{r.Health != nil, r.SLO != nil, r.Recommendation != nil, r.Absence != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			add("%s must have exactly one of health, slo, recommendation, absence (has %d)", p, kinds)
			continue
		}
		switch {
		case r.Health != nil:
			h := r.Health
			if !slices.Contains(statuses[1:], h.Status) {
				add("%s.health.status must be DEGRADED, UNHEALTHY or CRITICAL, got %q", p, h.Status)
			}
			if h.Window < 0 || h.MinRequests < 0 {
				add("%s.health: window and min_requests must not be negative", p)
			}
		case r.SLO != nil:
			s := r.SLO
			switch s.SLI {
			case "availability":
			case "latency":
				if s.LatencyThreshold < time.Millisecond {
					add("%s.slo.latency_threshold must be at least 1ms for sli latency, got %s", p, s.LatencyThreshold)
				}
			default:
				add("%s.slo.sli must be availability or latency, got %q", p, s.SLI)
			}
			if !(s.Objective > 0 && s.Objective < 1) {
				add("%s.slo.objective must be a share strictly between 0 and 1 (0.999), got %v", p, s.Objective)
			}
			if s.By != "" && s.By != "endpoint" && s.By != "service" {
				add("%s.slo.by must be endpoint or service, got %q", p, s.By)
			}
			if s.MinRequests < 0 {
				add("%s.slo.min_requests must not be negative", p)
			}
			for j, b := range s.BurnRates {
				if b.Factor <= 0 || b.Short <= 0 || b.Long <= b.Short {
					add("%s.slo.burn_rates[%d]: factor must be positive and long longer than short (positive), got %v, %s, %s",
						p, j, b.Factor, b.Long, b.Short)
				}
				if b.Severity != "" && !labelValue.MatchString(b.Severity) {
					add("%s.slo.burn_rates[%d].severity must be letters, digits, _ . : -, got %q", p, j, b.Severity)
				}
			}
		case r.Recommendation != nil:
			if m := r.Recommendation.MinPriority; m != "" && !slices.Contains(priorities, m) {
				add("%s.recommendation.min_priority must be one of %s, got %q", p, strings.Join(priorities, ", "), m)
			}
		case r.Absence != nil:
			a := r.Absence
			if a.SilentFor < 0 || a.Lookback < 0 || (a.Lookback > 0 && a.SilentFor > 0 && a.Lookback <= a.SilentFor) {
				add("%s.absence: lookback must be longer than silent_for, got %s and %s", p, a.Lookback, a.SilentFor)
			}
		}
	}
	return errors.Join(errs...)
}

// withDefaults fills the defaults of the rules' optional fields. The kind's fields are filled
// on a copy: the rule's pointer is the configuration's, which other readers share.
func (r Rule) withDefaults() Rule {
	if r.Severity == "" {
		r.Severity = "warning"
	}
	switch {
	case r.Health != nil:
		r.Health = filled(r.Health, (*HealthRule).fillDefaults)
	case r.SLO != nil:
		r.SLO = filled(r.SLO, func(s *SLORule) { s.fillDefaults(r.Severity) })
	case r.Recommendation != nil:
		r.Recommendation = filled(r.Recommendation, (*RecommendationRule).fillDefaults)
	case r.Absence != nil:
		r.Absence = filled(r.Absence, (*AbsenceRule).fillDefaults)
	}
	return r
}

// filled returns a copy of *p with fill applied.
func filled[T any](p *T, fill func(*T)) *T {
	c := *p
	fill(&c)
	return &c
}

func (h *HealthRule) fillDefaults() {
	if h.Window == 0 {
		h.Window = 5 * time.Minute
	}
	h.MinRequests = max(h.MinRequests, 1)
}

// fillDefaults: a burn rate without a severity takes the rule's (severity).
func (s *SLORule) fillDefaults(severity string) {
	if s.By == "" {
		s.By = "endpoint"
	}
	if len(s.BurnRates) == 0 {
		s.BurnRates = DefaultBurnRates()
	}
	s.BurnRates = slices.Clone(s.BurnRates)
	for i := range s.BurnRates {
		if s.BurnRates[i].Severity == "" {
			s.BurnRates[i].Severity = severity
		}
	}
	s.MinRequests = max(s.MinRequests, 1)
}

func (m *RecommendationRule) fillDefaults() {
	if m.MinPriority == "" {
		m.MinPriority = "HIGH"
	}
}

func (a *AbsenceRule) fillDefaults() {
	if a.SilentFor == 0 {
		a.SilentFor = 10 * time.Minute
	}
	if a.Lookback == 0 {
		a.Lookback = 24 * time.Hour
	}
}

// Kind of the rule: health, slo, recommendation or absence.
func (r Rule) Kind() string {
	switch {
	case r.Health != nil:
		return "health"
	case r.SLO != nil:
		return "slo"
	case r.Recommendation != nil:
		return "recommendation"
	}
	return "absence"
}

// lookback: how far back the rule reads data.
func (r Rule) lookback() time.Duration {
	switch {
	case r.Health != nil:
		return r.Health.Window
	case r.SLO != nil:
		var l time.Duration
		for _, b := range r.SLO.BurnRates {
			l = max(l, b.Long)
		}
		return l
	case r.Absence != nil:
		return r.Absence.Lookback
	}
	return 0
}

// AppliesTo: the rule applies to the tenant.
func (r Rule) AppliesTo(tenant string) bool {
	return len(r.Tenants) == 0 || slices.Contains(r.Tenants, tenant)
}

// Condition says in words when the rule's alerts fire (defaults filled in).
func (r Rule) Condition() string {
	r = r.withDefaults()
	var s string
	switch {
	case r.Health != nil:
		h := r.Health
		s = fmt.Sprintf("health status of the last %s at or below %s", h.Window, h.Status)
		if h.Service != "" {
			s += " for service " + h.Service
		}
	case r.SLO != nil:
		o := r.SLO
		sli := "availability (non-5xx share)"
		if o.SLI == "latency" {
			sli = "latency (share at most " + o.LatencyThreshold.String() + ")"
		}
		var sel []string
		for _, kv := range [][2]string{{"service", o.Service}, {"method", o.Method}, {"route", o.Route}} {
			if kv[1] != "" {
				sel = append(sel, kv[0]+" "+kv[1])
			}
		}
		scope := "every endpoint"
		if len(sel) > 0 {
			scope = "endpoints of " + strings.Join(sel, ", ")
		}
		s = fmt.Sprintf("%s SLO %g of %s, per %s, burning the error budget faster than", sli, o.Objective, scope, o.By)
		for i, b := range o.BurnRates {
			if i > 0 {
				s += ";"
			}
			s += fmt.Sprintf(" %gx over %s and %s (%s)", b.Factor, b.Long, b.Short, b.Severity)
		}
	case r.Recommendation != nil:
		s = "an active recommendation of priority " + r.Recommendation.MinPriority + " or above"
	case r.Absence != nil:
		a := r.Absence
		what := "a service"
		if a.Service != "" {
			what = "service " + a.Service
		}
		s = fmt.Sprintf("%s that sent requests within %s sent none for %s", what, a.Lookback, a.SilentFor)
	}
	if r.For > 0 {
		s += fmt.Sprintf(", for %s", r.For)
	}
	return s
}
