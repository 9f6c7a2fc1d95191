package sqlnorm

// Lexing of quoted text, comments, words and identifiers; normalize.go runs the lexer.

import (
	"strings"
	"unicode/utf8"
)

// ---------------------------------------------------------------- lexing --

// scanQuoted returns the index just past the closing quote q of a literal
// whose body starts at i, honouring doubled quotes and, if bs, backslash
// escapes; closed is false when s ends first.
func scanQuoted(s string, i int, q byte, bs bool) (end int, closed bool) {
	for {
		var j int
		if bs {
			j = i
			for j < len(s) && s[j] != q && s[j] != '\\' {
				j++
			}
			if j >= len(s) {
				return len(s), false
			}
			if s[j] == '\\' {
				i = j + 2
				if i >= len(s) {
					return len(s), false
				}
				continue
			}
		} else {
			k := strings.IndexByte(s[i:], q)
			if k < 0 {
				return len(s), false
			}
			j = i + k
		}
		// s[j] == q
		if j+1 < len(s) && s[j+1] == q {
			i = j + 2
			continue
		}
		return j + 1, true
	}
}

// quoteEnd returns the end of a quote whose body starts at i; ok is false
// when it is unterminated or when, with esc == escEither, the readings with
// and without backslash escapes end it at different places.
func quoteEnd(s string, i int, q byte, esc escMode) (end int, ok bool) {
	end, ok = scanQuoted(s, i, q, esc == escAlways)
	if ok && esc == escEither && strings.IndexByte(s[i:end], '\\') >= 0 {
		if e, closed := scanQuoted(s, i, q, true); !closed || e != end {
			return len(s), false
		}
	}
	return end, ok
}

// str lexes a string literal whose body starts at i.
func (n *Normalizer) str(s string, i int, q byte, esc escMode) int {
	end, ok := quoteEnd(s, i, q, esc)
	if !ok {
		return n.redactRest(s)
	}
	n.lit()
	return end
}

// lineComment skips a line comment whose body starts at i. maybeCode says
// that another reading takes the text for code (MySQL --x, PostgreSQL #):
// if that code could open a quote, the readings may disagree on where the
// next literal ends.
func (n *Normalizer) lineComment(s string, i int, maybeCode bool) int {
	end := len(s)
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		end = i + k + 1
	}
	if n.r.crEnds != no {
		if k := strings.IndexByte(s[i:end], '\r'); k >= 0 {
			if n.r.crEnds == yes {
				end = i + k + 1
			} else if desyncs(s[i+k : end]) {
				return n.redactRest(s)
			}
		}
	}
	if maybeCode && desyncs(s[i:end]) {
		return n.redactRest(s)
	}
	return end
}

// blockComment skips a /* */ comment whose body starts at i.
func (n *Normalizer) blockComment(s string, i int) int {
	var end int
	switch n.r.nest {
	case no:
		end = flatCommentEnd(s, i)
	case yes:
		end = nestedCommentEnd(s, i)
	default:
		end = flatCommentEnd(s, i)
		if nestedCommentEnd(s, i) != end {
			return n.redactRest(s)
		}
	}
	if n.r.executable && i < len(s) && (s[i] == '!' || s[i] == '+' || s[i] == 'M' && i+1 < len(s) && s[i+1] == '!') {
		// MySQL runs /*! */ and parses /*+ */: a quote in them may hide */
		body := s[i:end]
		if strings.IndexByte(body, '\'') >= 0 || strings.IndexByte(body, '"') >= 0 || strings.IndexByte(body, '`') >= 0 {
			return n.redactRest(s)
		}
	}
	return end
}

func flatCommentEnd(s string, i int) int {
	k := strings.Index(s[i:], "*/")
	if k < 0 {
		return len(s)
	}
	return i + k + 2
}

func nestedCommentEnd(s string, i int) int {
	depth := 1
	for i < len(s)-1 {
		switch {
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		case s[i] == '/' && s[i+1] == '*':
			depth++
			i += 2
		default:
			i++
		}
	}
	return len(s)
}

