// Package plandetect holds the detectors that read the statements' stored plans
// (perf_query_plans) and the server's pg_stat_statements figures (perf_query_server_hourly):
// sequential scans under selective filters, rows removed by filters, sorts and hashes that
// spill past work_mem, plan regressions and low cache-hit ratios. The optimizer's engine runs
// them once per tenant and window (Run) and makes their findings recommendations; this
// package knows nothing of the engine.
package plandetect

import (
	"context"
	_ "embed" // the statements below
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/advice"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

var (
	//go:embed plans.sql
	plansSQL string
	//go:embed server_statements.sql
	serverStatementsSQL string
	//go:embed plan_regressions.sql
	planRegressionsSQL string
)

// The kinds of the findings. GraphQL shows them by their category (QUERY: SLOW_QUERY).
const (
	KindPlanSeqScan     = "PLAN_SEQ_SCAN"
	KindPlanRowsRemoved = "PLAN_ROWS_REMOVED"
	KindWorkMem         = "WORK_MEM_SPILL"
	KindCacheHit        = "LOW_CACHE_HIT_RATIO"
	KindPlanRegression  = "PLAN_REGRESSION"
)

// Input is the tenant and window a Run judges, and the engine's wording of its texts.
type Input struct {
	DB       perfdb.DB
	TenantID int32
	Tenant   string
	From, To time.Time
	Hypo     *indexadvisor.Validator
	// Window names the judged window, Seconds a time in seconds, Statement a statement (its
	// normalized text, or its fingerprint without one): as every other recommendation does.
	Window    string
	Seconds   func(float64) string
	Statement func(normalized string, fp int64) string
}

// Run is one run of the detectors for a tenant's window; the window's plans are read once
// and shared by every method.
type Run struct {
	cfg      *Config
	in       Input
	db       perfdb.DB
	tid      int32
	tenant   string
	from, to time.Time
	hypo     *indexadvisor.Validator
	plans    *planData
}

// NewRun prepares a run; nothing is read before a method asks.
func NewRun(cfg *Config, in Input) *Run {
	return &Run{cfg: cfg, in: in, db: in.DB, tid: in.TenantID, tenant: in.Tenant, from: in.From, to: in.To, hypo: in.Hypo}
}

// Finding is one statement's problem: the engine makes it a recommendation of category
// QUERY about the statement (ns, fp), its id from Kind and the statement.
type Finding struct {
	Kind string
	NS   string
	FP   int64
	// Advice: the texts and the priority (MEDIUM or HIGH) of the recommendation.
	advice.Advice
	// Evidence: what the finding rests on.
	Evidence Evidence
	// Score: seconds of time at stake in the window.
	Score float64
}

// Evidence is what a finding rests on.
type Evidence struct {
	Statement  string
	Rule       string
	Figures    []advice.Figure
	Validation *indexadvisor.Validation
	Plan       *PlanEvidence
}

func fig(name string, v float64, unit string) advice.Figure { return advice.Fig(name, v, unit) }

// priority of a finding: HIGH when high, else MEDIUM.
func priority(high bool) string {
	if high {
		return advice.High
	}
	return advice.Medium
}

// stmtKey is a statement of a database.
type stmtKey struct {
	ns string
	fp int64
}

func (e *Run) window() string                         { return e.in.Window }
func (e *Run) seconds(s float64) string               { return e.in.Seconds(s) }
func (e *Run) statement(stmt string, fp int64) string { return e.in.Statement(stmt, fp) }

// eachRow runs one of the statements above and hands every row to fn.
func (e *Run) eachRow(ctx context.Context, query string, args []any, fn func(pgx.Rows) error) error {
	rows, err := e.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for err == nil && rows.Next() {
		err = fn(rows)
	}
	if err != nil {
		return err
	}
	return rows.Err()
}

// scanAll reads every row of a statement into an R with scan.
func scanAll[R any](ctx context.Context, e *Run, query string, args []any, scan func(pgx.Rows, *R) error) ([]R, error) {
	var out []R
	err := e.eachRow(ctx, query, args, func(rows pgx.Rows) error {
		var r R
		err := scan(rows, &r)
		out = append(out, r)
		return err
	})
	return out, err
}
