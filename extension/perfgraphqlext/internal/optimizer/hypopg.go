package optimizer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

// hypoValidator checks index suggestions with HypoPG on the application's database: the
// normalized statement is prepared with its ? as $n parameters, explained with a generic plan
// (queryplan.ExplainGeneric: plan_cache_mode = force_generic_plan, so no parameter value is needed and the estimate is
// the planner's for a representative value) before and after hypopg_create_index, in a
// read-only transaction that is rolled back. Results are cached for an hour per target,
// statement and index.
type hypoValidator struct {
	targets targets.Set
	timeout time.Duration
	minCut  float64 // hypopg.min_cost_reduction
	mu      sync.Mutex
	cache   map[string]cachedValidation
}

type cachedValidation struct {
	v  Validation
	at time.Time
}

func newHypoValidator(c HypoPGConfig, ts []targets.Target) *hypoValidator {
	h := &hypoValidator{targets: targets.NewSet(ts), timeout: c.Timeout, minCut: c.MinCostReduction, cache: map[string]cachedValidation{}}
	if h.timeout <= 0 {
		h.timeout = 5 * time.Second
	}
	return h
}

func (h *hypoValidator) validate(ctx context.Context, tenant, namespace string, an StatementAnalysis, normalized string) Validation {
	hypoDDL := "CREATE INDEX ON " + an.Table + " (" + strings.Join(an.IndexColumns, ", ") + ")"
	target, ok := h.targets.Lookup(tenant, namespace)
	if !ok {
		where := "db.namespace " + fmt.Sprintf("%q", namespace)
		if namespace == "" {
			where = "statements without db.namespace"
		}
		return Validation{Status: "NOT_VALIDATED", Index: an.Index, DBNamespace: namespace,
			Message: "unverified: not validated (no target of this tenant for " + where + "), so neither an existing index nor the planner's use of this one was checked"}
	}
	key := tenant + "\x00" + namespace + "\x00" + normalized + "\x00" + hypoDDL
	h.mu.Lock()
	if c, ok := h.cache[key]; ok && time.Since(c.at) < time.Hour {
		h.mu.Unlock()
		return c.v
	}
	h.mu.Unlock()
	v := h.check(ctx, target, an, hypoDDL, normalized)
	v.Index, v.DBNamespace = an.Index, namespace
	if v.Status != "ERROR" {
		h.mu.Lock()
		h.cache[key] = cachedValidation{v: v, at: time.Now()}
		h.mu.Unlock()
	}
	return v
}

