package perfpgexporter

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metricrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgwriter"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// provisionTimeout bounds the database provisioning attempt at start; when the database is
// unreachable the collector still starts, and pushes fail with retryable errors (the
// queue holds the data) until provisioning succeeds.
const provisionTimeout = 15 * time.Second

type perfExporter struct {
	cfg       *Config
	logger    *zap.Logger
	telemetry *telemetry
	now       func() time.Time

	converters sync.Pool // *spanrows.Converter: not safe for concurrent use
	metrics    *metricrows.Converter

	mu           sync.Mutex
	pool         *pgxpool.Pool
	writer       *pgwriter.Writer
	tokenTenants map[string]bool // see tokenTenants
}

// tokenTenants collects the tenants that authenticator extensions bind to credentials
// (perfgraphql's tenants.tokens): they may reach the exporter through the metadata key
// only (a batch processor drops client.Info.Auth), and tenant.max_tenants must not cap them.
func tokenTenants(host component.Host) map[string]bool {
	out := map[string]bool{}
	for _, ext := range host.GetExtensions() {
		if tt, ok := ext.(interface{ TokenTenants() []string }); ok {
			for _, t := range tt.TokenTenants() {
				out[t] = true
			}
		}
	}
	return out
}

func newExporter(cfg *Config, set exporter.Settings) (*perfExporter, error) {
	tel, err := newTelemetry(set.TelemetrySettings, set.Logger)
	if err != nil {
		return nil, err
	}
	e := &perfExporter{cfg: cfg, logger: set.Logger, telemetry: tel, now: time.Now}
	spanOpts := spanrows.Options{
		TenantAttribute: cfg.Tenant.ResourceAttribute,
		DefaultTenant:   cfg.Tenant.Default,
		Retention:       cfg.Retention.Logs,
		MaxFutureSkew:   cfg.MaxFutureSkew,
	}
	e.converters.New = func() any { return spanrows.NewConverter(spanOpts) }
	e.metrics = metricrows.NewConverter(metricrows.Options{
		TenantAttribute: cfg.Tenant.ResourceAttribute,
		DefaultTenant:   cfg.Tenant.Default,
		Retention:       cfg.Retention.Resources,
		MaxFutureSkew:   cfg.MaxFutureSkew,
	})
	return e, nil
}

// start provisions the database (created when missing, migrations applied under an
// advisory lock). An unreachable database does not stop the collector: see provisionTimeout.
func (e *perfExporter) start(ctx context.Context, host component.Host) error {
	e.mu.Lock()
	e.tokenTenants = tokenTenants(host)
	e.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, provisionTimeout)
	defer cancel()
	if _, err := e.connect(ctx); err != nil {
		e.logger.Warn("perfpg: database not ready at start; data is queued and retried", zap.Error(err))
	}
	return nil
}

// connect returns the writer, provisioning the database on first use.
func (e *perfExporter) connect(ctx context.Context) (*pgwriter.Writer, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.writer != nil {
		return e.writer, nil
	}
	pool, err := perfdb.Open(ctx, e.cfg.DSN)
	if err != nil {
		return nil, err
	}
	e.pool = pool
	e.writer = pgwriter.New(pool, pgwriter.Options{
		MaxEndpointsPerService: e.cfg.Endpoints.MaxPerService,
		MaxTenants:             e.cfg.Tenant.MaxTenants,
		DefaultTenant:          e.cfg.Tenant.Default,
		TokenTenants:           e.tokenTenants,
	})
	return e.writer, nil
}

func (e *perfExporter) shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pool != nil {
		e.pool.Close()
		e.pool, e.writer = nil, nil
	}
	return nil
}

func (e *perfExporter) pushTraces(ctx context.Context, td ptrace.Traces) error {
	w, err := e.connect(ctx)
	if err != nil {
		return fmt.Errorf("perfpg: database unavailable: %w", err)
	}
	now := e.now()
	err = e.writeTraces(ctx, w, td, now, true)
	if err != nil && pgwriter.IsPermanent(err) {
		e.logger.Warn("perfpg: the database rejected a batch; writing its parts separately to drop only the rejected spans", zap.Error(err))
		err = e.isolateTraces(ctx, w, td, now)
	}
	if err != nil && !pgwriter.IsPermanent(err) {
		return fmt.Errorf("perfpg: write traces: %w", err)
	}
	return err
}

