package indexadvisor

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

// Validator checks index suggestions with HypoPG on the application's database: the
// normalized statement is prepared with its ? as $n parameters, explained with a generic plan
// (queryplan.ExplainGeneric: plan_cache_mode = force_generic_plan, so no parameter value is needed and the estimate is
// the planner's for a representative value) before and after hypopg_create_index, in a
// read-only transaction that is rolled back. Results are cached for an hour per target,
// statement and index.
type Validator struct {
	targets targets.Set
	timeout time.Duration
	minCut  float64 // hypopg.min_cost_reduction
	mu      sync.Mutex
	cache   map[string]cachedValidation
}

var (
	//go:embed leading_indexes.sql
	leadingIndexesSQL string
	//go:embed trigram_indexes.sql
	trigramIndexesSQL string
	//go:embed relation_rows.sql
	relationRowsSQL string
)

// Config: validation of index suggestions on the application's database (a target
// of the extension's targets: list where CREATE EXTENSION hypopg was run).
type Config struct {
	// Timeout of one validation (connect + EXPLAINs), default 5s.
	Timeout time.Duration `mapstructure:"timeout"`
	// MinCostReduction: the share of the estimated cost the hypothetical index must cut for the
	// suggestion to count as validated (0.3); below it the advice says no index helps.
	MinCostReduction float64 `mapstructure:"min_cost_reduction"`
}

// Validation is the HypoPG check of an index suggestion.
type Validation struct {
	// Status: VALIDATED (the planner uses the hypothetical index and the estimated cost falls
	// by at least hypopg.min_cost_reduction), NOT_BENEFICIAL (it does not: no index helps), NOT_VALIDATED (no target database configured for the
	// namespace), ERROR (the check failed; Message says why).
	Status        string   `json:"status"`
	Message       string   `json:"message"`
	Index         string   `json:"index,omitempty"`
	DBNamespace   string   `json:"dbNamespace,omitempty"`
	CostBefore    *float64 `json:"costBefore,omitempty"`
	CostAfter     *float64 `json:"costAfter,omitempty"`
	IndexUsed     bool     `json:"indexUsed"`
	PlanBefore    string   `json:"planBefore,omitempty"`
	PlanAfter     string   `json:"planAfter,omitempty"`
	ExplainedWith string   `json:"explainedWith,omitempty"`
	// ExistingIndexes: the target's indexes whose first column is the suggestion's.
	ExistingIndexes []string `json:"existingIndexes,omitempty"`
}

type cachedValidation struct {
	v  Validation
	at time.Time
}

// NewValidator checks suggestions on ts, each on the target of its tenant and namespace.
func NewValidator(c Config, ts []targets.Target) *Validator {
	h := &Validator{targets: targets.NewSet(ts), timeout: c.Timeout, minCut: c.MinCostReduction, cache: map[string]cachedValidation{}}
	if h.timeout <= 0 {
		h.timeout = 5 * time.Second
	}
	return h
}

// Validate checks the index an suggests for normalized (the statement's text) on the
// tenant's target of namespace; a result that is not an ERROR is kept for an hour.
func (h *Validator) Validate(ctx context.Context, tenant, namespace string, an StatementAnalysis, normalized string) Validation {
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

func (h *Validator) check(ctx context.Context, target targets.Target, an StatementAnalysis, hypoDDL, normalized string) Validation {
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
			v.Message += "; " + AttName(an.IndexColumns[0]) + " is already indexed by " + strings.Join(existing, ", ")
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
	rows, err := tx.Query(ctx, leadingIndexesSQL, an.Table, AttName(an.IndexColumns[0]))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// AttName is the catalog name of a column as a statement writes it.
func AttName(col string) string {
	col = strings.TrimSuffix(col, " DESC")
	if strings.HasPrefix(col, `"`) {
		return strings.ReplaceAll(strings.Trim(col, `"`), `""`, `"`)
	}
	return strings.ToLower(col)
}

// TrigramIndexes names the trigram indexes on table (col) in the target of namespace;
// checked is false when the namespace has no target.
func (h *Validator) TrigramIndexes(ctx context.Context, tenant, namespace, table, col string) (names []string, checked bool, err error) {
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
	rows, err := conn.Query(ctx, trigramIndexesSQL, table, AttName(col))
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

// RelationRows is the planner's row count of a relation on the namespace's target
// (pg_class.reltuples); ok is false without a target or statistics.
func (h *Validator) RelationRows(ctx context.Context, tenant, namespace, rel string) (rows float64, ok bool, err error) {
	target, found := h.targets.Lookup(tenant, namespace)
	if !found {
		return 0, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	conn, err := target.Connect(ctx)
	if err != nil {
		return 0, false, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	var n *float64
	if err := conn.QueryRow(ctx, relationRowsSQL, rel).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("relation rows of %s: %w", rel, err)
	}
	if n == nil || *n < 0 {
		return 0, false, nil
	}
	return *n, true, nil
}
