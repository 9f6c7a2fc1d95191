package optimizer

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/internal/queryplan"
)

// batchedLookup is the batched form of a looped statement: the statement itself with its
// key predicate "col = ?" turned into "col = ANY($k)", so one execution serves every key of
// the request.
type batchedLookup struct {
	table, column string
	statement     string // with $n parameters; "" when the statement cannot be batched this way
	keySelected   bool   // the select list returns the key column (or *), so rows can be matched to keys
	reason        string // why statement is "", for the advice
}

// aggregates: a statement computing one of these per key would need a GROUP BY key once batched
var aggregates = map[string]bool{"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true, "ARRAY_AGG": true,
	"STRING_AGG": true, "JSON_AGG": true, "JSONB_AGG": true, "BOOL_AND": true, "BOOL_OR": true, "EXISTS": true}

// batchLookup reads a normalized statement (sqlnorm's token stream, as AnalyzeStatement does)
// for the one column its loop varies: a SELECT on one table with exactly one equality predicate
// "col = ?" on a column of that table (the index advisor's equality columns). Anything else
// (several such parameters, IN lists, LIMIT, aggregates, DISTINCT, GROUP BY) gets no rewritten
// statement: which of its parameters the loop varies, or how its rows map back to keys, is
// not known from the text.
func batchLookup(normalized string, an indexadvisor.StatementAnalysis) batchedLookup {
	b := batchedLookup{table: an.Table}
	switch {
	case an.Operation != "SELECT" || an.Table == "":
		b.reason = "the statement is not a SELECT on one identified table"
		return b
	case len(an.Equality) == 0:
		b.reason = "the statement does not filter on a column by equality"
		return b
	case an.HasLimit || an.HasOffset:
		b.reason = "LIMIT/OFFSET apply per key and would not survive batching"
		return b
	}
	toks := indexadvisor.Tokenize(normalized)
	depth := 0
	params, keyParam, matches := 0, 0, 0
	from := -1
	// the equality column of the main table a token names, or ""
	column := func(t indexadvisor.Token) string {
		if t.Kind != indexadvisor.Word && t.Kind != indexadvisor.Quoted || t.Keyword {
			return ""
		}
		parts := indexadvisor.SplitDotted(t.Text)
		if c := parts[len(parts)-1]; slices.Contains(an.Equality, c) {
			return c
		}
		return ""
	}
	var selected []string
	for i, t := range toks {
		switch {
		case t.Kind == indexadvisor.Punct && (t.Text == "(" || t.Text == "["):
			depth++
		case t.Kind == indexadvisor.Punct && (t.Text == ")" || t.Text == "]"):
			depth--
		case t.Kind == indexadvisor.Param && t.Text == "?":
			params++
			// only "col = ?": "? = col" would need its sides swapped to take ANY
			if c := ""; i >= 2 && toks[i-1].Kind == indexadvisor.Op && toks[i-1].Text == "=" {
				if c = column(toks[i-2]); c != "" {
					b.column, keyParam, matches = c, params, matches+1
				}
			}
		case t.Kind == indexadvisor.Word && depth == 0 && (t.Up == "GROUP" || t.Up == "DISTINCT" || t.Up == "UNION" || t.Up == "HAVING"):
			b.reason = "the statement uses " + t.Up + ", whose result per key batching would change"
			return b
		case t.Kind == indexadvisor.Word && aggregates[t.Up] && i+1 < len(toks) && toks[i+1].Text == "(":
			b.reason = "the statement aggregates (" + strings.ToLower(t.Up) + "), which a batched form must group by its key"
			return b
		case t.Kind == indexadvisor.Word && depth == 0 && t.Up == "FROM" && from < 0:
			from = i
		}
		if from < 0 && i > 0 {
			selected = append(selected, column(t))
		}
	}
	if matches != 1 {
		b.reason = "it has no single key predicate (column = ?) that the loop varies"
		b.column = ""
		return b
	}
	b.keySelected = an.SelectStar || slices.Contains(selected, b.column)
	stmt, _ := queryplan.ToParams(normalized)
	p := regexp.MustCompile(fmt.Sprintf(`\$%d\b`, keyParam))
	b.statement = p.ReplaceAllLiteralString(stmt, fmt.Sprintf("ANY($%d)", keyParam))
	return b
}

