package perfgraphqlext

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/extension"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/alerting"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/dashboard"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/gqlws"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/livehub"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/scheduler"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

type perfExtension struct {
	cfg      *Config
	settings extension.Settings
	now      func() time.Time

	store  *rollup.Store
	api    *graphqlapi.API
	server *http.Server
	done   chan struct{}

	// The database is opened (created, migrated) in the background: the collector starts
	// and its queue takes data while PostgreSQL is down. Until ready, /graphql answers 503
	// with notReady's message and /healthz says degraded.
	ready       atomic.Bool
	notReady    atomic.Pointer[string]
	connCancel  context.CancelFunc
	connDone    chan struct{}
	pool        *pgxpool.Pool // set once ready (read after connDone)
	readPool    *pgxpool.Pool // read_dsn's, set once ready when configured
	sched       *scheduler.Scheduler
	schedCancel context.CancelFunc
	schedDone   chan struct{}
	// alerting: rules evaluated by the scheduler, delivered by the sender
	alertMetrics *alerting.Metrics
	senderDone   chan struct{}

	// Live subscriptions: the hub of this replica, fed by one LISTEN connection.
	hub          *livehub.Hub
	ws           *gqlws.Server
	listenCancel context.CancelFunc
	listenDone   chan struct{}
}

func newExtension(cfg *Config, set extension.Settings) *perfExtension {
	return &perfExtension{cfg: cfg, settings: set, now: time.Now}
}

// Backoff between attempts to open the database.
const (
	connectBackoffMin = time.Second
	connectBackoffMax = 30 * time.Second
	// reaching the server (and creating the database) in one attempt; migrating is not
	// bounded: a migration of a large database may take long, and must not start over
	connectTimeout = 30 * time.Second
)

func (e *perfExtension) Start(ctx context.Context, host component.Host) error {
	msg := "database not ready: connecting"
	e.notReady.Store(&msg) // before the server answers its first request
	e.store = &rollup.Store{Timeout: e.cfg.Limits.RequestTimeout}
	var err error
	e.hub = livehub.New()
	if e.api, err = graphqlapi.New(e.cfg.apiConfig(), e.store, e.hub, e.settings.Logger, e.now); err != nil {
		return fmt.Errorf("perfgraphql: schema: %w", err)
	}
	wsMetrics, err := gqlws.NewMetrics(e.settings.TelemetrySettings.MeterProvider.Meter(metadata.ScopeName))
	if err != nil {
		return fmt.Errorf("perfgraphql: metrics: %w", err)
	}
	sl := e.cfg.Limits.Subscriptions
	e.ws = &gqlws.Server{Exec: e.api.Subscribe, Logger: e.settings.Logger, Metrics: wsMetrics, Limits: gqlws.Limits{
		ConnectionsPerTenant: sl.MaxConnectionsPerTenant, SubscriptionsPerConnection: sl.MaxPerConnection,
		MessagesPerSecond: sl.MaxMessagesPerSecond, InitTimeout: sl.ConnectionInitTimeout, KeepAlive: sl.KeepAlive,
		WriteTimeout: e.cfg.Limits.RequestTimeout, MaxMessageBytes: maxBodyBytes}}
	var metrics *scheduler.Metrics
	if e.cfg.Scheduler.Enabled {
		if metrics, err = scheduler.NewMetrics(e.settings.TelemetrySettings.MeterProvider); err != nil {
			return fmt.Errorf("perfgraphql: metrics: %w", err)
		}
		if e.cfg.Alerting.Enabled() {
			if e.alertMetrics, err = alerting.NewMetrics(e.settings.TelemetrySettings.MeterProvider); err != nil {
				return fmt.Errorf("perfgraphql: metrics: %w", err)
			}
		}
	}

	listener, err := e.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return err
	}
	e.server, err = e.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), e.settings.TelemetrySettings, e.newGuard(e.routes()))
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

	// Reported before Start returns, so the collector does not mark the extension OK
	// (it does so only while the status is still Starting).
	componentstatus.ReportStatus(host, componentstatus.NewRecoverableErrorEvent(errors.New(msg)))
	cctx, cancel := context.WithCancel(context.Background())
	e.connCancel, e.connDone = cancel, make(chan struct{})
	go func() {
		defer close(e.connDone)
		e.connect(cctx, host, metrics)
	}()
	return nil
}

