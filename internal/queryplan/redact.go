// Package queryplan turns PostgreSQL EXPLAIN (FORMAT JSON) plans, from auto_explain's log or
// from a generic EXPLAIN EXECUTE, into what may be stored: the plan with every expression's
// constants replaced by ? (internal/sqlnorm's lexer, the same that normalizes statements) and
// every key that is not known to be safe dropped; a hash of its shape; a text summary. It also
// stores plans (store.go) and makes generic plans (generic.go); the perfpg exporter and the
// perfgraphql scheduler both use it, so the redaction and the hash have one home.
package queryplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// kind says what a plan key holds and so how its value is kept.
type kind uint8

const (
	// ident: a name the planner or the schema chose (node type, relation, index, alias,
	// join type...): kept as it is (capped).
	ident kind = iota + 1
	// expr: an expression printed from the query (filters, conditions, keys, output):
	// normalized by sqlnorm, its literals become ?.
	expr
	// exprList: a list of expressions, each normalized.
	exprList
	// identList: a list of names.
	identList
	// number: a figure (costs, rows, times, blocks): kept when it is a JSON number.
	number
	// boolean: kept when it is a JSON boolean.
	boolean
	// object: a nested object walked with the same allow-list.
	object
	// objectList: a list of nested objects (child plans, workers, triggers).
	objectList
)

// allowed is the allow-list of PostgreSQL 13-17 EXPLAIN (FORMAT JSON) keys: a key absent from
// it is dropped whatever its value, so a key a new version adds is not stored until it is
// classified here. "Query Text" and "Query Parameters" (the statement with its literals, the
// values of its parameters) and "Settings" are deliberately absent.
var allowed = map[string]kind{
	"Plan": object, "Plans": objectList, "Triggers": objectList, "Workers": objectList, "Planning": object,
	"Full-sort Groups": object, "Pre-sorted Groups": object, "Sort Space Memory": object, "Sort Space Disk": object,

	"Node Type": ident, "Parent Relationship": ident, "Subplan Name": ident, "Join Type": ident,
	"Strategy": ident, "Partial Mode": ident, "Operation": ident, "Relation Name": ident, "Schema": ident,
	"Alias": ident, "Index Name": ident, "Scan Direction": ident, "CTE Name": ident, "Function Name": ident,
	"Tuplestore Name": ident, "Table Function Name": ident, "Sort Method": ident, "Sort Space Type": ident,
	"Command": ident, "Trigger Name": ident, "Constraint Name": ident, "Relation": ident,
	"Conflict Resolution": ident, "Custom Plan Provider": ident, "Sampling Method": ident, "Cache Mode": ident,

	"Conflict Arbiter Indexes": identList, "Sort Methods Used": identList,

	"Filter": expr, "Index Cond": expr, "Recheck Cond": expr, "Hash Cond": expr, "Merge Cond": expr,
	"Join Filter": expr, "TID Cond": expr, "One-Time Filter": expr, "Function Call": expr,
	"Table Function Call": expr, "Repeatable Seed": expr, "Order By": expr, "Run Condition": expr,
	"Conflict Filter": expr,

	"Output": exprList, "Sort Key": exprList, "Group Key": exprList, "Presorted Key": exprList,
	"Cache Key": exprList, "Sampling Parameters": exprList, "Hash Key": exprList,

	"Parallel Aware": boolean, "Async Capable": boolean, "Inner Unique": boolean, "Single Copy": boolean,

	"Startup Cost": number, "Total Cost": number, "Plan Rows": number, "Plan Width": number,
	"Actual Startup Time": number, "Actual Total Time": number, "Actual Rows": number, "Actual Loops": number,
	"Rows Removed by Filter": number, "Rows Removed by Index Recheck": number,
	"Rows Removed by Join Filter": number, "Rows Removed by Conflict Filter": number,
	"Heap Fetches": number, "Exact Heap Blocks": number, "Lossy Heap Blocks": number,
	"Workers Planned": number, "Workers Launched": number, "Worker Number": number,
	"Sort Space Used": number, "Peak Memory Usage": number, "Disk Usage": number,
	"Hash Buckets": number, "Original Hash Buckets": number, "Hash Batches": number, "Original Hash Batches": number,
	"HashAgg Batches": number, "Planned Partitions": number, "Subplans Removed": number,
	"Group Count": number, "Average Sort Space Used": number, "Peak Sort Space Used": number,
	"Cache Hits": number, "Cache Misses": number, "Cache Evictions": number, "Cache Overflows": number,
	"Tuples Inserted": number, "Conflicting Tuples": number, "Time": number, "Calls": number,
	"Shared Hit Blocks": number, "Shared Read Blocks": number, "Shared Dirtied Blocks": number, "Shared Written Blocks": number,
	"Local Hit Blocks": number, "Local Read Blocks": number, "Local Dirtied Blocks": number, "Local Written Blocks": number,
	"Temp Read Blocks": number, "Temp Written Blocks": number,
	"I/O Read Time": number, "I/O Write Time": number, "Temp I/O Read Time": number, "Temp I/O Write Time": number,
	"WAL Records": number, "WAL FPI": number, "WAL Bytes": number,
	"Planning Time": number, "Execution Time": number,
}

