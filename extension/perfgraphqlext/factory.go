package perfgraphqlext

import (
	"context"
	"os"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/extension"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// DefaultEndpoint of the GraphQL API and dashboard.
const DefaultEndpoint = "127.0.0.1:4000"

// NewFactory returns the factory of the perfgraphql extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(metadata.Type, createDefaultConfig, createExtension, metadata.ExtensionStability)
}

func createDefaultConfig() component.Config {
	dsn := os.Getenv("PERF_PG_DSN")
	if dsn == "" {
		dsn = perfdb.DefaultDSN
	}
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = DefaultEndpoint
	// A request's body must arrive within ReadTimeout (a GraphQL body is at most 1 MiB):
	// a client that trickles it no longer holds a connection forever. The deadline is on the
	// connection; a handler that hijacks it for a long-lived protocol (a WebSocket) must clear
	// it after Hijack with conn.SetDeadline(time.Time{}), as it must the WriteTimeout.
	server.ReadTimeout = 30 * time.Second
	return &Config{
		DSN:          dsn,
		ServerConfig: server,
		Tenants:      TenantsConfig{MetadataKey: "X-Scope-OrgID"},
		Scheduler:    SchedulerConfig{Enabled: true, Interval: 15 * time.Second, PremakeDays: 3},
		Retention: RetentionConfig{Logs: 720 * time.Hour, Resources: 720 * time.Hour,
			HourlyRollups: 2160 * time.Hour, DailyRollups: 9600 * time.Hour, MinuteRollups: 48 * time.Hour,
			RawSpans: RawSpansKeepAll, RawSampleRate: 0.1, RawSlowRequest: 2 * time.Second, RawSlowQuery: time.Second},
		Health: HealthConfig{ApdexTarget: 500 * time.Millisecond},
		Limits: LimitsConfig{
			MaxDepth:       10,
			MaxQueryLength: 16 << 10,
			MaxParallelism: 4,
			MaxSelections:  2000,
			MaxCost:        40,
			MaxLimit:       500,
			MaxPoints:      2000,
			RequestTimeout: 15 * time.Second,
			Subscriptions: SubscriptionLimitsConfig{MaxConnectionsPerTenant: 50, MaxPerConnection: 20,
				MaxMessagesPerSecond: 10, ConnectionInitTimeout: 10 * time.Second, KeepAlive: 30 * time.Second},
		},
		Optimizer: optimizer.DefaultConfig(),
		ServerStats: ServerStatsConfig{Interval: time.Minute,
			GenericPlans: GenericPlansConfig{Top: 20, Interval: time.Hour, Window: 24 * time.Hour}},
		Alerting: alerting.DefaultConfig(),
	}
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	return newExtension(cfg.(*Config), set), nil
}
