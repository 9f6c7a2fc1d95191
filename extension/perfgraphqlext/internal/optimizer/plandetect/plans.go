package plandetect

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

// PlanEvidence is the part of a statement's stored plan a rule read: the plan is redacted
// (internal/queryplan), so the excerpt holds no literal.
type PlanEvidence struct {
	DBNamespace string `json:"dbNamespace"`
	// Source: generic (the planner's generic plan) or actual (an execution auto_explain logged).
	Source string `json:"source"`
	// PlanHash: the plan's shape hash (perf_query_plans.plan_hash), in decimal.
	PlanHash string `json:"planHash"`
	TopNode  string `json:"topNode"`
	// Excerpt: the node(s) the rule fired on, one line each, then their conditions.
	Excerpt []string `json:"excerpt"`
	// PreviousPlanHash, PreviousExcerpt: the plan before a change (plan regressions).
	PreviousPlanHash string   `json:"previousPlanHash,omitempty"`
	PreviousExcerpt  []string `json:"previousExcerpt,omitempty"`
}

// planRow is the latest plan of one statement and source in the window.
type planRow struct {
	ns          string
	fp          int64
	source      string
	hash        int64
	root        map[string]any
	text        string // plan_text
	seen        int64
	execTotal   *float64
	lastSeen    time.Time
	stmt        string // normalized statement
	leadingLike bool   // the client ran it with a leading-wildcard LIKE literal in the window
	// pg_stat_statements over the window (nil without a snapshot)
	calls, rows, hit, read, tempW *int64
	totalMs                       *float64
}

// planData is what the window holds of a tenant's plans, read once per run.
type planData struct {
	rows   []*planRow
	byFP   map[int64][]*planRow
	byStmt map[string]bool
}