// maxIdent caps a name kept as it is (NAMEDATALEN is 64; "SubPlan 1" and friends are short).
const maxIdent = 200

// Plan is a redacted plan and what is derived from it.
type Plan struct {
	// JSON is the redacted plan: {"Plan": {...}, ...} with allowed keys only.
	JSON []byte
	// Hash is the hash of the plan's shape (ShapeHash).
	Hash int64
	// Text is one line per node, indented by depth: node type, relation, index, conditions.
	Text string
	// TopNode describes the root node ("Seq Scan on orders").
	TopNode string
	// TotalCost is the planner's estimate for the root node.
	TotalCost float64
	// Dropped names the keys that were dropped because they are not on the allow-list
	// (sorted, once each): a new PostgreSQL key shows up here before it is classified.
	Dropped []string
}

// ErrNoPlan: the input holds no {"Plan": {...}} object.
var ErrNoPlan = errors.New("queryplan: no plan in the input")

// Redact parses an EXPLAIN (FORMAT JSON) document (an array of one object, as EXPLAIN prints
// it, or one object, as auto_explain logs it) and returns what may be stored of it.
func Redact(raw []byte) (Plan, error) {
	var doc any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return Plan{}, fmt.Errorf("queryplan: not JSON: %w", err)
	}
	if arr, ok := doc.([]any); ok {
		if len(arr) != 1 {
			return Plan{}, ErrNoPlan
		}
		doc = arr[0]
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return Plan{}, ErrNoPlan
	}
	if _, ok := top["Plan"].(map[string]any); !ok {
		return Plan{}, ErrNoPlan
	}
	r := redactor{norm: sqlnorm.New(sqlnorm.PostgreSQL, 0), dropped: map[string]bool{}}
	clean := r.object(top)
	root := clean["Plan"].(map[string]any)
	out, err := json.Marshal(clean)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{JSON: out, Hash: ShapeHash(root), TopNode: describe(root)}
	if c, ok := root["Total Cost"].(json.Number); ok {
		p.TotalCost, _ = c.Float64()
	}
	var b strings.Builder
	writeText(&b, root, 0)
	p.Text = strings.TrimRight(b.String(), "\n")
	for k := range r.dropped {
		p.Dropped = append(p.Dropped, k)
	}
	sort.Strings(p.Dropped)
	return p, nil
}

type redactor struct {
	norm    *sqlnorm.Normalizer
	dropped map[string]bool
}

func (r *redactor) object(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		if kept, ok := r.value(allowed[k], v); ok {
			out[k] = kept
		} else {
			r.dropped[k] = true
		}
	}
	return out
}

// value returns what is kept of v as a value of kind k; false drops it (unknown key, or a
// value of another type than the key's: a string where a number belongs is not kept).
func (r *redactor) value(k kind, v any) (any, bool) {
	switch k {
	case ident:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		return capIdent(s), true
	case expr:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		return r.expr(s), true
	case exprList, identList:
		list, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			s, ok := e.(string)
			if !ok {
				continue
			}
			if k == exprList {
				out = append(out, r.expr(s))
			} else {
				out = append(out, capIdent(s))
			}
		}
		return out, true
	case number:
		n, ok := v.(json.Number)
		return n, ok
	case boolean:
		b, ok := v.(bool)
		return b, ok
	case object:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		return r.object(m), true
	case objectList:
		list, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				out = append(out, r.object(m))
			}
		}
		return out, true
	}
	return nil, false
}