// word lexes an unquoted word starting at start; scanning of word characters
// begins at from (from > start when a prefix such as # or @ was consumed).
func (n *Normalizer) word(s string, start, from int) int {
	j := from
	h := kwHashInit
	high := false
	for j < len(s) {
		c := s[j]
		if !wordCont[c] {
			break
		}
		if c >= 0x80 {
			high = true
		}
		h = kwHashStep(h, lowerTab[c])
		j++
	}
	w := s[start:j]
	if j < len(s) && from == start {
		switch s[j] {
		case '\'':
			if len(w) == 1 {
				switch w[0] | 0x20 {
				case 'e':
					return n.str(s, j+1, '\'', n.r.eEsc)
				case 'b', 'x', 'n':
					return n.str(s, j+1, '\'', n.r.strEsc)
				case 'q':
					if n.r.qQuote != no {
						return n.qQuote(s, j+1)
					}
				}
			}
			if len(w) == 2 && w[0]|0x20 == 'n' && w[1]|0x20 == 'q' && n.r.qQuote != no {
				return n.qQuote(s, j+1)
			}
			if w[0] == '_' && n.dialect != PostgreSQL {
				// MySQL charset introducer: _utf8mb4'...'
				return n.str(s, j+1, '\'', n.r.strEsc)
			}
		case '&':
			if len(w) == 1 && w[0]|0x20 == 'u' && j+1 < len(s) && s[j+1] == '\'' {
				return n.str(s, j+2, '\'', n.r.strEsc)
			}
		}
	}
	if n.r.constants && j < len(s) && s[j] == '-' && j-start == 8 && isUUID(s, start) {
		n.lit()
		return start + 36
	}
	if n.r.constants && isISODuration(w) {
		n.lit()
		return j
	}
	var kw *keyword
	if from == start && !high && len(w) <= maxKwLen && !n.castNext {
		kw = lookupKeyword(h, w)
	}
	if kw != nil {
		n.keyword(kw)
		return j
	}
	start0 := n.begin(tkWord)
	if high {
		n.out = appendLowerValid(n.out, w)
	} else {
		n.out = appendLower(n.out, w)
	}
	n.end(tkWord, nil, start0, n.castNext)
	return j
}

func (n *Normalizer) keyword(kw *keyword) {
	switch kw.id {
	case kwBOOL:
		n.lit()
		return
	case kwASC:
		// ORDER BY x ASC == ORDER BY x: explicit ASC is dropped.
		return
	case kwNULL:
		// NULL as a whole item of an IN list, ARRAY[...] or VALUES row is
		// a value like any other; elsewhere (IS NULL, = NULL) it is kept.
		if n.stack[n.top].nullLit && (n.prev == tkLParen || n.prev == tkLBrack || n.prev == tkComma) {
			n.lit()
			return
		}
	}
	k := tkKeyword
	if kw.flags&kfFunc != 0 {
		k = tkFuncKw
	}
	start := n.begin(k)
	n.out = append(n.out, kw.name...)
	n.end(k, kw, start, kw.flags&kfLitish != 0)
	if kw.id == kwVALUES {
		f := &n.stack[n.top]
		f.vstate = vsExpectRow
		f.vRows.n = 0
	}
}

func appendLower(dst []byte, w string) []byte {
	l := len(dst)
	dst = append(dst, w...)
	d := dst[l:]
	for i := range d {
		d[i] = lowerTab[d[i]]
	}
	return dst
}

// appendLowerValid lower-cases ASCII letters and replaces invalid UTF-8 with U+FFFD.
func appendLowerValid(dst []byte, w string) []byte { return appendValid(dst, w, true) }

// appendValid copies w, replacing invalid UTF-8 with U+FFFD and, when lower,
// lower-casing ASCII letters.
func appendValid(dst []byte, w string, lower bool) []byte {
	if !lower && utf8.ValidString(w) {
		return append(dst, w...)
	}
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if lower {
				c = lowerTab[c]
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, w[i:i+size]...)
		}
		i += size
	}
	return dst
}