// connect opens the database, retrying with backoff until it succeeds or the extension
// stops; it logs and reports the status once per change of the failure, then starts the
// scheduler and marks the extension ready.
func (e *perfExtension) connect(ctx context.Context, host component.Host, metrics *scheduler.Metrics) {
	logger := e.settings.Logger
	backoff := connectBackoffMin
	last := ""
	for {
		pool, err := e.open(ctx)
		if err == nil && e.cfg.ReadDSN != "" {
			// connects lazily: a standby that is down at start only sends the reads to the
			// primary until it is up (rollup.Replica probes it)
			var rp *pgxpool.Pool
			if rp, err = pgxpool.New(ctx, string(e.cfg.ReadDSN)); err != nil {
				pool.Close()
				err = errors.New("read_dsn: cannot make a connection pool of it") // its error may quote the password
			} else {
				e.readPool = rp
				e.store.Replica = &rollup.Replica{Pool: rp, Logger: logger}
			}
		}
		if err == nil {
			// only the reads of the GraphQL API may go to read_dsn: everything that writes
			// (migrations, scheduler, engine, alerts) takes this pool of dsn
			e.pool = pool
			e.store.Pool = pool
			lctx, lcancel := context.WithCancel(context.Background())
			e.listenCancel, e.listenDone = lcancel, make(chan struct{})
			go func() {
				defer close(e.listenDone)
				livehub.Listen(lctx, e.cfg.DSN, e.hub, logger, nil)
			}()
			if metrics != nil {
				var alerts *alerting.Evaluator
				if e.alertMetrics != nil {
					alerts = alerting.NewEvaluator(e.cfg.alertingConfig(), e.alertMetrics, logger)
				}
				sc := e.cfg.schedulerConfig()
				sc.Alerts = alerts
				e.sched = scheduler.New(sc, logger, metrics)
				sctx, scancel := context.WithCancel(context.Background())
				e.schedCancel, e.schedDone = scancel, make(chan struct{})
				go func() {
					defer close(e.schedDone)
					e.sched.Run(sctx)
				}()
				if alerts != nil {
					// apart from the scheduler: a slow receiver never holds up a tick
					sender := alerting.NewSender(pool, e.cfg.alertingConfig(), e.alertMetrics, logger)
					e.senderDone = make(chan struct{})
					go func() {
						defer close(e.senderDone)
						sender.Run(sctx)
					}()
				}
			}
			e.ready.Store(true) // after store.pool: a request that sees ready sees the pool
			componentstatus.ReportStatus(host, componentstatus.NewEvent(componentstatus.StatusOK))
			if last != "" {
				logger.Info("perfgraphql: database ready, GraphQL serves again")
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		msg := "database not ready: " + notReadyReason(err)
		e.notReady.Store(&msg)
		if err.Error() != last {
			last = err.Error()
			logger.Warn("perfgraphql: database not ready; GraphQL answers 503 and the health is degraded until it is, retrying",
				zap.Error(err), zap.Duration("next_attempt_in", backoff))
			componentstatus.ReportStatus(host, componentstatus.NewRecoverableErrorEvent(fmt.Errorf("database not ready: %w", err)))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, connectBackoffMax)
	}
}

// open is perfdb.Open with a bound on reaching the server only.
func (e *perfExtension) open(ctx context.Context) (*pgxpool.Pool, error) {
	actx, cancel := context.WithTimeout(ctx, connectTimeout)
	err := perfdb.EnsureDatabase(actx, e.cfg.DSN)
	cancel()
	if err != nil {
		return nil, err
	}
	if err := perfdb.Migrate(ctx, e.cfg.DSN); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, e.cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("perfdb: connect: %w", err)
	}
	return pool, nil
}

// notReadyReason says why the database is not ready without the connection details (host,
// user, database) that the full error carries: /graphql and /healthz may be reachable by
// anyone. The full error is in the collector's log.
func notReadyReason(err error) string {
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &pgErr):
		return "PostgreSQL refused (SQLSTATE " + pgErr.Code + "); see the collector log"
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return "PostgreSQL did not answer in time; retrying"
	case errors.As(err, &netErr):
		return "PostgreSQL is unreachable; retrying"
	}
	return "connecting to PostgreSQL or migrating its schema failed; see the collector log"
}

// healthz is the extension's health for operators (the contrib health_check extension, in
// its default mode, does not look at component status): 200 {"status":"ok","read":{...}}
// once the database is ready, else 503 {"status":"degraded","reason":"database not ready: ..."}.
// read says where GraphQL reads go: {"from":"primary"} without read_dsn;
// {"from":"replica","replayLagSeconds":n} while the standby is usable; {"from":"primary",
// "replicaUnusable":"why"} while it is not, which stays 200: the API answers, from the
// primary, and restarting the collector would not bring the standby back.
func (e *perfExtension) healthz(w http.ResponseWriter, r *http.Request) {
	if e.ready.Load() {
		read := map[string]any{"from": rollup.FromPrimary}
		if rep := e.store.Replica; rep != nil {
			if st := rep.State(r.Context()); st.Usable {
				read = map[string]any{"from": rollup.FromReplica, "replayLagSeconds": st.ReplayLagSeconds}
			} else {
				read["replicaUnusable"] = st.Reason
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "read": read})
		return
	}
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "degraded", "reason": *e.notReady.Load()})
}

func (e *perfExtension) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", e.graphqlHandler)
	mux.HandleFunc("/healthz", e.healthz)
	// The dashboard (internal/dashboard): static files embedded in the binary that read
	// everything from /graphql.
	mux.Handle("/", dashboard.Handler())
	return mux
}

func (e *perfExtension) Shutdown(ctx context.Context) error {
	if e.connCancel != nil {
		e.connCancel()
		<-e.connDone // after this, pool and scheduler are set or never will be
	}
	var err error
	if e.server != nil {
		err = e.server.Shutdown(ctx)
		<-e.done
	}
	if e.ws != nil {
		e.ws.Close() // hijacked: the server's Shutdown does not wait for them
	}
	if e.listenCancel != nil {
		e.listenCancel()
		<-e.listenDone
	}
	if e.schedCancel != nil {
		e.schedCancel()
		select {
		case <-e.schedDone:
		case <-ctx.Done():
		}
		if e.senderDone != nil {
			select {
			case <-e.senderDone:
			case <-ctx.Done():
			}
		}
	}
	if e.pool != nil {
		e.pool.Close()
	}
	if e.readPool != nil {
		e.readPool.Close()
	}
	return err
}
