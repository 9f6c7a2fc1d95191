package perfgraphqlext

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/graph-gophers/graphql-go"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/extension"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/dashboard"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type perfExtension struct {
	cfg      *Config
	settings extension.Settings
	now      func() time.Time

	pool   *pgxpool.Pool
	store  *store
	schema *graphql.Schema
	server *http.Server
	done   chan struct{}

	sched       *scheduler
	schedCancel context.CancelFunc
	schedDone   chan struct{}
}

func newExtension(cfg *Config, set extension.Settings) *perfExtension {
	return &perfExtension{cfg: cfg, settings: set, now: time.Now}
}

func (e *perfExtension) Start(ctx context.Context, host component.Host) error {
	pool, err := perfdb.Open(ctx, e.cfg.DSN)
	if err != nil {
		return err
	}
	e.pool = pool
	e.store = &store{pool: pool, timeout: e.cfg.Limits.RequestTimeout}
	if e.schema, err = e.newSchema(); err != nil {
		return fmt.Errorf("perfgraphql: schema: %w", err)
	}

	if e.cfg.Scheduler.Enabled {
		metrics, err := newSchedulerMetrics(e.settings.TelemetrySettings.MeterProvider)
		if err != nil {
			return fmt.Errorf("perfgraphql: metrics: %w", err)
		}
		e.sched = newScheduler(e.cfg.DSN, e.cfg, e.settings.Logger, metrics)
		sctx, cancel := context.WithCancel(context.Background())
		e.schedCancel, e.schedDone = cancel, make(chan struct{})
		go func() {
			defer close(e.schedDone)
			e.sched.run(sctx)
		}()
	}

	listener, err := e.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return err
	}
	e.server, err = e.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), e.settings.TelemetrySettings, e.routes())
	if err != nil {
		_ = listener.Close()
		return err
	}
	e.done = make(chan struct{})
	go func() {
		defer close(e.done)
		if err := e.server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.settings.Logger.Error("perfgraphql server stopped", zap.Error(err))
			componentstatus.ReportStatus(host, componentstatus.NewFatalErrorEvent(err))
		}
	}()
	e.settings.Logger.Info("perfgraphql listening", zap.String("endpoint", listener.Addr().String()))
	return nil
}

func (e *perfExtension) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", e.graphqlHandler)
	// The dashboard (internal/dashboard): static files embedded in the binary that read
	// everything from /graphql.
	mux.Handle("/", dashboard.Handler())
	return mux
}

func (e *perfExtension) Shutdown(ctx context.Context) error {
	var err error
	if e.server != nil {
		err = e.server.Shutdown(ctx)
		<-e.done
	}
	if e.schedCancel != nil {
		e.schedCancel()
		select {
		case <-e.schedDone:
		case <-ctx.Done():
		}
	}
	if e.pool != nil {
		e.pool.Close()
	}
	return err
}