// quotedIdent handles "ident" (PostgreSQL, Oracle, ClickHouse, CQL, and
// in name positions Generic, SQLite and SQL Server), `ident` and [ident]
// (SQL Server). An unterminated or ambiguous one redacts the rest.
func (n *Normalizer) quotedIdent(s string, i int, q byte, esc escMode) int {
	cq := q
	if q == '[' {
		cq = ']'
	}
	end, ok := quoteEnd(s, i+1, cq, esc)
	if !ok || q == '`' && n.dialect == Generic && desyncs(s[i+1:end-1]) {
		// in PostgreSQL ` is an operator character: a quote inside
		// `...` would open a string there
		return n.redactRest(s)
	}
	n.ident(s[i+1:end-1], q, cq)
	return end
}

// ident writes a quoted identifier whose body is body.
func (n *Normalizer) ident(body string, q, cq byte) {
	// Backtick and bracket identifiers are case-insensitive like unquoted
	// ones; "..." identifiers are case-sensitive, so only an all-lower-case
	// simple name is equivalent to the unquoted spelling.
	lower := q != '"'
	if h, ok := simpleIdentHash(body, lower); ok && !n.castNext && (len(body) > maxKwLen || lookupKeyword(h, body) == nil) {
		start := n.begin(tkWord)
		n.out = appendLower(n.out, body)
		n.end(tkWord, nil, start, false)
		return
	}
	start := n.begin(tkQIdent)
	n.out = append(n.out, q)
	n.out = appendValid(n.out, body, lower)
	n.out = append(n.out, cq)
	n.end(tkQIdent, nil, start, n.castNext)
}

// dquote handles "...": an identifier, a string, or (dqEither) an
// identifier only where a string cannot stand: after FROM, JOIN, INTO and
// the other collection introducers, after AS, ::, or next to a dot.
func (n *Normalizer) dquote(s string, i int) int {
	switch n.r.dq {
	case dqIdent:
		return n.quotedIdent(s, i, '"', n.r.dqEsc)
	case dqString:
		return n.str(s, i+1, '"', n.r.dqEsc)
	}
	end, ok := quoteEnd(s, i+1, '"', n.r.dqEsc)
	if !ok {
		return n.redactRest(s)
	}
	if n.namePosition(s, end) {
		n.ident(s[i+1:end-1], '"', '"')
	} else {
		n.lit()
	}
	return end
}

// namePosition reports whether a quoted name ending at end stands where a
// string literal is a syntax error in every dialect.
func (n *Normalizer) namePosition(s string, end int) bool {
	if n.prev == tkDot || n.castNext || n.prevKwID == kwAS {
		return true
	}
	// FROM also appears in TRIM(x FROM "..."), EXTRACT and SUBSTRING: a
	// collection follows it only in a statement with an operation
	if f := &n.stack[n.top]; f.ts == tsExpect && f.hasOp && n.overflow == 0 {
		return true
	}
	for end < len(s) && classTab[s[end]] == cSpace {
		end++
	}
	return end < len(s) && s[end] == '.' && !(end+1 < len(s) && isDigit(s[end+1]))
}