func (h *hypoValidator) check(ctx context.Context, target targets.Target, an StatementAnalysis, hypoDDL, normalized string) Validation {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	fail := func(format string, args ...any) Validation {
		return Validation{Status: "ERROR", Message: "not validated: " + fmt.Sprintf(format, args...)}
	}
	conn, err := target.Connect(ctx)
	if err != nil {
		return fail("cannot connect to the target database: %v", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return fail("%v", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	var hasExt bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg')").Scan(&hasExt); err != nil {
		return fail("%v", err)
	}
	if !hasExt {
		return fail("the hypopg extension is not installed in the target database (install postgresql-<version>-hypopg and run CREATE EXTENSION hypopg)")
	}
	var stmt string
	explain := func(name string) (float64, string, error) {
		plan, prepared, err := queryplan.ExplainGeneric(ctx, tx, name, normalized)
		stmt = prepared
		if err != nil {
			return 0, "", err
		}
		var p []struct {
			Plan map[string]any `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan), &p); err != nil || len(p) == 0 {
			return 0, plan, fmt.Errorf("unreadable plan")
		}
		cost, _ := p[0].Plan["Total Cost"].(float64)
		return cost, plan, nil
	}
	before, planBefore, err := explain("perf_opt_before")
	if err != nil {
		return fail("%v", err)
	}
	existing, err := leadingIndexes(ctx, tx, an)
	if err != nil {
		return fail("read the target's indexes: %v", err)
	}
	var oid int64
	if err := tx.QueryRow(ctx, "SELECT indexrelid::int8 FROM hypopg_create_index($1)", hypoDDL).Scan(&oid); err != nil {
		return fail("hypopg_create_index(%q): %v", hypoDDL, err)
	}
	after, planAfter, err := explain("perf_opt_after")
	_, _ = tx.Exec(ctx, "SELECT hypopg_reset()")
	if err != nil {
		if strings.Contains(err.Error(), "cache lookup failed for index") {
			// auto_explain with log_min_duration = 0 logs the EXPLAIN itself, and printing a
			// plan with a hypothetical index outside HypoPG's EXPLAIN fails (measured on 15)
			return fail("%v (auto_explain logs this role's EXPLAIN: ALTER ROLE <the target's role> SET auto_explain.log_min_duration = -1)", err)
		}
		return fail("%v", err)
	}
	used := strings.Contains(planAfter, fmt.Sprintf("<%d>", oid))
	v := Validation{CostBefore: &before, CostAfter: &after, IndexUsed: used, PlanBefore: compactPlan(planBefore), PlanAfter: compactPlan(planAfter),
		ExplainedWith: "generic plan (plan_cache_mode = force_generic_plan) of: " + stmt, ExistingIndexes: existing}
	cut := 0.0
	if before > 0 {
		cut = (before - after) / before
	}
	switch {
	case used && cut >= h.minCut:
		v.Status = "VALIDATED"
		v.Message = fmt.Sprintf("validated with HypoPG: estimated cost %.1f -> %.1f (-%.0f%%, at least -%.4g%% required)", before, after, 100*cut, 100*h.minCut)
	case used:
		v.Status = "NOT_BENEFICIAL"
		v.Message = fmt.Sprintf("no index helps: HypoPG estimates cost %.1f -> %.1f with it (-%.1f%%, below the -%.4g%% required)", before, after, 100*cut, 100*h.minCut)
	default:
		v.Status = "NOT_BENEFICIAL"
		v.Message = fmt.Sprintf("no index helps: the planner would not use it (estimated cost %.1f -> %.1f)", before, after)
	}
	if v.Status == "NOT_BENEFICIAL" {
		if len(existing) > 0 {
			v.Message += "; " + attName(an.IndexColumns[0]) + " is already indexed by " + strings.Join(existing, ", ")
		}
		if top, _, _ := strings.Cut(v.PlanBefore, "\n"); top != "" {
			v.Message += "; the current plan's top node: " + strings.TrimSpace(top)
		}
	}
	return v
}

// leadingIndexes names the target's valid indexes on the statement's table whose first column
// is the suggested index's first column: a usable index the suggestion would duplicate.
func leadingIndexes(ctx context.Context, tx pgx.Tx, an StatementAnalysis) ([]string, error) {
	rows, err := tx.Query(ctx, leadingIndexesSQL, an.Table, attName(an.IndexColumns[0]))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// attName is the catalog name of a column as a statement writes it.
func attName(col string) string {
	col = strings.TrimSuffix(col, " DESC")
	if strings.HasPrefix(col, `"`) {
		return strings.ReplaceAll(strings.Trim(col, `"`), `""`, `"`)
	}
	return strings.ToLower(col)
}

// trigramIndexes names the trigram indexes on table (col) in the target of namespace;
// checked is false when the namespace has no target.
func (h *hypoValidator) trigramIndexes(ctx context.Context, tenant, namespace, table, col string) (names []string, checked bool, err error) {
	target, ok := h.targets.Lookup(tenant, namespace)
	if !ok {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	conn, err := target.Connect(ctx)
	if err != nil {
		return nil, false, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	rows, err := conn.Query(ctx, trigramIndexesSQL, table, attName(col))
	if err != nil {
		return nil, false, err
	}
	names, err = pgx.CollectRows(rows, pgx.RowTo[string])
	return names, err == nil, err
}

// compactPlan keeps the node types and index names of a JSON plan, one per line.
func compactPlan(plan string) string {
	var p []struct {
		Plan map[string]any `json:"Plan"`
	}
	if json.Unmarshal([]byte(plan), &p) != nil || len(p) == 0 {
		return ""
	}
	var b strings.Builder
	var walk func(n map[string]any, depth int)
	walk = func(n map[string]any, depth int) {
		fmt.Fprintf(&b, "%s%v", strings.Repeat("  ", depth), n["Node Type"])
		if rel, ok := n["Relation Name"]; ok {
			fmt.Fprintf(&b, " on %v", rel)
		}
		if idx, ok := n["Index Name"]; ok {
			fmt.Fprintf(&b, " using %v", idx)
		}
		fmt.Fprintf(&b, " (cost %v..%v)\n", n["Startup Cost"], n["Total Cost"])
		if kids, ok := n["Plans"].([]any); ok {
			for _, k := range kids {
				if m, ok := k.(map[string]any); ok {
					walk(m, depth+1)
				}
			}
		}
	}
	walk(p[0].Plan, 0)
	return strings.TrimRight(b.String(), "\n")
}