func (e *Run) planData(ctx context.Context) (*planData, error) {
	if e.plans != nil {
		return e.plans, nil
	}
	d := &planData{byFP: map[int64][]*planRow{}, byStmt: map[string]bool{}}
	err := e.eachRow(ctx, plansSQL, []any{e.tid, e.from, e.to}, func(rows pgx.Rows) error {
		r := &planRow{}
		var raw string
		if err := rows.Scan(&r.ns, &r.fp, &r.source, &r.hash, &raw, &r.text, &r.seen, &r.execTotal, &r.lastSeen, &r.stmt,
			&r.leadingLike, &r.calls, &r.totalMs, &r.rows, &r.hit, &r.read, &r.tempW); err != nil {
			return err
		}
		var doc struct {
			Plan map[string]any `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(raw), &doc); err != nil || doc.Plan == nil {
			return nil // not a plan this code can read: nothing to judge
		}
		r.root = doc.Plan
		d.rows = append(d.rows, r)
		d.byFP[r.fp] = append(d.byFP[r.fp], r)
		if r.stmt != "" {
			d.byStmt[r.stmt] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.plans = d
	return d, nil
}

// PlanOf describes the statement's plan in the window (its top node), found by fingerprint
// or, when the caller has no fingerprint, by its normalized text ("plan stored"); "" when the
// window holds none. The engine's statement-based index advice gives way to the plan's when
// there is one.
func (e *Run) PlanOf(ctx context.Context, fp int64, normalized string) (string, error) {
	d, err := e.planData(ctx)
	if err != nil {
		return "", err
	}
	if ps := d.byFP[fp]; len(ps) > 0 {
		return queryplan.Describe(ps[0].root), nil
	} else if normalized != "" && d.byStmt[normalized] {
		return "plan stored", nil
	}
	return "", nil
}

// preferred returns the plan a rule reads for a statement: its actual plan when one was
// logged in the window (what happened), else its generic plan.
func (d *planData) preferred() []*planRow {
	var out []*planRow
	for _, r := range d.rows {
		ps := d.byFP[r.fp]
		best := r
		for _, o := range ps {
			if o.ns == r.ns && o.source == "actual" {
				best = o
			}
		}
		if best == r {
			out = append(out, r)
		}
	}
	return out
}

// walkPlan calls fn at every node of a plan, parents first.
func walkPlan(n map[string]any, fn func(map[string]any)) {
	fn(n)
	if kids, ok := n["Plans"].([]any); ok {
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				walkPlan(m, fn)
			}
		}
	}
}

func num(n map[string]any, key string) (float64, bool) {
	v, ok := n[key].(float64)
	return v, ok
}

func str(n map[string]any, key string) string {
	s, _ := n[key].(string)
	return s
}

// excerptFigures are the figures an excerpt line shows, in this order.
var excerptFigures = []struct{ key, label string }{
	{"Total Cost", "cost"}, {"Plan Rows", "est. rows"}, {"Actual Total Time", "actual ms"}, {"Actual Rows", "rows"},
	{"Actual Loops", "loops"}, {"Rows Removed by Filter", "removed by filter"}, {"Shared Read Blocks", "blocks read"},
	{"Sort Space Used", "sort kB"}, {"Hash Batches", "hash batches"}, {"Temp Written Blocks", "temp blocks written"},
}

// nodeExcerpt is a node of a redacted plan as evidence: its description and figures, then
// its conditions (already redacted: literals are ?).
func nodeExcerpt(n map[string]any) []string {
	var figs []string
	for _, f := range excerptFigures {
		if v, ok := num(n, f.key); ok && (v != 0 || f.key != "Temp Written Blocks") {
			figs = append(figs, f.label+" "+strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	if m := str(n, "Sort Method"); m != "" {
		figs = append(figs, "sort method "+m)
	}
	if t := str(n, "Sort Space Type"); t != "" {
		figs = append(figs, "sort space "+t)
	}
	line := queryplan.Describe(n)
	if len(figs) > 0 {
		line += " (" + strings.Join(figs, ", ") + ")"
	}
	out := []string{line}
	for _, k := range []string{"Index Cond", "Recheck Cond", "Filter", "Join Filter", "Sort Key"} {
		switch v := n[k].(type) {
		case string:
			out = append(out, "  "+k+": "+v)
		case []any:
			var parts []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					parts = append(parts, s)
				}
			}
			out = append(out, "  "+k+": "+strings.Join(parts, ", "))
		}
	}
	return out
}

func planEvidence(r *planRow, nodes ...map[string]any) *PlanEvidence {
	ev := &PlanEvidence{DBNamespace: r.ns, Source: r.source, PlanHash: strconv.FormatInt(r.hash, 10), TopNode: queryplan.Describe(r.root)}
	for _, n := range nodes {
		ev.Excerpt = append(ev.Excerpt, nodeExcerpt(n)...)
	}
	return ev
}

// filterPredicate turns a plan's (redacted) Filter into a WHERE clause that AnalyzeStatement
// reads as it reads a statement's: the parentheses EXPLAIN puts around the expression and
// each AND operand are dropped, and a cast of a column ((email)::text) becomes the column.
// like reports a LIKE / ILIKE operator (~~, ~~*) in the filter.
func filterPredicate(filter string) (clause string, like bool) {
	toks := indexadvisor.Tokenize(filter)
	var parts []string
	var walk func(t []indexadvisor.Token)
	walk = func(t []indexadvisor.Token) {
		t = stripParens(t)
		pieces, _ := splitTop(t, "AND")
		if len(pieces) > 1 {
			for _, p := range pieces {
				walk(p)
			}
			return
		}
		t = uncastColumn(t)
		s := joinTokens(t)
		if _, hasOr := splitTop(t, "OR"); hasOr {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	walk(toks)
	for _, t := range toks {
		if t.Kind == indexadvisor.Op && strings.Contains(t.Text, "~~") {
			like = true
		}
	}
	return strings.Join(parts, " AND "), like
}

// stripParens removes parentheses that enclose the whole of t.
func stripParens(t []indexadvisor.Token) []indexadvisor.Token {
	for len(t) >= 2 && t[0].Kind == indexadvisor.Punct && t[0].Text == "(" && closing(t, 0) == len(t)-1 {
		t = t[1 : len(t)-1]
	}
	return t
}

// closing is the index of the parenthesis closing the one at i, -1 when none.
func closing(t []indexadvisor.Token, i int) int {
	d := 0
	for k := i; k < len(t); k++ {
		if t[k].Kind != indexadvisor.Punct {
			continue
		}
		switch t[k].Text {
		case "(":
			d++
		case ")":
			d--
			if d == 0 {
				return k
			}
		}
	}
	return -1
}

// splitTop splits t at the keyword word outside parentheses.
func splitTop(t []indexadvisor.Token, word string) ([][]indexadvisor.Token, bool) {
	var out [][]indexadvisor.Token
	d, start := 0, 0
	for i, x := range t {
		switch {
		case x.Kind == indexadvisor.Punct && x.Text == "(":
			d++
		case x.Kind == indexadvisor.Punct && x.Text == ")":
			d--
		case d == 0 && x.Kind == indexadvisor.Word && x.Up == word:
			out = append(out, t[start:i])
			start = i + 1
		}
	}
	return append(out, t[start:]), len(out) > 0
}

// uncastColumn turns a leading "( col ) :: type" into "col".
func uncastColumn(t []indexadvisor.Token) []indexadvisor.Token {
	if len(t) >= 5 && t[0].Text == "(" && (t[1].Kind == indexadvisor.Word || t[1].Kind == indexadvisor.Quoted) && t[2].Text == ")" &&
		t[3].Kind == indexadvisor.Op && t[3].Text == "::" && t[4].Kind == indexadvisor.Word {
		return append([]indexadvisor.Token{t[1]}, t[5:]...)
	}
	return t
}

func joinTokens(t []indexadvisor.Token) string {
	var b strings.Builder
	for i, x := range t {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x.Text)
	}
	return b.String()
}

// relationRef is a plan node's relation as a statement names it (schema-qualified when the
// plan says the schema, quoted when needed).
func relationRef(n map[string]any) string {
	q := func(s string) string {
		for _, r := range s {
			if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
				return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
		}
		return s
	}
	rel := q(str(n, "Relation Name"))
	if sch := str(n, "Schema"); sch != "" {
		return q(sch) + "." + rel
	}
	return rel
}
