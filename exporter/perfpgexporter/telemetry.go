package perfpgexporter

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
)

// telemetry is the exporter's self-telemetry, exported like every component's through the
// collector's own metrics (:8888 by default).
type telemetry struct {
	logger      *zap.Logger
	rowsWritten metric.Int64Counter
	rowsDropped metric.Int64Counter
	redirected  metric.Int64Counter
	replays     metric.Int64Counter
	replacedFPs metric.Int64Counter
	notExecs    metric.Int64Counter
	duration    metric.Float64Histogram
	loggedOnce  sync.Map // drop reasons already logged
}

func newTelemetry(set component.TelemetrySettings, logger *zap.Logger) (*telemetry, error) {
	meter := set.MeterProvider.Meter(metadata.ScopeName)
	t := &telemetry{logger: logger}
	var err error
	if t.rowsWritten, err = meter.Int64Counter("otelcol_perfpg_rows_written",
		metric.WithDescription("Rows written per table"), metric.WithUnit("{row}")); err != nil {
		return nil, err
	}
	if t.rowsDropped, err = meter.Int64Counter("otelcol_perfpg_rows_dropped",
		metric.WithDescription("Spans and points not stored, per reason"), metric.WithUnit("{row}")); err != nil {
		return nil, err
	}
	if t.redirected, err = meter.Int64Counter("otelcol_perfpg_rows_redirected",
		metric.WithDescription("Rows stored under the default tenant instead of the one the client named, per reason"),
		metric.WithUnit("{row}")); err != nil {
		return nil, err
	}
	if t.replays, err = meter.Int64Counter("otelcol_perfpg_replayed_batches",
		metric.WithDescription("Batches that held rows already stored and took the idempotent path"), metric.WithUnit("{batch}")); err != nil {
		return nil, err
	}
	if t.replacedFPs, err = meter.Int64Counter("otelcol_perfpg_fingerprints_replaced",
		metric.WithDescription("Query spans whose fingerprint attribute differed from the fingerprint of the exporter's own normalization of the statement, which the row is stored under"),
		metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.notExecs, err = meter.Int64Counter("otelcol_perfpg_db_spans_not_executions",
		metric.WithDescription("DB spans with a statement not stored as query executions, per role: prepare, rows, connection, "+
			"transaction, other, and nested (an execution under an execution of the same statement)"),
		metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.duration, err = meter.Float64Histogram("otelcol_perfpg_write_duration",
		metric.WithDescription("Time to write one batch"), metric.WithUnit("s")); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *telemetry) written(ctx context.Context, table string, n int64) {
	if n > 0 {
		t.rowsWritten.Add(ctx, n, metric.WithAttributes(attribute.String("table", table)))
	}
}

// dropped counts n dropped items; each (kind, reason) is logged the first time only.
func (t *telemetry) dropped(ctx context.Context, kind, reason string, n int) {
	if n <= 0 {
		return
	}
	t.rowsDropped.Add(ctx, int64(n), metric.WithAttributes(attribute.String("kind", kind), attribute.String("reason", reason)))
	if _, seen := t.loggedOnce.LoadOrStore(kind+"/"+reason, true); !seen {
		t.logger.Warn("perfpg: dropping data (logged once per reason; see otelcol_perfpg_rows_dropped)",
			zap.String("kind", kind), zap.String("reason", reason), zap.Int("count", n))
	}
}

// notExecutions counts DB spans that are no execution of their statement. Dropping them
// is the normal case for most instrumentations, so it is not logged.
func (t *telemetry) notExecutions(ctx context.Context, role string, n int) {
	if n > 0 {
		t.notExecs.Add(ctx, int64(n), metric.WithAttributes(attribute.String("role", role)))
	}
}

// redirectedToDefault counts n rows stored under the default tenant; logged once per kind.
func (t *telemetry) redirectedToDefault(ctx context.Context, kind string, n int) {
	if n <= 0 {
		return
	}
	t.redirected.Add(ctx, int64(n), metric.WithAttributes(attribute.String("kind", kind), attribute.String("reason", "max_tenants")))
	if _, seen := t.loggedOnce.LoadOrStore(kind+"/max_tenants", true); !seen {
		t.logger.Warn("perfpg: tenant.max_tenants reached: rows of new tenants named by clients go to the default tenant "+
			"(logged once; see otelcol_perfpg_rows_redirected)", zap.String("kind", kind), zap.Int("count", n))
	}
}

// fingerprintsReplaced counts n spans stored under another fingerprint than their
// attribute named: a client's forgery, or a processor configured otherwise (for example a
// shorter max_statement_length); logged once.
func (t *telemetry) fingerprintsReplaced(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	t.replacedFPs.Add(ctx, int64(n))
	if _, seen := t.loggedOnce.LoadOrStore("fingerprints_replaced", true); !seen {
		t.logger.Warn("perfpg: spans carried a fingerprint other than their statement's; stored under the statement's own "+
			"(logged once; see otelcol_perfpg_fingerprints_replaced)", zap.Int("count", n))
	}
}

func (t *telemetry) replayed(ctx context.Context) { t.replays.Add(ctx, 1) }

func (t *telemetry) writeDuration(ctx context.Context, signal string, d time.Duration, err error) {
	t.duration.Record(ctx, d.Seconds(), metric.WithAttributes(
		attribute.String("signal", signal), attribute.Bool("success", err == nil)))
}
