// Package indexadvisor reads a normalized statement for the index that would serve it and
// the anti-patterns it shows (AnalyzeStatement), and checks a suggested index on the
// application's database with HypoPG (Validator). The optimizer's detectors ask it; it
// knows nothing of their rules.
package indexadvisor

import (
	"strings"
	"sync"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// Index advice and anti-pattern checks from a normalized statement (internal/sqlnorm output:
// keywords upper case, literals and parameters replaced by ?, IN lists collapsed), read as
// sqlnorm's token stream. This is a small scanner over the top level of the statement, not
// a SQL parser: it understands SELECT ... FROM t [alias] [joins] WHERE ... [GROUP BY] [ORDER BY] [LIMIT]
// [OFFSET], UPDATE t [alias] SET ... WHERE ..., DELETE FROM t [alias] WHERE ..., and declines
// (NoIndexReason) whatever it does not understand instead of guessing.

// AntiPattern is one check that fired on a statement.
type AntiPattern struct {
	Code    string `json:"code"` // SELECT_STAR | LIKE_PATTERN | MISSING_WHERE | OFFSET_PAGINATION
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// StatementAnalysis is what AnalyzeStatement found.
type StatementAnalysis struct {
	Operation string
	// Table is the statement's main table as written (schema-qualified / quoted if it was).
	Table string
	// Equality, Range, Sort: columns of the main table in WHERE col = ? / IN (?) / IS NULL,
	// in range predicates (<, >, <=, >=, BETWEEN), and in ORDER BY (with DESC when descending).
	Equality, Range, Sort []string
	// Index is a CREATE INDEX CONCURRENTLY statement (equality, then range, then sort columns),
	// empty when none applies (NoIndexReason says why).
	Index         string
	IndexName     string
	IndexColumns  []string
	NoIndexReason string
	LikeColumns   []string
	// LikeTableColumns: the LIKE/ILIKE columns that belong to the main table (unqualified
	// without joins, or qualified with its name or alias).
	LikeTableColumns []string
	// TimeSink is a call that explains the statement's time instead of a scan ("pg_sleep()":
	// SinkCertain) or may (a volatile or user function); no index is suggested with one.
	TimeSink     string
	SinkCertain  bool
	HasWhere     bool
	HasLimit     bool
	HasOffset    bool
	SelectStar   bool
	AntiPatterns []AntiPattern
}

// TokenKind is the kind of a Token.
type TokenKind uint8

const (
	Word TokenKind = iota // a word or keyword (Keyword), or a dotted name joined into one
	Quoted
	Param
	Op
	Punct
)

// Token is one token of sqlnorm's stream as the advisor reads it.
type Token struct {
	Kind    TokenKind
	Text    string
	Up      string // upper-case text of words
	Keyword bool   // a keyword of sqlnorm's table
}

// tokenizers read statements with sqlnorm's lexer (PostgreSQL rules: the advice is
// PostgreSQL DDL); a Normalizer is not safe for concurrent use.
var tokenizers = sync.Pool{New: func() any { return sqlnorm.New(sqlnorm.PostgreSQL, 0) }}

// Tokenize reads s with sqlnorm's lexer, a dotted name (a . b . c) joined into one Word.
func Tokenize(s string) []Token {
	n := tokenizers.Get().(*sqlnorm.Normalizer)
	defer tokenizers.Put(n)
	var out []Token
	n.Tokens(s, func(t sqlnorm.Token) bool {
		switch t.Kind {
		case sqlnorm.Word, sqlnorm.Keyword:
			out = append(out, Token{Kind: Word, Text: t.Text, Up: strings.ToUpper(t.Text), Keyword: t.Kind == sqlnorm.Keyword})
		case sqlnorm.QuotedIdent:
			out = append(out, Token{Kind: Quoted, Text: t.Text})
		case sqlnorm.Literal:
			out = append(out, Token{Kind: Param, Text: t.Text})
		case sqlnorm.Op:
			out = append(out, Token{Kind: Op, Text: t.Text})
		default:
			out = append(out, Token{Kind: Punct, Text: t.Text})
		}
		return true
	})
	// join dotted names: a . b . c -> one word token "a.b.c" (quoted parts kept)
	var joined []Token
	for k := 0; k < len(out); k++ {
		t := out[k]
		if (t.Kind == Word || t.Kind == Quoted) && !t.Keyword {
			for k+2 < len(out) && out[k+1].Kind == Punct && out[k+1].Text == "." &&
				(out[k+2].Kind == Word || out[k+2].Kind == Quoted || (out[k+2].Kind == Op && out[k+2].Text == "*")) {
				t.Text += "." + out[k+2].Text
				t.Kind = Word
				t.Up = strings.ToUpper(t.Text)
				k += 2
			}
		}
		joined = append(joined, t)
	}
	return joined
}

// clause terminators at depth 0
var whereEnd = map[string]bool{"GROUP": true, "ORDER": true, "LIMIT": true, "OFFSET": true, "FOR": true, "RETURNING": true,
	"HAVING": true, "WINDOW": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "FETCH": true}

// AnalyzeStatement derives index advice and anti-patterns from a normalized statement.
func AnalyzeStatement(normalized string) StatementAnalysis {
	var a StatementAnalysis
	toks := Tokenize(normalized)
	if len(toks) == 0 || toks[0].Kind != Word {
		a.NoIndexReason = "empty or unrecognized statement"
		return a
	}
	a.Operation = toks[0].Up
	// depth of each token (parentheses / brackets)
	depth := make([]int, len(toks))
	d := 0
	for i, t := range toks {
		if t.Kind == Punct && (t.Text == ")" || t.Text == "]") {
			d--
		}
		depth[i] = d
		if t.Kind == Punct && (t.Text == "(" || t.Text == "[") {
			d++
		}
	}
	top := func(i int, up string) bool { return depth[i] == 0 && toks[i].Kind == Word && toks[i].Up == up }
	find := func(from int, up string) int {
		for i := from; i < len(toks); i++ {
			if top(i, up) {
				return i
			}
		}
		return -1
	}
	for i := range toks {
		if toks[i].Kind == Word && (toks[i].Up == "LIKE" || toks[i].Up == "ILIKE") && i > 0 {
			a.LikeColumns = append(a.LikeColumns, toks[i-1].Text)
		}
	}
	a.HasLimit = find(0, "LIMIT") >= 0 || find(0, "FETCH") >= 0
	a.HasOffset = find(0, "OFFSET") >= 0

	var tableAt int
	switch a.Operation {
	case "SELECT":
		k := 1
		for k < len(toks) && toks[k].Kind == Word && (toks[k].Up == "DISTINCT" || toks[k].Up == "ALL") {
			k++
		}
		from := find(1, "FROM")
		for i := k; i < len(toks) && (from < 0 || i < from); i++ {
			if depth[i] != 0 {
				continue
			}
			t := toks[i]
			prevSep := i == k || (toks[i-1].Kind == Punct && toks[i-1].Text == ",")
			if prevSep && ((t.Kind == Op && t.Text == "*") || (t.Kind == Word && strings.HasSuffix(t.Text, ".*"))) {
				a.SelectStar = true
			}
		}
		if from < 0 {
			a.NoIndexReason = "no FROM clause"
			return finish(a)
		}
		tableAt = from + 1
	case "UPDATE":
		tableAt = 1
		if tableAt < len(toks) && toks[tableAt].Up == "ONLY" {
			tableAt++
		}
	case "DELETE":
		from := find(1, "FROM")
		if from < 0 {
			a.NoIndexReason = "no FROM clause"
			return finish(a)
		}
		tableAt = from + 1
		if tableAt < len(toks) && toks[tableAt].Up == "ONLY" {
			tableAt++
		}
	default:
		a.NoIndexReason = a.Operation + " statements get no index advice"
		return finish(a)
	}
	if tableAt >= len(toks) || !(toks[tableAt].Kind == Word || toks[tableAt].Kind == Quoted) || toks[tableAt].Keyword {
		a.NoIndexReason = "the main table is a subquery or could not be identified"
		whereOnly(&a, toks, depth, find)
		return finish(a)
	}
	a.Table = toks[tableAt].Text
	tableShort := LastPart(a.Table)
	alias := ""
	next := tableAt + 1
	if next < len(toks) && toks[next].Up == "AS" {
		next++
	}
	if next < len(toks) && (toks[next].Kind == Word || toks[next].Kind == Quoted) && !toks[next].Keyword {
		alias = toks[next].Text
		next++
	}
	hasJoin := false
	for i := tableAt + 1; i < len(toks); i++ {
		if depth[i] != 0 {
			continue
		}
		t := toks[i]
		if t.Kind == Word && (t.Up == "JOIN" || t.Up == "USING" || (a.Operation == "UPDATE" && t.Up == "FROM")) {
			hasJoin = true
		}
		if t.Kind == Punct && t.Text == "," && a.Operation != "UPDATE" {
			// FROM a, b (implicit join) — only before WHERE
			if w := find(tableAt, "WHERE"); w < 0 || i < w {
				hasJoin = true
			}
		}
	}
	// column of the main table, or "" when the reference is to another table or ambiguous
	colOf := func(t Token) string {
		if t.Kind != Word && t.Kind != Quoted {
			return ""
		}
		if t.Kind == Word && t.Keyword {
			return ""
		}
		parts := SplitDotted(t.Text)
		switch len(parts) {
		case 1:
			if hasJoin {
				return ""
			}
			return parts[0]
		default:
			q := parts[len(parts)-2]
			if (alias != "" && q == alias) || (alias == "" && q == tableShort) || q == tableShort && alias == "" {
				return parts[len(parts)-1]
			}
			return ""
		}
	}

	for i := range toks {
		if toks[i].Kind == Word && (toks[i].Up == "LIKE" || toks[i].Up == "ILIKE") && i > 0 {
			k := i - 1
			if toks[k].Kind == Word && toks[k].Up == "NOT" && k > 0 {
				k--
			}
			if c := colOf(toks[k]); c != "" && (k == 0 || toks[k-1].Kind != Op || toks[k-1].Text != "::") {
				a.LikeTableColumns = appendUniq(a.LikeTableColumns, c)
			}
		}
	}
	where := find(tableAt, "WHERE")
	if where >= 0 {
		a.HasWhere = true
		end := len(toks)
		for i := where + 1; i < len(toks); i++ {
			if depth[i] == 0 && ((toks[i].Kind == Word && whereEnd[toks[i].Up]) || (toks[i].Kind == Punct && toks[i].Text == ";")) {
				end = i
				break
			}
		}
		conj, hasOr := splitConjuncts(toks[where+1:end], depth[where+1:end])
		if hasOr {
			a.NoIndexReason = "the WHERE clause is a top-level OR; one composite index cannot serve it"
		}
		for _, c := range conj {
			classify(&a, c, colOf)
		}
	}
	if ob := find(tableAt, "ORDER"); ob >= 0 && ob+1 < len(toks) && toks[ob+1].Up == "BY" {
		i := ob + 2
		for i < len(toks) && depth[i] == 0 {
			if toks[i].Kind == Word && whereEnd[toks[i].Up] {
				break
			}
			col := colOf(toks[i])
			if col == "" || (i+1 < len(toks) && toks[i+1].Kind == Punct && toks[i+1].Text == "(") {
				break // an expression or another table's column: later sort keys cannot use the index either
			}
			i++
			desc := false
			for i < len(toks) && toks[i].Kind == Word && (toks[i].Up == "ASC" || toks[i].Up == "DESC" || toks[i].Up == "NULLS" || toks[i].Up == "FIRST" || toks[i].Up == "LAST") {
				if toks[i].Up == "DESC" {
					desc = true
				}
				i++
			}
			if desc {
				col += " DESC"
			}
			a.Sort = append(a.Sort, col)
			if i < len(toks) && toks[i].Kind == Punct && toks[i].Text == "," {
				i++
				continue
			}
			break
		}
	}
	if a.TimeSink, a.SinkCertain = callSink(toks); a.TimeSink != "" && a.NoIndexReason == "" {
		switch {
		case a.SinkCertain:
			a.NoIndexReason = "no index helps: the time is spent in " + a.TimeSink + ", not in reading rows"
		case isVolatile(a.TimeSink):
			a.NoIndexReason = "the statement calls the volatile function " + a.TimeSink + ", evaluated for every row; its time cannot be told from a scan's, so no index is suggested"
		default:
			a.NoIndexReason = "the statement calls " + a.TimeSink + ", a function whose cost its text does not show; its time cannot be told from a scan's, so no index is suggested"
		}
	}
	if a.NoIndexReason == "" {
		buildIndex(&a)
	}
	return finish(a)
}

// whereOnly records HasWhere when the table could not be identified.
func whereOnly(a *StatementAnalysis, toks []Token, depth []int, find func(int, string) int) {
	a.HasWhere = find(0, "WHERE") >= 0
}

// LastPart is the last part of a dotted name (the table of schema.table).
func LastPart(name string) string {
	p := SplitDotted(name)
	return p[len(p)-1]
}

// SplitDotted splits a.b."C" into parts, keeping quotes on quoted parts.
func SplitDotted(s string) []string {
	var parts []string
	cur := strings.Builder{}
	inQ := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			inQ = !inQ
		}
		if c == '.' && !inQ {
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	return append(parts, cur.String())
}

// splitConjuncts splits a WHERE clause at top-level AND (the AND of BETWEEN excluded).
func splitConjuncts(toks []Token, depth []int) (out [][]Token, hasOr bool) {
	base := 0
	if len(depth) > 0 {
		base = depth[0]
	}
	start, between := 0, false
	for i, t := range toks {
		if depth[i] != base || t.Kind != Word {
			continue
		}
		switch t.Up {
		case "BETWEEN":
			between = true
		case "OR":
			hasOr = true
		case "AND":
			if between {
				between = false
				continue
			}
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	return append(out, toks[start:]), hasOr
}

// constant reports whether an expression references no column (parameters, literals,
// function calls, INTERVAL ?, casts): the right side of an indexable predicate.
func constant(toks []Token) bool {
	if len(toks) == 0 {
		return false
	}
	for i, t := range toks {
		switch t.Kind {
		case Quoted:
			return false
		case Word:
			if t.Keyword {
				continue
			}
			if i+1 < len(toks) && toks[i+1].Kind == Punct && toks[i+1].Text == "(" {
				continue // function call
			}
			if i > 0 && toks[i-1].Kind == Op && toks[i-1].Text == "::" {
				continue // type of a cast
			}
			return false
		}
	}
	return true
}

func classify(a *StatementAnalysis, c []Token, colOf func(Token) string) {
	if len(c) < 2 {
		return
	}
	// strip NOT: not indexable as equality/range
	if c[0].Kind == Word && c[0].Up == "NOT" {
		return
	}
	col := colOf(c[0])
	if col == "" || (len(c) > 1 && c[1].Kind == Punct && c[1].Text == "(") {
		// reversed form: ? = col
		if len(c) == 3 && c[1].Kind == Op && c[0].Kind == Param {
			if rc := colOf(c[2]); rc != "" {
				switch c[1].Text {
				case "=":
					a.Equality = appendUniq(a.Equality, rc)
				case "<", ">", "<=", ">=":
					a.Range = appendUniq(a.Range, rc)
				}
			}
		}
		return
	}
	op := c[1]
	rest := c[2:]
	switch {
	case op.Kind == Op && op.Text == "=":
		if len(rest) > 0 && rest[0].Kind == Word && (rest[0].Up == "ANY" || rest[0].Up == "SOME") {
			a.Equality = appendUniq(a.Equality, col)
		} else if constant(rest) {
			a.Equality = appendUniq(a.Equality, col)
		}
	case op.Kind == Op && (op.Text == "<" || op.Text == ">" || op.Text == "<=" || op.Text == ">="):
		if constant(rest) {
			a.Range = appendUniq(a.Range, col)
		}
	case op.Kind == Word && op.Up == "IN":
		if len(rest) > 1 && rest[0].Text == "(" && rest[1].Kind != Word {
			a.Equality = appendUniq(a.Equality, col)
		}
	case op.Kind == Word && op.Up == "IS":
		if len(rest) == 1 && rest[0].Up == "NULL" {
			a.Equality = appendUniq(a.Equality, col)
		}
	case op.Kind == Word && op.Up == "BETWEEN":
		a.Range = appendUniq(a.Range, col)
	}
}

func appendUniq(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func buildIndex(a *StatementAnalysis) {
	var cols []string
	seen := map[string]bool{}
	add := func(c string) {
		name := strings.TrimSuffix(c, " DESC")
		if seen[name] {
			return
		}
		seen[name] = true
		cols = append(cols, c)
	}
	for _, c := range a.Equality {
		add(c)
	}
	for _, c := range a.Range {
		add(c)
	}
	// sort columns help only when the rows come out of the index in order, i.e. when the
	// sort follows the equality columns; they are appended as the rule says, at most 3.
	for i, c := range a.Sort {
		if i == 3 {
			break
		}
		add(c)
	}
	if len(cols) == 0 {
		switch {
		case !a.HasWhere:
			a.NoIndexReason = "no WHERE or ORDER BY column of " + a.Table + " to index"
		default:
			a.NoIndexReason = "no indexable predicate on a column of " + a.Table + " (functions, OR, LIKE, <> or other tables' columns)"
		}
		return
	}
	if len(a.Equality)+len(a.Range) == 0 && !a.HasLimit {
		a.NoIndexReason = "ORDER BY without WHERE or LIMIT reads the whole table; an index would not help"
		return
	}
	if len(cols) > 5 {
		cols = cols[:5]
	}
	a.IndexColumns = cols
	nameParts := []string{"idx", strings.Trim(LastPart(a.Table), `"`)}
	for _, c := range cols {
		nameParts = append(nameParts, strings.Trim(strings.TrimSuffix(c, " DESC"), `"`))
	}
	name := strings.ToLower(strings.Join(nameParts, "_"))
	var b strings.Builder
	for _, r := range name {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name = b.String()
	if len(name) > 63 {
		name = name[:63]
	}
	a.IndexName = name
	a.Index = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON " + a.Table + " (" + strings.Join(cols, ", ") + ");"
}

func finish(a StatementAnalysis) StatementAnalysis {
	if a.SelectStar {
		a.AntiPatterns = append(a.AntiPatterns, AntiPattern{Code: "SELECT_STAR",
			Message: "SELECT * reads and transfers every column and prevents index-only scans",
			Fix:     "Select only the columns the caller uses"})
	}
	for _, c := range a.LikeColumns {
		// The stored statement shows ? for a literal and a bind parameter alike; the like_scan
		// detector advises on leading-wildcard literals from the class queryhash recorded.
		a.AntiPatterns = append(a.AntiPatterns, AntiPattern{Code: "LIKE_PATTERN",
			Message: "LIKE/ILIKE on " + c + ": whether an index can serve it depends on the pattern, which the stored statement does not show",
			Fix:     "Check the plan of " + LastPart(c) + " LIKE with representative patterns (EXPLAIN (ANALYZE, BUFFERS)); no index is suggested for a pattern the statement does not show"})
	}
	if !a.HasWhere && (a.Operation == "SELECT" || a.Operation == "UPDATE" || a.Operation == "DELETE") && a.Table != "" {
		a.AntiPatterns = append(a.AntiPatterns, AntiPattern{Code: "MISSING_WHERE",
			Message: a.Operation + " on " + a.Table + " without WHERE processes every row",
			Fix:     "Add a WHERE clause that filters the rows needed (and LIMIT for lists)"})
	}
	if a.HasOffset {
		a.AntiPatterns = append(a.AntiPatterns, AntiPattern{Code: "OFFSET_PAGINATION",
			Message: "OFFSET pagination reads and discards every skipped row, so deep pages get slower",
			Fix:     "Use keyset pagination: WHERE (sort_col, id) > (?, ?) ORDER BY sort_col, id LIMIT ?"})
	}
	return a
}
