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
	"go.opentelemetry.io/collector/exporter/exporterhelper/xexporterhelper"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/semconv"
)

// NewFactory returns the factory of the perfpg exporter.
func NewFactory() exporter.Factory {
	return exporter.NewFactory(metadata.Type, createDefaultConfig,
		exporter.WithTraces(createTraces, metadata.TracesStability),
		exporter.WithMetrics(createMetrics, metadata.MetricsStability),
		exporter.WithLogs(createLogs, metadata.LogsStability))
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
			ResourceAttribute: semconv.TenantID,
			Default:           "default",
			MaxTenants:        1000,
		},
		Retention:            RetentionConfig{Logs: 720 * time.Hour, Resources: 720 * time.Hour},
		Endpoints:            EndpointsConfig{MaxPerService: 500},
		MaxFutureSkew:        time.Hour,
		FingerprintAttribute: semconv.DBQueryFingerprint,
		TimeoutConfig:        exporterhelper.NewDefaultTimeoutConfig(),
		QueueConfig:          configoptional.Some(defaultQueueConfig()),
		BackOffConfig:        defaultBackOffConfig(),
	}
}

// DefaultQueueBytes bounds the sending queue: 256 MiB of requests (in their protobuf size,
// after slimming). A bound in requests bounds nothing: one request may be a few spans or
// tens of megabytes.
const DefaultQueueBytes = 256 << 20

// defaultQueueConfig is exporterhelper's default queue bounded in bytes; its batches are
// still sized in items (rows per COPY).
func defaultQueueConfig() exporterhelper.QueueBatchConfig {
	cfg := exporterhelper.NewDefaultQueueConfig()
	cfg.Sizer = exporterhelper.RequestSizerTypeBytes
	cfg.QueueSize = DefaultQueueBytes
	return cfg
}

// defaultBackOffConfig is exporterhelper's default backoff without its 5-minute give-up
// (max_elapsed_time 0: retry until the database is back). The receiver acknowledges a
// request once it is in the persistent queue; giving up on a retryable error would drop
// acknowledged data after any outage longer than max_elapsed_time (found by
// test/e2e TestReliabilityDatabaseOutage with a shortened budget). The queue is bounded
// (sending_queue.queue_size): when it is full the receiver answers "retry later", which
// is the back-pressure an outage should produce. Permanent errors (data the database
// rejects) are still dropped at once, counted and logged.
func defaultBackOffConfig() configretry.BackOffConfig {
	cfg := configretry.NewDefaultBackOffConfig()
	cfg.MaxElapsedTime = 0
	return cfg
}

func createTraces(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Traces, error) {
	c := cfg.(*Config)
	return create(c, set, xexporterhelper.NewTracesQueueBatchSettings(), func(exp *perfExporter, opts ...exporterhelper.Option) (exporter.Traces, error) {
		return exporterhelper.NewTraces(ctx, set, cfg, exp.pushTraces, opts...)
	}, func(_ *perfExporter, h exporter.Traces) (exporter.Traces, error) {
		return newFrontTraces(c, h)
	})
}

func createMetrics(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Metrics, error) {
	c := cfg.(*Config)
	return create(c, set, xexporterhelper.NewMetricsQueueBatchSettings(), func(exp *perfExporter, opts ...exporterhelper.Option) (exporter.Metrics, error) {
		return exporterhelper.NewMetrics(ctx, set, cfg, exp.pushMetrics, opts...)
	}, func(_ *perfExporter, h exporter.Metrics) (exporter.Metrics, error) {
		return newFrontMetrics(c, h)
	})
}

// createLogs: the logs pipeline carries auto_explain plans from PostgreSQL's server log
// (filelog receiver); its front redacts them before the queue (logs.go).
func createLogs(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Logs, error) {
	c := cfg.(*Config)
	return create(c, set, xexporterhelper.NewLogsQueueBatchSettings(), func(exp *perfExporter, opts ...exporterhelper.Option) (exporter.Logs, error) {
		return exporterhelper.NewLogs(ctx, set, cfg, exp.pushLogs, opts...)
	}, func(exp *perfExporter, h exporter.Logs) (exporter.Logs, error) {
		return &frontLogs{Logs: h, front: newFront(c), telemetry: exp.telemetry}, nil
	})
}

// create builds the exporter and its exporterhelper (traces, metrics or logs, the same options
// for every signal; queue the signal's default queue settings, whose encoding is compressed),
// then puts the front (tenant stamp, slimmer) before the helper.
func create[E any](c *Config, set exporter.Settings, queue xexporterhelper.QueueBatchSettings, newHelper func(*perfExporter, ...exporterhelper.Option) (E, error), wrap func(*perfExporter, E) (E, error)) (E, error) {
	var none E
	exp, err := newExporter(c, set)
	if err != nil {
		return none, err
	}
	helper, err := newHelper(exp,
		exporterhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		exporterhelper.WithStart(exp.start),
		exporterhelper.WithShutdown(exp.shutdown),
		exporterhelper.WithTimeout(c.TimeoutConfig),
		xexporterhelper.WithQueueBatch(c.QueueConfig, compressQueue(queue)),
		exporterhelper.WithRetry(c.BackOffConfig))
	if err != nil {
		return none, err
	}
	return wrap(exp, helper)
}
