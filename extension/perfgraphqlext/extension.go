package perfgraphqlext

import (
	"context"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/extension"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type perfExtension struct {
	cfg      *Config
	settings extension.Settings
	pool     *pgxpool.Pool
	server   *http.Server
	done     chan struct{}
}

func newExtension(cfg *Config, set extension.Settings) *perfExtension {
	return &perfExtension{cfg: cfg, settings: set}
}

func (e *perfExtension) Start(ctx context.Context, host component.Host) error {
	pool, err := perfdb.Open(ctx, e.cfg.DSN)
	if err != nil {
		return err
	}
	e.pool = pool

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
	// The GraphQL API and the dashboard come with their own issues; until then the
	// server says so instead of answering with invented data.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "perfgraphql: the GraphQL API and dashboard are not implemented yet", http.StatusNotImplemented)
	})
	return mux
}

func (e *perfExtension) Shutdown(ctx context.Context) error {
	var err error
	if e.server != nil {
		err = e.server.Shutdown(ctx)
		<-e.done
	}
	if e.pool != nil {
		e.pool.Close()
	}
	return err
}
