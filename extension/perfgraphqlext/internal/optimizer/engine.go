package optimizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/plandetect"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// DB is the engine's connection: it must be allowed to read every tenant's rows (the
// scheduler's connection, not perf_reader).
type DB = perfdb.DB

// env is what a detector gets for one run.
type env struct {
	db       DB
	cfg      *Config
	tid      int32
	tenant   string
	from, to time.Time // window; from is a whole UTC hour
	prevFrom time.Time // start of the previous equal period
	hypo     *indexadvisor.Validator
	logger   *zap.Logger
	plans    planSource // the window's plans, read once per run (plandetect)
}

type detector struct {
	name  string
	kinds []string
	run   func(ctx context.Context, e *env) ([]Recommendation, error)
}

// SessionParams are the settings of the connection the engine runs on (the scheduler's
// connects with them). No JIT: the detectors read the rollups and logs of a window over
// partitioned tables that the planner costs in full (it prunes partitions at run time), so
// once the tables have statistics their estimates cross the JIT thresholds and compiling
// took seconds of a run of tens of milliseconds (the example-traces query: 3.6 s of 5.8 s).
var SessionParams = map[string]string{"jit": "off"}

// UseSessionParams makes cc a connection like the scheduler's: the one the engine runs on.
func UseSessionParams(cc *pgx.ConnConfig) {
	for k, v := range SessionParams {
		cc.RuntimeParams[k] = v
	}
}

// Engine runs the detectors for a tenant and stores their recommendations.
type Engine struct {
	cfg       Config
	logger    *zap.Logger
	detectors []detector
	hypo      *indexadvisor.Validator
	plans     plandetect.Config
}

// New returns an engine with every detector.
func New(cfg Config, logger *zap.Logger) *Engine {
	if logger == nil {
		logger = zap.NewNop()
	}
	return &Engine{cfg: cfg, logger: logger, hypo: indexadvisor.NewValidator(cfg.HypoPG, cfg.Targets), plans: cfg.planConfig(), detectors: []detector{
		{"slow_query", []string{KindSlowQuery}, detectSlowQueries},
		{"n_plus_one", []string{KindNPlusOne}, detectNPlusOne},
		{"cache", []string{KindSlowEndpoint}, detectCaching},
		{"pool", []string{KindPool}, detectPool},
		{"resources", []string{KindCPU, KindMemory, KindEventLoop}, detectResources},
		{"error_rate", []string{KindErrorRate}, detectErrorRate},
		{"dominant_statement", []string{KindDominantQuery}, detectDominant},
		{"like_scan", []string{KindLikeScan}, detectLikeScans},
		{"plans", []string{KindPlanSeqScan, KindPlanRowsRemoved, KindWorkMem, KindPlanRegression}, detectPlans},
		{"cache_hit", []string{KindCacheHit}, detectCacheHit},
	}}
}

// RunResult is what one run did for one tenant.
type RunResult struct {
	Tenant          string
	Detected        int
	New             int
	Resolved        int
	Failed          []string
	Duration        time.Duration
	Recommendations []Recommendation
	// DetectorDurations: how long each detector took (by detector name), to see which one a
	// slow run spent its time in.
	DetectorDurations map[string]time.Duration
}

// Window returns the window a run at now analyses: the hourly rollups of the configured number
// of hours ending with the current one, [ceil(now) - window, now). (Starting at the hour of
// now - window read one hour more than configured: a 24h window judged up to 25 hours.)
func (en *Engine) Window(now time.Time) (time.Time, time.Time) {
	now = now.UTC()
	end := now.Truncate(time.Hour)
	if !end.Equal(now) {
		end = end.Add(time.Hour)
	}
	return end.Add(-en.cfg.Window), now
}

