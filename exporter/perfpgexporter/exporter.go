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
	// targetTenants: db_namespace -> tenants of the perfgraphql extension's targets (see
	// findTargetTenants); the tenant of an auto_explain plan (logs.go)
	targetTenants map[string][]string
}

// findTargetTenants reads the monitored databases of the host's extensions (perfgraphql's
// targets): a plan from a server log is stored under the tenant of its database's target.
func findTargetTenants(host component.Host) map[string][]string {
	out := map[string][]string{}
	for _, ext := range host.GetExtensions() {
		if tt, ok := ext.(interface{ TargetTenants() map[string][]string }); ok {
			for db, tenants := range tt.TargetTenants() {
				out[db] = append(out[db], tenants...)
			}
		}
	}
	return out
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
		TenantAttribute:      cfg.Tenant.ResourceAttribute,
		DefaultTenant:        cfg.Tenant.Default,
		Retention:            cfg.Retention.Logs,
		MaxFutureSkew:        cfg.MaxFutureSkew,
		FingerprintAttribute: cfg.FingerprintAttribute,
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
	e.targetTenants = findTargetTenants(host)
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
	write := func(p ptrace.Traces, whole bool) error { return e.writeTraces(ctx, w, p, now, whole) }
	resources := func(p ptrace.Traces) int { return p.ResourceSpans().Len() }
	if err := writeIsolating(ctx, e, "span", td, write, splitTraces, ptrace.Traces.SpanCount, resources); err != nil {
		return fmt.Errorf("perfpg: write traces: %w", err)
	}
	return nil
}

// writeIsolating writes data. When the database rejects it as a whole (a permanent error,
// such as a value out of range), it writes it in halves — first by resource (one tenant
// each), then by span or metric — so that only what the database rejects is counted and
// dropped, never its neighbours; a resource whose tenant the database rejects is dropped
// at once. It returns only retryable errors: the request is then retried whole, and the
// parts already stored are recognised as replays.
func writeIsolating[T any](ctx context.Context, e *perfExporter, kind string, data T,
	write func(data T, whole bool) error, split func(T) []T, size, resources func(T) int) error {
	err := write(data, true)
	if err == nil || !pgwriter.IsPermanent(err) {
		return err
	}
	e.logger.Warn("perfpg: the database rejected a batch; writing its parts separately to drop only what it rejects",
		zap.String("kind", kind), zap.Error(err))
	var isolate func(T) error
	isolate = func(d T) error {
		parts := split(d)
		if parts == nil {
			e.telemetry.dropped(ctx, kind, "rejected", size(d))
			return nil
		}
		for _, p := range parts {
			err := write(p, false)
			if err != nil && pgwriter.IsPermanent(err) && pgwriter.IsTenantError(err) && resources(p) == 1 {
				e.telemetry.dropped(ctx, kind, "rejected", size(p))
				continue
			}
			if err != nil && pgwriter.IsPermanent(err) {
				err = isolate(p)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return isolate(data)
}

// writeTraces converts and stores td; countDrops counts the spans the converter dropped
// (only once per request: writeIsolating converts parts again).
func (e *perfExporter) writeTraces(ctx context.Context, w *pgwriter.Writer, td ptrace.Traces, now time.Time, countDrops bool) error {
	conv := e.converters.Get().(*spanrows.Converter)
	batch := conv.Convert(td, now)
	e.converters.Put(conv)
	if countDrops {
		for _, reason := range spanrows.AllDropReasons {
			e.telemetry.dropped(ctx, "span", reason.String(), batch.Dropped[reason])
		}
		e.telemetry.fingerprintsReplaced(ctx, batch.ForeignFingerprints)
		for _, role := range spanrows.AllSkippedRoles {
			e.telemetry.notExecutions(ctx, role.String(), batch.NotExecutions[role])
		}
		e.telemetry.notExecutions(ctx, "nested", batch.NotExecutions[spanrows.RoleExecution])
	}
	start := time.Now()
	res, err := w.WriteTraces(ctx, batch, now)
	e.telemetry.writeDuration(ctx, "traces", time.Since(start), err)
	if err != nil {
		return err
	}
	e.telemetry.written(ctx, perfdb.APILogTable, res.APIRows)
	e.telemetry.written(ctx, perfdb.QueryLogTable, res.QueryRows)
	e.telemetry.redirectedToDefault(ctx, "span", res.Redirected)
	if res.Replayed {
		e.telemetry.replayed(ctx)
		if dup := int64(len(batch.API)+len(batch.Queries)) - res.APIRows - res.QueryRows; dup > 0 {
			e.telemetry.dropped(ctx, "span", "duplicate", int(dup))
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
	write := func(p pmetric.Metrics, whole bool) error { return e.writeMetrics(ctx, w, p, now, whole) }
	resources := func(p pmetric.Metrics) int { return p.ResourceMetrics().Len() }
	if err := writeIsolating(ctx, e, "point", md, write, splitMetrics, pmetric.Metrics.DataPointCount, resources); err != nil {
		return fmt.Errorf("perfpg: write metrics: %w", err)
	}
	return nil
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
	e.telemetry.written(ctx, perfdb.ResourceMetricsTable, res.ResourceRows)
	e.telemetry.written(ctx, perfdb.PoolMetricsTable, res.PoolRows)
	e.telemetry.redirectedToDefault(ctx, "point", res.Redirected)
	return nil
}
