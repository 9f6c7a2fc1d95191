// Package perfpgexporter writes spans and metrics as performance logs into partitioned
// PostgreSQL tables (component type "perfpg").
package perfpgexporter

import (
	"context"
	"os"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// NewFactory returns the factory of the perfpg exporter.
func NewFactory() exporter.Factory {
	return exporter.NewFactory(metadata.Type, createDefaultConfig,
		exporter.WithTraces(createTraces, metadata.TracesStability),
		exporter.WithMetrics(createMetrics, metadata.MetricsStability))
}

func defaultDSN() string {
	if dsn := os.Getenv("PERF_PG_DSN"); dsn != "" {
		return dsn
	}
	return perfdb.DefaultDSN
}

func createDefaultConfig() component.Config {
	return &Config{
		DSN: defaultDSN(),
		Tenant: TenantConfig{
			MetadataKey:       "X-Scope-OrgID",
			ResourceAttribute: "tenant.id",
			Default:           "default",
		},
		Retention:     RetentionConfig{Logs: 720 * time.Hour, Resources: 720 * time.Hour},
		Endpoints:     EndpointsConfig{MaxPerService: 500},
		MaxFutureSkew: time.Hour,
		TimeoutConfig: exporterhelper.NewDefaultTimeoutConfig(),
		QueueConfig:   configoptional.Some(exporterhelper.NewDefaultQueueConfig()),
		BackOffConfig: configretry.NewDefaultBackOffConfig(),
	}
}

func createTraces(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Traces, error) {
	c := cfg.(*Config)
	exp := newExporter(c, set)
	return exporterhelper.NewTraces(ctx, set, cfg, exp.pushTraces,
		exporterhelper.WithCapabilities(consumer.Capabilities{MutatesData: false}),
		exporterhelper.WithStart(exp.start),
		exporterhelper.WithShutdown(exp.shutdown),
		exporterhelper.WithTimeout(c.TimeoutConfig),
		exporterhelper.WithQueue(c.QueueConfig),
		exporterhelper.WithRetry(c.BackOffConfig))
}

func createMetrics(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Metrics, error) {
	c := cfg.(*Config)
	exp := newExporter(c, set)
	return exporterhelper.NewMetrics(ctx, set, cfg, exp.pushMetrics,
		exporterhelper.WithCapabilities(consumer.Capabilities{MutatesData: false}),
		exporterhelper.WithStart(exp.start),
		exporterhelper.WithShutdown(exp.shutdown),
		exporterhelper.WithTimeout(c.TimeoutConfig),
		exporterhelper.WithQueue(c.QueueConfig),
		exporterhelper.WithRetry(c.BackOffConfig))
}
