package perfpgexporter

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type perfExporter struct {
	cfg    *Config
	logger *zap.Logger
	pool   *pgxpool.Pool
}

func newExporter(cfg *Config, set exporter.Settings) *perfExporter {
	return &perfExporter{cfg: cfg, logger: set.Logger}
}

// start provisions the database (created when missing, migrations applied under an
// advisory lock) and opens the connection pool.
func (e *perfExporter) start(ctx context.Context, _ component.Host) error {
	pool, err := perfdb.Open(ctx, e.cfg.DSN)
	if err != nil {
		return err
	}
	e.pool = pool
	return nil
}

func (e *perfExporter) shutdown(context.Context) error {
	if e.pool != nil {
		e.pool.Close()
	}
	return nil
}

var errNotImplemented = errors.New("perfpg: writing performance logs is not implemented yet")

func (e *perfExporter) pushTraces(context.Context, ptrace.Traces) error {
	return consumererror.NewPermanent(errNotImplemented)
}

func (e *perfExporter) pushMetrics(context.Context, pmetric.Metrics) error {
	return consumererror.NewPermanent(errNotImplemented)
}
