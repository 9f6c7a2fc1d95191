package perfgraphqlext

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/scheduler"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/confkeys"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// Config of the perfgraphql extension.
type Config struct {
	// DSN of the PostgreSQL database the perfpg exporter writes. Defaults to $PERF_PG_DSN,
	// else postgres://postgres@127.0.0.1:5432/perf?sslmode=disable.
	DSN string `mapstructure:"dsn"`
	// ReadDSN, when set, is a hot standby of dsn (streaming replication) that the GraphQL
	// reads go to; migrations, the scheduler, the optimization engine and alerting stay on
	// dsn. While the standby is down, not in recovery or of unknown lag, reads go to dsn.
	// Every answer says where it was read and the standby's replay lag (extensions.staleness).
	ReadDSN configopaque.String `mapstructure:"read_dsn"`

	// ServerConfig is the HTTP server of /graphql and the dashboard (endpoint, tls, cors, auth).
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`

	// AllowedHosts are the Host headers served when tenants.anonymous_tenant is set (with or
	// without a port), so that a page of another site whose name was re-bound to this address
	// (DNS rebinding) cannot read the anonymous tenant's data. Empty: localhost, 127.0.0.1,
	// [::1] and the host of endpoint. Without an anonymous tenant every Host is served: a
	// foreign page cannot send the credentials.
	AllowedHosts []string `mapstructure:"allowed_hosts"`

	Tenants TenantsConfig `mapstructure:"tenants"`

	// Scheduler of partition maintenance and rollup refresh.
	Scheduler SchedulerConfig `mapstructure:"scheduler"`
	// Retention of the partitioned tables: logs (api/query logs) and resources (resource
	// and pool metrics), whose daily partitions are dropped when their whole day is older;
	// and of the hourly and daily rollups, whose rows are deleted by whole days.
	Retention RetentionConfig `mapstructure:"retention"`
	// Health score settings.
	Health HealthConfig `mapstructure:"health"`
	// Limits of the GraphQL API.
	Limits LimitsConfig `mapstructure:"limits"`
	// Optimizer is the optimization engine (internal/optimizer): its run interval,
	// window and every detector threshold.
	Optimizer optimizer.Config `mapstructure:"optimizer"`

	// Targets are the monitored application databases, each of one tenant: the scheduler
	// snapshots their pg_stat_statements, and index advice is checked there with HypoPG.
	// A target that is down or lacks an extension is reported (monitoredDatabases), never fatal.
	Targets []targets.Target `mapstructure:"targets"`
	// ServerStats: how often the targets' statistics are snapshotted.
	ServerStats ServerStatsConfig `mapstructure:"server_stats"`
	// Alerting: rules evaluated by the scheduler and their notifiers (internal/alerting).
	Alerting alerting.Config `mapstructure:"alerting"`
	// Dashboard: settings of the embedded dashboard page.
	Dashboard DashboardConfig `mapstructure:"dashboard"`
}

// DashboardConfig is what the dashboard page needs beyond the API's data.
type DashboardConfig struct {
	// TraceURL links trace ids to the user's trace viewer: an http(s) address in which
	// {trace_id} is replaced by the 32 hex digits, e.g. https://jaeger.example/trace/{trace_id}.
	// Empty (the default): trace ids are shown as plain text.
	TraceURL string `mapstructure:"trace_url"`
}

// ServerStatsConfig controls the snapshots of the targets' pg_stat_statements.
type ServerStatsConfig struct {
	// Interval between snapshots (default 1m); they happen on scheduler ticks, so at most
	// once per scheduler.interval.
	Interval time.Duration `mapstructure:"interval"`
	// GenericPlans: the generic plans of each target's statements with the most load.
	GenericPlans GenericPlansConfig `mapstructure:"generic_plans"`
}

// GenericPlansConfig controls the generic plans the scheduler's leader makes of the targets'
// top statements (PREPARE and EXPLAIN EXECUTE with NULLs under force_generic_plan).
type GenericPlansConfig struct {
	// Top statements per target by server execution time over window (default 20; 0: none).
	Top int `mapstructure:"top"`
	// Interval between rounds (default 1h).
	Interval time.Duration `mapstructure:"interval"`
	// Window of server statistics the load is summed over (default 24h).
	Window time.Duration `mapstructure:"window"`
}

// SchedulerConfig controls the in-process scheduler. Every replica runs it; a PostgreSQL
// session advisory lock makes exactly one of them do the work of a tick.
type SchedulerConfig struct {
	// Enabled: false leaves partition maintenance and rollups to someone else (pg_cron).
	Enabled bool `mapstructure:"enabled"`
	// Interval between ticks (default 15s): new data reaches the rollups, and the optimization
	// engine, on the next tick.
	Interval time.Duration `mapstructure:"interval"`
	// PremakeDays: partitions are created for today .. today+premake_days (default 3).
	PremakeDays int `mapstructure:"premake_days"`
}

// The retention.raw_spans modes (perf_seal_hour takes the same words).
const (
	RawSpansKeepAll         = "keep_all"
	RawSpansKeepInteresting = "keep_interesting"
	RawSpansKeepSample      = "keep_sample"
)

// RetentionConfig is how long rows are kept.
type RetentionConfig struct {
	Logs      time.Duration `mapstructure:"logs"`      // 720h
	Resources time.Duration `mapstructure:"resources"` // 720h
	// HourlyRollups (2160h) must cover logs: a late span re-merges its day from the hours.
	HourlyRollups time.Duration `mapstructure:"hourly_rollups"`
	// DailyRollups (9600h, 400 days): ranges older than the hourly rollups use whole days.
	DailyRollups time.Duration `mapstructure:"daily_rollups"`
	// MinuteRollups (48h): recent ranges read the partial hours at their edges from the
	// minute rollups; edges older than this are rounded out to whole hours.
	MinuteRollups time.Duration `mapstructure:"minute_rollups"`
	// LateDataHorizon (0: off): an hour that ended longer ago is sealed, its rollups and N+1
	// groups become the record; later spans of it are added to its rollups, and a new N+1
	// rule no longer reaches it. At least 2h and at most logs.
	LateDataHorizon time.Duration `mapstructure:"late_data_horizon"`
	// RawSpans: what sealing does to an hour's DB-span and request rows: keep_all (default),
	// keep_interesting (those some answer or example still reads, see
	// migrations/functions/64_sealed_hours.sql and 65_thin_requests.sql) or keep_sample (those
	// and a share RawSampleRate of the other traces). Needs LateDataHorizon.
	RawSpans      string  `mapstructure:"raw_spans"`
	RawSampleRate float64 `mapstructure:"raw_sample_rate"`
	// RawSlowRequest / RawSlowQuery: requests (their DB spans) and DB spans at least this
	// slow are kept by keep_interesting and keep_sample (defaults 2s, where the health score's
	// Apdex counts a request frustrated with the default target; 1s, a slow call of the
	// rollups, slowQueries' default threshold and slow_query.medium_avg).
	RawSlowRequest time.Duration `mapstructure:"raw_slow_request"`
	RawSlowQuery   time.Duration `mapstructure:"raw_slow_query"`
}

// HealthConfig parameterizes the health score (see doc.go).
type HealthConfig struct {
	// ApdexTarget T: requests up to T are satisfied, up to 4T tolerating (default 500ms).
	ApdexTarget time.Duration `mapstructure:"apdex_target"`
}

// LimitsConfig bounds what one GraphQL request may cost.
type LimitsConfig struct {
	MaxDepth       int           `mapstructure:"max_depth"`        // field nesting
	MaxQueryLength int           `mapstructure:"max_query_length"` // bytes of query text
	MaxParallelism int           `mapstructure:"max_parallelism"`  // root fields resolved at once per request
	MaxSelections  int           `mapstructure:"max_selections"`   // selections after fragment expansion
	MaxCost        int           `mapstructure:"max_cost"`         // cost units per request (see limits.go)
	MaxLimit       int           `mapstructure:"max_limit"`        // cap of every limit argument and list
	MaxPoints      int           `mapstructure:"max_points"`       // points of one time series
	RequestTimeout time.Duration `mapstructure:"request_timeout"`
	// Subscriptions bound the live subscriptions over WebSocket.
	Subscriptions SubscriptionLimitsConfig `mapstructure:"subscriptions"`
}

// SubscriptionLimitsConfig bounds the GraphQL subscriptions (graphql-transport-ws on /graphql).
type SubscriptionLimitsConfig struct {
	MaxConnectionsPerTenant int           `mapstructure:"max_connections_per_tenant"` // open sockets of one tenant on this replica
	MaxPerConnection        int           `mapstructure:"max_per_connection"`         // operations running at once on one socket
	MaxMessagesPerSecond    float64       `mapstructure:"max_messages_per_second"`    // client messages per socket (bursts of twice that)
	ConnectionInitTimeout   time.Duration `mapstructure:"connection_init_timeout"`    // upgrade to connection_init
	KeepAlive               time.Duration `mapstructure:"keepalive"`                  // ping period; a peer silent for it is closed
}

// TenantsConfig maps credentials to tenants. A query's tenant comes from its credentials
// only, never from a query argument.
type TenantsConfig struct {
	// Tokens: "Authorization: Bearer <token>" -> tenant.
	Tokens []TokenConfig `mapstructure:"tokens"`
	// AnonymousTenant serves requests without credentials. Empty: they get 401.
	AnonymousTenant string `mapstructure:"anonymous_tenant"`
	// MetadataKey is the client metadata key in which perfgraphql, as the OTLP receiver's
	// authenticator, writes the authenticated tenant (replacing what the client sent), so
	// that the tenant survives a batch processor that keeps this key. It must equal the
	// perfpg exporter's tenant.metadata_key (default X-Scope-OrgID).
	MetadataKey string `mapstructure:"metadata_key"`
}

// TokenConfig maps one bearer token to a tenant.
type TokenConfig struct {
	Token  configopaque.String `mapstructure:"token"`
	Tenant string              `mapstructure:"tenant"`
}

// Unmarshal refuses unknown keys at every level, then decodes. confmap would not: the
// squash-embedded confighttp.ServerConfig is a confmap.Unmarshaler, and confmap then decodes
// the rest of this struct with unused keys ignored, so a misspelt key (a misspelt tokens: every
// token) would be dropped without a word.
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	if conf.IsSet("optimizer::hypopg::targets") {
		// the key of the first releases: its targets had no tenant, so one tenant's advice
		// could be checked on another tenant's database
		return errors.New("perfgraphql: optimizer.hypopg.targets was replaced by targets: move each entry there and " +
			"add the tenant it belongs to: targets: [{db_namespace: shop, tenant: acme, dsn: ...}]")
	}
	if err := confkeys.Check(conf.ToStringMap(), cfg); err != nil {
		return fmt.Errorf("perfgraphql: %w", err)
	}
	if err := conf.Unmarshal(cfg); err != nil {
		return err
	}
	// the engine checks index advice on the tenant's own targets
	cfg.Optimizer.Targets = cfg.Targets
	return nil
}

// Validate checks the configuration.
func (cfg *Config) Validate() error {
	var errs []error
	if err := perfdb.ValidateDSN(cfg.DSN); err != nil {
		errs = append(errs, err)
	}
	if rd := string(cfg.ReadDSN); rd != "" {
		// the parser's error is not quoted: it may carry the password
		if _, err := pgx.ParseConfig(rd); err != nil {
			errs = append(errs, errors.New("read_dsn is not a valid PostgreSQL connection string"))
		} else if rd == cfg.DSN {
			errs = append(errs, errors.New("read_dsn must be a standby of dsn, not dsn itself (leave it empty to read from dsn)"))
		}
	}
	if cfg.ServerConfig.NetAddr.Endpoint == "" {
		errs = append(errs, errors.New("endpoint must not be empty"))
	}
	if cfg.Tenants.MetadataKey == "" {
		errs = append(errs, errors.New("tenants.metadata_key must not be empty"))
	}
	for i, h := range cfg.AllowedHosts {
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/ ") {
			errs = append(errs, fmt.Errorf("allowed_hosts[%d]: %q is not a host name or host:port", i, h))
		}
	}
	seen := make(map[configopaque.String]bool, len(cfg.Tenants.Tokens))
	for i, t := range cfg.Tenants.Tokens {
		switch {
		case t.Token == "":
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: token must not be empty", i))
		case seen[t.Token]:
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: the same token is listed twice", i))
		}
		seen[t.Token] = true
		if t.Tenant == "" {
			errs = append(errs, fmt.Errorf("tenants.tokens[%d]: tenant must not be empty", i))
		}
	}
	if cfg.Scheduler.Interval < time.Second {
		errs = append(errs, fmt.Errorf("scheduler.interval must be at least 1s, got %s", cfg.Scheduler.Interval))
	}
	if cfg.Scheduler.PremakeDays < 0 || cfg.Scheduler.PremakeDays > 60 {
		errs = append(errs, fmt.Errorf("scheduler.premake_days must be between 0 and 60, got %d", cfg.Scheduler.PremakeDays))
	}
	if cfg.Retention.Logs < 24*time.Hour {
		errs = append(errs, fmt.Errorf("retention.logs must be at least 24h, got %s", cfg.Retention.Logs))
	}
	if cfg.Retention.Resources < 24*time.Hour {
		errs = append(errs, fmt.Errorf("retention.resources must be at least 24h, got %s", cfg.Retention.Resources))
	}
	if r := cfg.Retention; r.HourlyRollups < max(r.Logs, r.Resources)+24*time.Hour {
		errs = append(errs, fmt.Errorf("retention.hourly_rollups must exceed retention.logs and retention.resources by at least 24h "+
			"(a late span re-merges its whole day from the hourly rollups), got %s", r.HourlyRollups))
	}
	if r := cfg.Retention; r.MinuteRollups < time.Hour || r.MinuteRollups > r.HourlyRollups {
		errs = append(errs, fmt.Errorf("retention.minute_rollups must be at least 1h and at most retention.hourly_rollups (%s), got %s", r.HourlyRollups, r.MinuteRollups))
	}
	if r := cfg.Retention; r.DailyRollups < r.HourlyRollups {
		errs = append(errs, fmt.Errorf("retention.daily_rollups must be at least retention.hourly_rollups (%s), got %s", r.HourlyRollups, r.DailyRollups))
	}
	if r := cfg.Retention; r.LateDataHorizon != 0 && (r.LateDataHorizon < 2*time.Hour || r.LateDataHorizon > r.Logs) {
		errs = append(errs, fmt.Errorf("retention.late_data_horizon must be 0 (off) or between 2h and retention.logs (%s), got %s", r.Logs, r.LateDataHorizon))
	}
	switch r := cfg.Retention; r.RawSpans {
	case RawSpansKeepAll:
	case RawSpansKeepInteresting, RawSpansKeepSample:
		if r.LateDataHorizon == 0 {
			errs = append(errs, fmt.Errorf("retention.raw_spans %q needs retention.late_data_horizon: only sealed hours are thinned", r.RawSpans))
		}
	default:
		errs = append(errs, fmt.Errorf("retention.raw_spans must be %s, %s or %s, got %q", RawSpansKeepAll, RawSpansKeepInteresting, RawSpansKeepSample, r.RawSpans))
	}
	if r := cfg.Retention; r.RawSampleRate < 0 || r.RawSampleRate > 1 {
		errs = append(errs, fmt.Errorf("retention.raw_sample_rate must be between 0 and 1, got %g", r.RawSampleRate))
	}
	if r := cfg.Retention; r.RawSlowRequest <= 0 || r.RawSlowQuery <= 0 {
		errs = append(errs, fmt.Errorf("retention.raw_slow_request and retention.raw_slow_query must be positive, got %s and %s", r.RawSlowRequest, r.RawSlowQuery))
	}
	if cfg.Health.ApdexTarget < time.Millisecond {
		errs = append(errs, fmt.Errorf("health.apdex_target must be at least 1ms, got %s", cfg.Health.ApdexTarget))
	}
	l := cfg.Limits
	for _, lim := range []struct {
		name string
		v    int
	}{{"max_depth", l.MaxDepth}, {"max_query_length", l.MaxQueryLength}, {"max_parallelism", l.MaxParallelism},
		{"max_selections", l.MaxSelections}, {"max_cost", l.MaxCost}, {"max_limit", l.MaxLimit}, {"max_points", l.MaxPoints}} {
		if lim.v <= 0 {
			errs = append(errs, fmt.Errorf("limits.%s must be positive, got %d", lim.name, lim.v))
		}
	}
	if l.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("limits.request_timeout must be positive, got %s", l.RequestTimeout))
	}
	sl := l.Subscriptions
	if sl.MaxConnectionsPerTenant <= 0 {
		errs = append(errs, fmt.Errorf("limits.subscriptions.max_connections_per_tenant must be positive, got %d", sl.MaxConnectionsPerTenant))
	}
	if sl.MaxPerConnection <= 0 {
		errs = append(errs, fmt.Errorf("limits.subscriptions.max_per_connection must be positive, got %d", sl.MaxPerConnection))
	}
	if !(sl.MaxMessagesPerSecond > 0) {
		errs = append(errs, fmt.Errorf("limits.subscriptions.max_messages_per_second must be positive, got %g", sl.MaxMessagesPerSecond))
	}
	if sl.ConnectionInitTimeout < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("limits.subscriptions.connection_init_timeout must be at least 100ms, got %s", sl.ConnectionInitTimeout))
	}
	if sl.KeepAlive < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("limits.subscriptions.keepalive must be at least 100ms, got %s", sl.KeepAlive))
	}
	// optimizer
	if err := cfg.Optimizer.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := targets.Validate(cfg.Targets); err != nil {
		errs = append(errs, err)
	}
	if err := validateTraceURL(cfg.Dashboard.TraceURL); err != nil {
		errs = append(errs, err)
	}
	if cfg.ServerStats.Interval < time.Second {
		errs = append(errs, fmt.Errorf("server_stats.interval must be at least 1s, got %s", cfg.ServerStats.Interval))
	}
	if gp := cfg.ServerStats.GenericPlans; gp.Top < 0 {
		errs = append(errs, fmt.Errorf("server_stats.generic_plans.top must not be negative, got %d", gp.Top))
	} else if gp.Top > 0 && gp.Interval < time.Minute {
		errs = append(errs, fmt.Errorf("server_stats.generic_plans.interval must be at least 1m, got %s", gp.Interval))
	} else if gp.Top > 0 && gp.Window < time.Hour {
		errs = append(errs, fmt.Errorf("server_stats.generic_plans.window must be at least 1h, got %s", gp.Window))
	}
	if err := cfg.Alerting.Validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.Alerting.Enabled() && !cfg.Scheduler.Enabled {
		errs = append(errs, errors.New("alerting.rules are evaluated by the scheduler: they need scheduler.enabled"))
	}
	return errors.Join(errs...)
}

// validateTraceURL accepts "" or an absolute http(s) URL with {trace_id} in it: the page
// puts the result in a link, so another scheme (javascript:) must never get there.
func validateTraceURL(s string) error {
	if s == "" {
		return nil
	}
	if !strings.Contains(s, "{trace_id}") {
		return fmt.Errorf("dashboard.trace_url must contain {trace_id}, got %q", s)
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{trace_id}", "0123456789abcdef0123456789abcdef"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("dashboard.trace_url must be an absolute http or https URL, got %q", s)
	}
	return nil
}

// apiConfig is what the GraphQL API takes of the configuration.
func (cfg *Config) apiConfig() graphqlapi.Config {
	l := cfg.Limits
	return graphqlapi.Config{ApdexTarget: cfg.Health.ApdexTarget, Limits: graphqlapi.Limits{MaxDepth: l.MaxDepth,
		MaxQueryLength: l.MaxQueryLength, MaxParallelism: l.MaxParallelism, MaxSelections: l.MaxSelections, MaxCost: l.MaxCost,
		MaxLimit: l.MaxLimit, MaxPoints: l.MaxPoints, RequestTimeout: l.RequestTimeout},
		MinuteRollups: cfg.Retention.MinuteRollups, AlertRules: cfg.Alerting.Rules, TraceURL: cfg.Dashboard.TraceURL}
}

// schedulerConfig is what the scheduler takes of the configuration (its Alerts evaluator
// is made with the alerting's metrics, by the extension).
func (cfg *Config) schedulerConfig() scheduler.Config {
	opt := cfg.Optimizer
	opt.Targets = cfg.Targets
	return scheduler.Config{DSN: cfg.DSN, Interval: cfg.Scheduler.Interval, PremakeDays: cfg.Scheduler.PremakeDays,
		Retention: scheduler.Retention(cfg.Retention), Optimizer: opt, Targets: cfg.Targets, ServerStatsInterval: cfg.ServerStats.Interval,
		GenericPlans: scheduler.GenericPlansConfig(cfg.ServerStats.GenericPlans)}
}

// alertingConfig is perfgraphql.alerting with what it takes from the rest of the configuration.
func (cfg *Config) alertingConfig() alerting.Config {
	a := cfg.Alerting
	a.ApdexTarget = cfg.Health.ApdexTarget
	a.MinuteRetention = cfg.Retention.MinuteRollups
	return a
}