// writeTraces converts and stores td; countDrops counts the spans the converter dropped
// (only once per request: isolateTraces converts parts again).
func (e *perfExporter) writeTraces(ctx context.Context, w *pgwriter.Writer, td ptrace.Traces, now time.Time, countDrops bool) error {
	conv := e.converters.Get().(*spanrows.Converter)
	batch := conv.Convert(td, now)
	e.converters.Put(conv)
	if countDrops {
		for _, reason := range spanrows.AllDropReasons {
			e.telemetry.dropped(ctx, "span", reason.String(), batch.Dropped[reason])
		}
	}
	start := time.Now()
	res, err := w.WriteTraces(ctx, batch, now)
	e.telemetry.writeDuration(ctx, "traces", time.Since(start), err)
	if err != nil {
		return err
	}
	e.telemetry.written(ctx, "api_performance_log", res.APIRows)
	e.telemetry.written(ctx, "query_performance_log", res.QueryRows)
	e.telemetry.redirectedToDefault(ctx, "span", res.Redirected)
	if res.Replayed {
		e.telemetry.replayed(ctx)
		if dup := int64(len(batch.API)+len(batch.Queries)) - res.APIRows - res.QueryRows; dup > 0 {
			e.telemetry.dropped(ctx, "span", "duplicate", int(dup))
		}
	}
	return nil
}

// isolateTraces writes td, which the database rejected as a whole (a permanent error such
// as a value out of range), in halves — first by resource (one tenant each), then by span —
// so that only the spans the database rejects are counted and dropped, never their
// neighbours. A retryable error stops it: the request is retried whole, and the parts
// already stored are recognised as replays.
func (e *perfExporter) isolateTraces(ctx context.Context, w *pgwriter.Writer, td ptrace.Traces, now time.Time) error {
	parts := splitTraces(td)
	if parts == nil {
		e.telemetry.dropped(ctx, "span", "rejected", td.SpanCount())
		return nil
	}
	for _, p := range parts {
		err := e.writeTraces(ctx, w, p, now, false)
		if err != nil && pgwriter.IsPermanent(err) {
			err = e.isolateTraces(ctx, w, p, now)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (e *perfExporter) pushMetrics(ctx context.Context, md pmetric.Metrics) error {
	w, err := e.connect(ctx)
	if err != nil {
		return fmt.Errorf("perfpg: database unavailable: %w", err)
	}
	now := e.now()
	err = e.writeMetrics(ctx, w, md, now, true)
	if err != nil && pgwriter.IsPermanent(err) {
		e.logger.Warn("perfpg: the database rejected a batch; writing its parts separately to drop only the rejected points", zap.Error(err))
		err = e.isolateMetrics(ctx, w, md, now)
	}
	if err != nil && !pgwriter.IsPermanent(err) {
		return fmt.Errorf("perfpg: write metrics: %w", err)
	}
	return err
}

func (e *perfExporter) writeMetrics(ctx context.Context, w *pgwriter.Writer, md pmetric.Metrics, now time.Time, countDrops bool) error {
	batch := e.metrics.Convert(md, now)
	if countDrops {
		e.telemetry.dropped(ctx, "point", "out_of_window", batch.Dropped)
	}
	start := time.Now()
	res, err := w.WriteMetrics(ctx, batch)
	e.telemetry.writeDuration(ctx, "metrics", time.Since(start), err)
	if err != nil {
		return err
	}
	e.telemetry.written(ctx, "system_resource_metrics", res.ResourceRows)
	e.telemetry.written(ctx, "db_pool_metrics", res.PoolRows)
	e.telemetry.redirectedToDefault(ctx, "point", res.Redirected)
	return nil
}

// isolateMetrics is isolateTraces for metrics: halves by resource, then by metric.
func (e *perfExporter) isolateMetrics(ctx context.Context, w *pgwriter.Writer, md pmetric.Metrics, now time.Time) error {
	parts := splitMetrics(md)
	if parts == nil {
		e.telemetry.dropped(ctx, "point", "rejected", md.DataPointCount())
		return nil
	}
	for _, p := range parts {
		err := e.writeMetrics(ctx, w, p, now, false)
		if err != nil && pgwriter.IsPermanent(err) {
			err = e.isolateMetrics(ctx, w, p, now)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