// Run analyses the tenant's data of the window ending at now and stores the result: every
// recommendation is upserted (ACTIVE), and the ACTIVE ones of a detector that ran without
// error but no longer reports them are RESOLVED. A failing detector is logged and reported in
// RunResult.Failed; the others still count.
func (en *Engine) Run(ctx context.Context, db DB, tenant string, now time.Time) (RunResult, error) {
	started := time.Now()
	now = now.UTC().Truncate(time.Microsecond)
	res := RunResult{Tenant: tenant, DetectorDurations: map[string]time.Duration{}}
	var tid int32
	if err := db.QueryRow(ctx, tenantIDSQL, tenant).Scan(&tid); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return res, fmt.Errorf("optimizer: unknown tenant %q", tenant)
		}
		return res, fmt.Errorf("optimizer: tenant %q: %w", tenant, err)
	}
	from, to := en.Window(now)
	e := &env{db: db, cfg: &en.cfg, tid: tid, tenant: tenant, from: from, to: to, prevFrom: from.Add(-en.cfg.Window),
		hypo: en.hypo, logger: en.logger}
	e.plans = en.planRun(e)
	var okKinds []string
	var all []Recommendation
	for _, d := range en.detectors {
		t0 := time.Now()
		recs, err := d.run(ctx, e)
		res.DetectorDurations[d.name] = time.Since(t0)
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			en.logger.Warn("optimizer detector failed", zap.String("detector", d.name), zap.String("tenant", tenant), zap.Error(err))
			res.Failed = append(res.Failed, d.name+": "+err.Error())
			continue
		}
		okKinds = append(okKinds, d.kinds...)
		// max_per_detector keeps a detector's worst, in the order of the run's list (a
		// detector may return its findings in any order)
		sort.SliceStable(recs, func(i, j int) bool { return worseFirst(recs[i], recs[j]) })
		if len(recs) > en.cfg.MaxPerDetector {
			recs = recs[:en.cfg.MaxPerDetector]
		}
		for i := range recs {
			recs[i].Evidence.WindowFrom, recs[i].Evidence.WindowTo = from, to
		}
		all = append(all, recs...)
	}
	sort.SliceStable(all, func(i, j int) bool { return worseFirst(all[i], all[j]) })
	res.Recommendations = all
	res.Detected = len(all)
	if err := en.store(ctx, db, tid, now, from, to, all, okKinds, &res, started); err != nil {
		return res, err
	}
	res.Duration = time.Since(started)
	if len(res.Failed) > 0 {
		return res, fmt.Errorf("optimizer: %d detector(s) failed: %v", len(res.Failed), res.Failed)
	}
	return res, nil
}

// runLogRetention is how long perf_optimizer_runs keeps a run: enough to look back over a month
// of runs, small enough that the table never needs attention.
const runLogRetention = 30 * 24 * time.Hour

func (en *Engine) store(ctx context.Context, db DB, tid int32, now, from, to time.Time, recs []Recommendation,
	okKinds []string, res *RunResult, started time.Time) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("optimizer: store: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ev, err := json.Marshal(r.Evidence)
		if err != nil {
			return err
		}
		eps := r.AffectedEndpoints
		if eps == nil {
			eps = []string{}
		}
		var first time.Time
		if err := tx.QueryRow(ctx, storeRecommendationSQL, tid, r.ID, r.Category, r.Priority, r.Title, r.Description, r.Impact, r.Effort,
			r.Recommendation, r.Implementation, r.EstimatedSavings, eps, ev, now, r.Kind, r.Score).Scan(&first); err != nil {
			return fmt.Errorf("optimizer: store %s: %w", r.ID, err)
		}
		if first.Equal(now) {
			res.New++
		}
		if _, err := tx.Exec(ctx, storeHistorySQL, tid, r.ID, first, now, r.Category, r.Kind, r.Priority, r.Title, Priorities); err != nil {
			return fmt.Errorf("optimizer: history %s: %w", r.ID, err)
		}
		ids = append(ids, r.ID)
	}
	if err := tx.QueryRow(ctx, resolveRecommendationsSQL, tid, okKinds, ids, now).Scan(&res.Resolved); err != nil {
		return fmt.Errorf("optimizer: resolve: %w", err)
	}
	failed := res.Failed
	if failed == nil {
		failed = []string{}
	}
	if _, err := tx.Exec(ctx, logRunSQL, tid, now, int(time.Since(started).Milliseconds()), from, to,
		len(recs), res.New, res.Resolved, failed); err != nil {
		return fmt.Errorf("optimizer: run log: %w", err)
	}
	if _, err := tx.Exec(ctx, pruneRunsSQL, tid, now.Add(-runLogRetention)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// eachRow runs a detector's query and calls fn at every row, which fn scans; the rows are
// closed on return and the first error (query, fn or the rows') is returned.
func (e *env) eachRow(ctx context.Context, query string, args []any, fn func(pgx.Rows) error) error {
	rows, err := e.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanAll reads every row of a detector's query into an R with scan.
func scanAll[R any](ctx context.Context, e *env, query string, args []any, scan func(pgx.Rows, *R) error) ([]R, error) {
	var out []R
	err := e.eachRow(ctx, query, args, func(rows pgx.Rows) error {
		var r R
		if err := scan(rows, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// window is the analysed window [from, to) as the recommendations' texts name it (judgedWindow).
func (e *env) window() string { return judgedWindow(e.from, e.to) }

// prevWindow is the period before the window that the error-rate detector compares with.
func (e *env) prevWindow() string { return windowText(e.from.Sub(e.prevFrom)) }
