// Package likeclass tells the class of a statement's LIKE patterns (a leading wildcard,
// a prefix, a parameter...) from its raw text, before the normalizer redacts the literals:
// queryhash records the class on the span, perfpg stores its number, and the optimizer's
// like_scan detector advises on it. It reads the text with sqlnorm's dialects.
package likeclass

import (
	"strings"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// Class is the class of the patterns a statement's LIKE / ILIKE predicates compare with,
// read from the raw statement before its literals are redacted. Only the class leaves this
// function, never the pattern: the normalized text (and so the fingerprint) of '%x%' and
// 'x%' is the same, and the class is what an index suggestion needs to tell them apart.
type Class uint8

// The classes, in storage order: the value is what perfpg stores (query_performance_log.
// like_pattern, 0 when the statement has no LIKE), so a class keeps its number.
const (
	None Class = iota
	// Exact: a literal without wildcards ('abc').
	Exact
	// Prefix: a literal that starts with a fixed prefix ('abc%'), which a btree index
	// with text_pattern_ops (or the C collation) can serve.
	Prefix
	// LeadingWildcard: a literal that starts with % or _ ('%abc%', also '%' || $1),
	// which no btree index can serve; a trigram index can.
	LeadingWildcard
	// Parameter: the pattern is a bind parameter; its value (and class) is unknown.
	Parameter
	// Expression: the pattern is a column, function call or subquery.
	Expression

	numClasses
)

var classNames = [numClasses]string{"", "exact", "prefix", "leading_wildcard", "parameter", "expression"}

// likeRank orders the classes when a statement has several LIKEs: the one an index
// suggestion must not miss (a leading wildcard) wins, then the ones that make a suggestion
// unsafe (unknown patterns).
var likeRank = [numClasses]uint8{0, 1, 2, 5, 4, 3}

// String returns the class name written to the span attribute ("" for None).
func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return ""
}

// Parse returns the class named name (as written by String); a name it does not
// know is not a class.
func Parse(name string) (Class, bool) {
	for i, n := range classNames {
		if n == name && i > 0 {
			return Class(i), true
		}
	}
	return None, false
}

// Classify returns the class of the LIKE / ILIKE (and PostgreSQL ~~, ~~*) patterns of the
// raw statement stmt; with several, the highest ranked (leading wildcard first). It skips
// strings, quoted identifiers and comments, so a LIKE inside them does not count. Where it is
// unsure what the operand is, the class is Expression, which earns no advice.
func Classify(d sqlnorm.Dialect, stmt string) Class {
	if !mayHaveLike(stmt) {
		return None // most statements: one pass over the bytes instead of a lexer run
	}
	return classify(d, stmt)
}

// mayHaveLike reports whether stmt contains "like" in any case or "~~": every LIKE, ILIKE
// and ~~ operator does, so without either the statement has none.
func mayHaveLike(stmt string) bool {
	for i := 0; i+2 <= len(stmt); i++ {
		switch stmt[i] {
		case 'l', 'L':
			if i+4 <= len(stmt) && strings.EqualFold(stmt[i:i+4], "like") {
				return true
			}
		case '~':
			if stmt[i+1] == '~' {
				return true
			}
		}
	}
	return false
}

func classify(d sqlnorm.Dialect, stmt string) Class {
	best := None
	keep := func(c Class) {
		if likeRank[c] > likeRank[best] {
			best = c
		}
	}
	backslash := d == sqlnorm.MySQL || d == sqlnorm.ClickHouse
	for i := 0; i < len(stmt); {
		c := stmt[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(stmt, i, backslash || (c == '\'' && i > 0 && (stmt[i-1] == 'E' || stmt[i-1] == 'e')))
		case c == '-' && i+1 < len(stmt) && stmt[i+1] == '-', c == '#' && d == sqlnorm.MySQL:
			for i < len(stmt) && stmt[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(stmt) && stmt[i+1] == '*':
			i = skipBlockComment(stmt, i)
		case c == '$' && d == sqlnorm.PostgreSQL && i+1 < len(stmt) && (stmt[i+1] == '$' || isIdentStart(stmt[i+1])):
			i = skipDollarQuoted(stmt, i)
		case c == '~' && d == sqlnorm.PostgreSQL && strings.HasPrefix(stmt[i:], "~~"):
			i += 2
			if i < len(stmt) && stmt[i] == '*' {
				i++
			}
			keep(likeOperand(stmt, i, backslash))
		case isIdentStart(c):
			j := i
			for j < len(stmt) && isIdentPart(stmt[j]) {
				j++
			}
			w := stmt[i:j]
			if (i == 0 || !isIdentPart(stmt[i-1])) && (strings.EqualFold(w, "LIKE") || strings.EqualFold(w, "ILIKE")) {
				keep(likeOperand(stmt, j, backslash))
			}
			i = j
		default:
			i++
		}
	}
	return best
}

// likeOperand classifies the operand that starts at stmt[i:] (after spaces and comments).
func likeOperand(s string, i int, backslash bool) Class {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
			continue
		case strings.HasPrefix(s[i:], "/*"):
			i = skipBlockComment(s, i)
			continue
		}
		break
	}
	if i >= len(s) {
		return Expression
	}
	esc := backslash
	if (s[i] == 'E' || s[i] == 'e' || s[i] == 'N' || s[i] == 'n') && i+1 < len(s) && s[i+1] == '\'' {
		esc = esc || s[i] == 'E' || s[i] == 'e'
		i++
	}
	switch c := s[i]; {
	case c == '\'':
		return patternClass(s, i+1, esc)
	case c == '?', c == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9',
		c == ':' && i+1 < len(s) && isIdentStart(s[i+1]), c == '@' && i+1 < len(s) && isIdentStart(s[i+1]),
		c == '%' && i+1 < len(s) && (s[i+1] == 's' || s[i+1] == '('):
		return Parameter
	}
	return Expression
}

// patternClass reads the body of a quoted pattern starting at s[i] (after the quote).
func patternClass(s string, i int, backslash bool) Class {
	first := true
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i += 2 // an escaped quote: a fixed character
		case c == '\'':
			return Exact
		case c == '\\':
			// LIKE's own escape (and the string's, with backslash escapes): the next
			// character is fixed either way
			i += 2
			if backslash && i < len(s) && s[i] == '\\' {
				i++
			}
		case c == '%' || c == '_':
			if first {
				return LeadingWildcard
			}
			return Prefix
		default:
			i++
		}
		first = false
	}
	return Expression // unterminated: the statement was cut
}

func skipQuoted(s string, i int, backslash bool) int {
	q := s[i]
	for i++; i < len(s); i++ {
		switch {
		case backslash && s[i] == '\\':
			i++
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i++
		case s[i] == q:
			return i + 1
		}
	}
	return len(s)
}

func skipBlockComment(s string, i int) int {
	depth := 0
	for ; i+1 < len(s); i++ {
		switch {
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i++
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// skipDollarQuoted skips $tag$...$tag$ (or returns past a $name that opens no quote).
func skipDollarQuoted(s string, i int) int {
	j := i + 1
	for j < len(s) && s[j] != '$' && isIdentPart(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return j
	}
	tag := s[i : j+1]
	if end := strings.Index(s[j+1:], tag); end >= 0 {
		return j + 1 + end + len(tag)
	}
	return len(s)
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$' }
