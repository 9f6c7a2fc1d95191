package sqlnorm

// Lexing of numbers, operators and parameter placeholders.

import (
	"strings"
)

// number lexes a numeric literal starting at i (a digit, or '.' followed by a digit).
func (n *Normalizer) number(s string, i int) int {
	j := i
	if s[j] == '0' && j+2 < len(s) {
		switch s[j+1] | 0x20 {
		case 'x', 'b', 'o':
			if isHexDigit(s[j+2]) {
				j += 2
				for j < len(s) && (isHexDigit(s[j]) || s[j] == '_') {
					j++
				}
				n.lit()
				return j
			}
		}
	}
	if n.r.constants && isUUID(s, i) {
		n.lit()
		return i + 36
	}
	j = digits(s, j)
	if j < len(s) && s[j] == '.' {
		j = digits(s, j+1)
	}
	if j < len(s) && (s[j]|0x20) == 'e' {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			j = digits(s, k)
		}
	}
	if n.r.constants {
		// CQL durations: 1h30m, 12mo, 3d
		for j < len(s) && wordCont[s[j]] {
			j++
		}
	}
	n.lit()
	return j
}

// isUUID reports whether s[i:] starts with an unquoted UUID constant
// (8-4-4-4-12 hex digits) that does not run on into a word.
func isUUID(s string, i int) bool {
	if len(s)-i < 36 || s[i+8] != '-' {
		return false
	}
	for k := 0; k < 36; k++ {
		c := s[i+k]
		switch k {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexDigit(c) {
				return false
			}
		}
	}
	return i+36 == len(s) || !wordCont[s[i+36]]
}

// isISODuration reports whether w is an ISO 8601 duration such as P1Y2M3D
// or PT4H5M (a CQL constant).
func isISODuration(w string) bool {
	if len(w) < 3 || w[0]|0x20 != 'p' {
		return false
	}
	digit := false
	for k := 1; k < len(w); k++ {
		switch c := w[k]; {
		case isDigit(c):
			digit = true
		case c|0x20 == 't' && k == 1:
		case digit && strings.IndexByte("ymwdhsYMWDHS", c) >= 0:
		default:
			return false
		}
	}
	return digit && !isDigit(w[len(w)-1])
}

func digits(s string, j int) int {
	for j < len(s) {
		c := s[j]
		if isDigit(c) || (c == '_' && j+1 < len(s) && isDigit(s[j+1])) {
			j++
			continue
		}
		break
	}
	return j
}

func isHexDigit(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// opRun lexes an operator: a maximal run of operator characters, stopping
// before a comment start. Following PostgreSQL, a multi-character operator
// cannot end in + or - unless it contains one of ~ ! @ # % ^ & | ` ?. In
// PostgreSQL ? only starts an operator (so "=?" is "=" then a placeholder).
// A sign in operand position directly before a number or a $n placeholder
// is folded into the literal (not before ?, which keeps normalization
// idempotent: "- ?" stays "- ?").
func (n *Normalizer) opRun(s string, i int) int {
	ops := &opCharStd
	pg := n.dialect == PostgreSQL
	if pg {
		ops = &opCharPG
	}
	j := i + 1
	special := false
	if pg && s[i] == '?' && !n.operand {
		// placeholder
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		n.lit()
		return j
	}
	for j < len(s) && ops[s[j]] {
		c := s[j]
		if (c == '-' && j+1 < len(s) && s[j+1] == '-') || (c == '/' && j+1 < len(s) && (s[j+1] == '*' || s[j+1] == '/' && n.r.slashSlash != no)) {
			break
		}
		if pg && c == '?' {
			break
		}
		j++
	}
	op := s[i:j]
	if len(op) > 1 {
		for k := 0; k < len(op); k++ {
			switch op[k] {
			case '~', '!', '@', '#', '%', '^', '&', '|', '`', '?':
				special = true
			}
		}
		if !special {
			for len(op) > 1 && (op[len(op)-1] == '+' || op[len(op)-1] == '-') {
				op = op[:len(op)-1]
			}
		}
	}
	j = i + len(op)
	if len(op) == 1 && (op[0] == '-' || op[0] == '+') && !n.operand {
		// unary sign: fold into a following number or placeholder
		k := j
		for k < len(s) && classTab[s[k]] == cSpace {
			k++
		}
		if k < len(s) {
			c := s[k]
			if isDigit(c) || (c == '.' && k+1 < len(s) && isDigit(s[k+1])) ||
				(c == '$' && k+1 < len(s) && isDigit(s[k+1]) && n.r.dollar != dollarIdent) {
				return k
			}
		}
	}
	n.simple(tkOp, op)
	return j
}

// colon handles ::, :=, :name / :1 placeholders and a lone colon.
func (n *Normalizer) colon(s string, i int) int {
	if i+1 < len(s) {
		switch c := s[i+1]; {
		case c == ':':
			n.simple(tkCast, "::")
			return i + 2
		case c == '=':
			n.simple(tkOp, ":=")
			return i + 2
		case !n.operand && !(n.prev == tkLBrack && n.stack[n.top].subscript) && wordCont[c] && c != '$':
			j := i + 1
			for j < len(s) && wordCont[s[j]] {
				j++
			}
			n.lit()
			return j
		}
	}
	n.simple(tkOp, ":")
	return i + 1
}

// dollar handles $: $1 placeholders and $tag$ quoting, an identifier
// character (MySQL), $name parameters (SQLite), $12.50 money (SQL Server)
// or a ClickHouse heredoc.
func (n *Normalizer) dollar(s string, i int) int {
	j := i + 1
	switch n.r.dollar {
	case dollarIdent:
		return n.word(s, i, i)
	case dollarParam:
		if end, ok := n.namedParam(s, j); ok {
			return end
		}
	case dollarMoney:
		if j < len(s) && (isDigit(s[j]) || s[j] == '.' && j+1 < len(s) && isDigit(s[j+1])) {
			n.lit()
			return skipNumber(s, j)
		}
		if j < len(s) && wordCont[s[j]] {
			return n.word(s, i, i)
		}
	case dollarHeredoc:
		// ClickHouse: the tag is everything up to the next $
		if k := strings.IndexByte(s[j:], '$'); k >= 0 {
			tag := s[i : j+k+1]
			e := strings.Index(s[j+k+1:], tag)
			if e < 0 {
				return n.redactRest(s) // maybe cut by truncation
			}
			n.lit()
			return j + k + 1 + e + len(tag)
		}
		if j < len(s) && wordCont[s[j]] {
			if isDigit(s[j]) {
				n.lit()
				return skipNumber(s, j)
			}
			return n.word(s, i, i)
		}
	default: // dollarQuote
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			n.lit()
			return j
		}
		// PostgreSQL tags: letters (any byte >= 0x80 included), _, and
		// digits after the first character
		for j < len(s) && (classTab[s[j]] == cWord || j > i+1 && isDigit(s[j])) {
			j++
		}
		if j < len(s) && s[j] == '$' {
			tag := s[i : j+1]
			k := strings.Index(s[j+1:], tag)
			if k < 0 {
				return n.redactRest(s)
			}
			// $a$ is a parameter or a name elsewhere: the text between
			// the tags must not open a quote under that reading
			if n.dialect == Generic && desyncs(s[j+1:j+1+k]) {
				return n.redactRest(s)
			}
			n.lit()
			return j + 1 + k + len(tag)
		}
	}
	n.simple(tkOp, "$")
	return i + 1
}