// nPlusOneFix is the advice of an N+1 recommendation.
type nPlusOneFix struct {
	table          string
	advice         string
	implementation string
	validation     *Validation
}

// loopFix writes the fix of a looped statement: its batched form (the statement's own table
// and key column) with a DataLoader example, and, when the key column may lack an index (the
// index advisor derives one for the statement), that index: checked with HypoPG on the
// namespace's target when one is configured (the index advisor's validation: a suggestion it
// finds not beneficial, e.g. already indexed, is dropped), "unverified" otherwise.
func loopFix(ctx context.Context, e *env, namespace, normalized string, avgReps float64) nPlusOneFix {
	an := indexadvisor.AnalyzeStatement(normalized)
	b := batchLookup(normalized, an)
	if err := e.deferIndexToPlan(ctx, 0, normalized, &an); err != nil {
		e.logger.Warn("optimizer: plans not read; the statement's own index advice stands", zap.Error(err))
	}
	fix := nPlusOneFix{table: b.table}
	var advice, impl []string
	impl = append(impl, fmt.Sprintf("-- one query instead of %.0f per request", avgReps))
	if b.statement != "" {
		advice = append(advice, fmt.Sprintf("Batch the lookups on %s by %s: load the rows of every %s of the request with one query (%s = ANY($1)), a JOIN, or the ORM's eager loading / a DataLoader",
			b.table, b.column, b.column, b.column))
		impl = append(impl, b.statement)
		if !b.keySelected {
			impl = append(impl, fmt.Sprintf("-- add %s to the select list to match the rows to their keys", b.column))
		}
		impl = append(impl, fmt.Sprintf("// e.g. const by%s = new DataLoader(async (keys) => { const { rows } = await db.query('%s', [keys]); return keys.map((k) => rows.filter((r) => r.%s === k)); });",
			loaderName(b.column), strings.ReplaceAll(b.statement, "'", `\'`), indexadvisor.AttName(b.column)))
	} else {
		what := "the statement"
		if b.table != "" {
			what = "the lookups on " + b.table
		}
		advice = append(advice, fmt.Sprintf("Batch %s: one query for all keys of the request (= ANY($1) on the column the loop varies), a JOIN, or the ORM's eager loading / a DataLoader; no batched statement is derived because %s",
			what, b.reason))
		impl = append(impl, "-- batch: "+firstWords(normalized, 200))
	}
	if b.statement != "" && an.Index != "" && len(an.IndexColumns) > 0 && strings.TrimSuffix(an.IndexColumns[0], " DESC") == b.column {
		v := e.hypo.Validate(ctx, e.tenant, namespace, an, normalized)
		fix.validation = &v
		cols := an.Table + " (" + strings.Join(an.IndexColumns, ", ") + ")"
		switch v.Status {
		case "VALIDATED":
			advice = append(advice, fmt.Sprintf("%s has no usable index on %s: every execution of the loop scans the table; add %s (%s)", b.table, b.column, an.IndexName, v.Message))
			impl = append(impl, an.Index)
		case "NOT_BENEFICIAL":
			advice = append(advice, fmt.Sprintf("No index is suggested for %s: %s", cols, v.Message))
		default: // NOT_VALIDATED, ERROR: the catalog was not read
			advice = append(advice, fmt.Sprintf("If %s has no index on %s, every execution of the loop (and the batched query) scans the table: add %s (%s)",
				b.table, b.column, an.IndexName, v.Message))
			impl = append(impl, "-- unverified: only if "+b.table+" has no index on "+b.column+" yet", an.Index)
		}
	}
	fix.advice = strings.Join(advice, ". ")
	fix.implementation = strings.Join(impl, "\n")
	return fix
}

// loaderName is a DataLoader's name for a key column: order_id -> OrderId.
func loaderName(col string) string {
	var b strings.Builder
	up := true
	for _, r := range indexadvisor.AttName(col) {
		switch {
		case r == '_' || r == ' ' || r == '"':
			up = true
		case up && r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			up = false
		default:
			b.WriteRune(r)
			up = false
		}
	}
	return b.String()
}