// expr normalizes one expression as the statements are normalized: every literal (string,
// number, array, $n parameter) becomes ?.
func (r *redactor) expr(s string) string {
	return r.norm.Normalize(s).Normalized
}

func capIdent(s string) string {
	if len(s) <= maxIdent {
		return s
	}
	cut := maxIdent
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut]
}

// shapeKeys are the keys that make a plan's shape: which nodes, in which order, on which
// relations and indexes, joined how. Costs, row counts, times, expressions and aliases are
// left out, so the same plan of the same statement hashes the same whatever its parameters,
// its figures, or whether it is a generic or an executed plan. So is "Schema": EXPLAIN prints it
// only with VERBOSE (auto_explain.log_verbose), which a generic plan is made without.
var shapeKeys = []string{"Node Type", "Parent Relationship", "Subplan Name", "Join Type", "Strategy",
	"Partial Mode", "Operation", "Relation Name", "Index Name", "Scan Direction", "CTE Name",
	"Function Name", "Tuplestore Name", "Table Function Name", "Custom Plan Provider", "Sampling Method"}

// ShapeHash hashes the shape of a plan node and its children (FNV-1a, 64 bits, as a bigint).
func ShapeHash(node map[string]any) int64 {
	h := fnv.New64a()
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		h.Write([]byte{'('})
		for _, k := range shapeKeys {
			if s, ok := n[k].(string); ok {
				h.Write([]byte(k))
				h.Write([]byte{'='})
				h.Write([]byte(s))
				h.Write([]byte{0})
			}
		}
		if kids, ok := n["Plans"].([]any); ok {
			for _, c := range kids {
				if m, ok := c.(map[string]any); ok {
					walk(m)
				}
			}
		}
		h.Write([]byte{')'})
	}
	walk(node)
	return int64(h.Sum64())
}

// describe names a node: "Index Scan using orders_pkey on public.orders", "Hash Join (Inner)".
func describe(n map[string]any) string {
	s := func(k string) string { v, _ := n[k].(string); return v }
	var b strings.Builder
	b.WriteString(s("Node Type"))
	if op := s("Operation"); op != "" {
		b.WriteString(" (" + op + ")")
	}
	if st := s("Strategy"); st != "" && st != "Plain" {
		b.WriteString(" (" + st + ")")
	}
	if jt := s("Join Type"); jt != "" {
		b.WriteString(" (" + jt + ")")
	}
	if idx := s("Index Name"); idx != "" {
		b.WriteString(" using " + idx)
	}
	if rel := s("Relation Name"); rel != "" {
		b.WriteString(" on ")
		if sch := s("Schema"); sch != "" {
			b.WriteString(sch + ".")
		}
		b.WriteString(rel)
	} else if cte := s("CTE Name"); cte != "" {
		b.WriteString(" on " + cte)
	} else if fn := s("Function Name"); fn != "" {
		b.WriteString(" on " + fn)
	}
	if sub := s("Subplan Name"); sub != "" {
		b.WriteString(" [" + sub + "]")
	}
	return b.String()
}

// textConds are the conditions the text summary shows under a node, in this order.
var textConds = []string{"Index Cond", "Hash Cond", "Merge Cond", "Join Filter", "Recheck Cond", "Filter", "One-Time Filter"}

func writeText(b *strings.Builder, n map[string]any, depth int) {
	ind := strings.Repeat("  ", depth)
	b.WriteString(ind + describe(n))
	if c, ok := n["Total Cost"].(json.Number); ok {
		b.WriteString("  (cost " + string(c))
		if t, ok := n["Actual Total Time"].(json.Number); ok {
			b.WriteString(", actual " + string(t) + " ms")
			if r, ok := n["Actual Rows"].(json.Number); ok {
				b.WriteString(", rows " + string(r))
			}
		}
		b.WriteString(")")
	}
	b.WriteByte('\n')
	for _, k := range textConds {
		if v, ok := n[k].(string); ok {
			b.WriteString(ind + "  " + k + ": " + v + "\n")
		}
	}
	if kids, ok := n["Plans"].([]any); ok {
		for _, c := range kids {
			if m, ok := c.(map[string]any); ok {
				writeText(b, m, depth+1)
			}
		}
	}
}

// Describe names a plan node as the text summary does ("Seq Scan on public.orders"), for
// the optimizer's excerpts of a stored plan.
func Describe(n map[string]any) string { return describe(n) }