// skipNumber returns the end of the unsigned decimal number starting at i.
func skipNumber(s string, i int) int {
	j := digits(s, i)
	if j < len(s) && s[j] == '.' {
		j = digits(s, j+1)
	}
	return j
}

// hash handles #: a comment (MySQL, ClickHouse, Generic), #temp names
// (SQL Server), #name parameters (SQLite) or an operator character.
func (n *Normalizer) hash(s string, i int) int {
	j := i + 1
	switch n.r.hash {
	case hashComment:
		// ClickHouse reads "# " and "#!" as comments and #x as an error;
		// Generic may be PostgreSQL, where # is an operator
		maybeCode := n.dialect == Generic ||
			n.dialect == ClickHouse && !(j < len(s) && (s[j] == ' ' || s[j] == '!'))
		return n.lineComment(s, j, maybeCode)
	case hashTemp:
		if j < len(s) && (wordCont[s[j]] || s[j] == '#') {
			for j < len(s) && s[j] == '#' {
				j++
			}
			return n.word(s, i, j)
		}
	case hashParam:
		if end, ok := n.namedParam(s, j); ok {
			return end
		}
	}
	return n.opRun(s, i)
}

// namedParam lexes the name of a SQLite $name or #name parameter starting
// at j, after its sigil; ok is false when no name follows.
func (n *Normalizer) namedParam(s string, j int) (end int, ok bool) {
	if j >= len(s) || !wordCont[s[j]] {
		return j, false
	}
	for j < len(s) && wordCont[s[j]] {
		j++
	}
	n.lit()
	return j, true
}

// at handles @name parameters (Generic), @var / @@var variables (MySQL) and
// the @ operator family (PostgreSQL).
func (n *Normalizer) at(s string, i int) int {
	switch n.dialect {
	case PostgreSQL:
		return n.opRun(s, i)
	case MySQL:
		j := i + 1
		if j < len(s) && s[j] == '@' {
			j++
		}
		if j < len(s) && wordCont[s[j]] {
			return n.word(s, i, j)
		}
		if j < len(s) && (s[j] == '\'' || s[j] == '"' || s[j] == '`') {
			// @'quoted var': keep the sigil, drop the (possibly literal-like) name
			n.simple(tkOp, s[i:j])
			return j
		}
		n.simple(tkOp, s[i:j])
		return j
	default:
		j := i + 1
		if j < len(s) && s[j] == '@' {
			j++
			if j < len(s) && wordCont[s[j]] {
				return n.word(s, i, j)
			}
		} else if j < len(s) && wordCont[s[j]] && !n.operand {
			for j < len(s) && wordCont[s[j]] {
				j++
			}
			n.lit()
			return j
		}
		return n.opRun2(s, i, j)
	}
}

// opRun2 emits s[i:j] as an operator.
func (n *Normalizer) opRun2(s string, i, j int) int {
	n.simple(tkOp, s[i:j])
	return j
}

// percent handles Python DB-API placeholders (%s, %(name)s) and the % operator.
func (n *Normalizer) percent(s string, i int) int {
	if !n.operand && i+1 < len(s) {
		c := s[i+1]
		switch {
		case c == 's' || c == 'd' || c == 'b':
			if i+2 >= len(s) || !wordCont[s[i+2]] {
				n.lit()
				return i + 2
			}
		case c == '(':
			rest := s[i+2:]
			if len(rest) > 64 {
				rest = rest[:64] // bounded: keeps the lexer linear
			}
			k := strings.IndexByte(rest, ')')
			if k >= 0 && i+2+k+1 < len(s) && s[i+2+k+1] == 's' {
				name := s[i+2 : i+2+k]
				ok := true
				for x := 0; x < len(name); x++ {
					if !wordCont[name[x]] {
						ok = false
						break
					}
				}
				if ok {
					n.lit()
					return i + 2 + k + 2
				}
			}
		}
	}
	return n.opRun(s, i)
}