// bracket handles [ as an identifier quote (SQL Server, SQLite), an array
// constructor or subscript, or in Generic whichever of the two redacts more.
func (n *Normalizer) bracket(s string, i int) int {
	switch n.r.bracket {
	case brIdent, brIdentFlat:
		end, ok := quoteEnd(s, i+1, ']', escNever)
		if n.r.bracket == brIdentFlat {
			k := strings.IndexByte(s[i+1:], ']')
			end, ok = i+k+2, k >= 0
		}
		if !ok {
			return n.redactRest(s)
		}
		body := s[i+1 : end-1]
		if desyncs(body) {
			// [it's] is a name here, but [ starts an array elsewhere: a
			// mislabelled statement would end the string elsewhere
			return n.redactRest(s)
		}
		if nameLike(body) {
			n.ident(body, '[', ']')
		} else {
			// [1, 2] or ['a'] is an array elsewhere: redact what would be
			// literals there
			n.lit()
		}
		return end
	case brEither:
		// Both readings must reach the first ] together: no quote,
		// comment or nested bracket before it, and no ]] (an escaped ]
		// in SQL Server).
		k := strings.IndexByte(s[i+1:], ']')
		if k < 0 {
			return n.redactRest(s)
		}
		body := s[i+1 : i+1+k]
		if desyncs(body) || strings.Contains(body, "--") || strings.Contains(body, "//") || strings.IndexByte(body, '#') >= 0 ||
			(i+k+2 < len(s) && s[i+k+2] == ']') {
			return n.redactRest(s)
		}
		if !n.operand && n.prevKwID != kwARRAY && bracketIdent(body) {
			n.ident(body, '[', ']')
			return i + k + 2
		}
	}
	n.open('[', ']')
	return i + 1
}

// bracketIdent reports whether the body of a [...] (no ] inside) reads as
// an identifier rather than array items: no commas, operators or tokens
// that start with a digit (a number, which the array reading redacts).
func bracketIdent(body string) bool {
	if body == "" || len(body) > 128 {
		return false
	}
	for j := 0; j < len(body); j++ {
		c := body[j]
		switch {
		case c == ' ' || c == '_' || c == '.' || c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case isDigit(c):
			if j == 0 || !wordCont[body[j-1]] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// nameLike reports whether a quoted name holds no quote, comma, control
// character or number (a digit that does not continue a word), i.e.
// nothing another dialect would read as a list of literals.
func nameLike(body string) bool {
	for j := 0; j < len(body); j++ {
		switch c := body[j]; {
		case c == '\'' || c == '"' || c == '`' || c == ',' || c < ' ':
			return false
		case isDigit(c) && (j == 0 || !(classTab[body[j-1]] == cWord || isDigit(body[j-1]))):
			return false
		}
	}
	return true
}

// qQuote lexes an Oracle q'<delim>...<delim>' literal whose delimiter is at
// i. In Generic, q'..' may also be a name and a plain string, so the two
// readings must end at the same place.
func (n *Normalizer) qQuote(s string, i int) int {
	end, ok := qQuoteEnd(s, i)
	if !ok {
		return n.redactRest(s)
	}
	if n.r.qQuote == either {
		if e, ok := quoteEnd(s, i, '\'', n.r.strEsc); !ok || e != end {
			return n.redactRest(s)
		}
	}
	n.lit()
	return end
}

// qQuoteEnd returns the end of q'<delim>...<close>' where the delimiter
// starts at i: ( [ { < close with ) ] } >, any other character (except
// whitespace) with itself.
func qQuoteEnd(s string, i int) (int, bool) {
	if i >= len(s) || classTab[s[i]] == cSpace {
		return len(s), false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	delim := s[i : i+size]
	switch delim {
	case "(":
		delim = ")"
	case "[":
		delim = "]"
	case "{":
		delim = "}"
	case "<":
		delim = ">"
	}
	for pos := i + size; ; {
		k := strings.Index(s[pos:], delim)
		if k < 0 {
			return len(s), false
		}
		if e := pos + k + len(delim); e < len(s) && s[e] == '\'' {
			return e + 1, true
		}
		pos += k + 1
	}
}

// simpleIdentHash reports whether b could be written unquoted,
// [a-z_][a-z0-9_$]* (upper-case letters also allowed when foldable), and
// returns the keyword hash of its lower-cased bytes.
func simpleIdentHash(b string, foldable bool) (uint32, bool) {
	h := kwHashInit
	if len(b) == 0 {
		return h, false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case c >= 'A' && c <= 'Z':
			if !foldable {
				return h, false
			}
			c += 'a' - 'A'
		case (c >= '0' && c <= '9') || c == '$':
			if i == 0 {
				return h, false
			}
		default:
			return h, false
		}
		h = kwHashStep(h, c)
	}
	return h, true
}
