package sqlnorm

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// tokKind classifies emitted tokens; it drives spacing and the small
// grammar-aware state machines (lists, VALUES rows, summary).
type tokKind uint8

const (
	tkNone    tokKind = iota
	tkWord            // unquoted identifier (lower-cased)
	tkKeyword         // keyword (upper-cased)
	tkFuncKw          // function-like keyword: no space before '('
	tkQIdent          // quoted identifier
	tkLit             // ? (any literal or placeholder)
	tkOp              // operator or other punctuation
	tkLParen
	tkRParen
	tkLBrack
	tkRBrack
	tkComma
	tkSemi
	tkDot
	tkCast // ::
)

// target-name states of a frame (summary extraction)
const (
	tsNone   uint8 = iota
	tsExpect       // an introducer was seen, the next name is a collection
	tsIn           // inside a (possibly qualified) collection name
	tsInDot        // after a '.' inside a collection name
	tsAfter        // collection name complete; an alias may follow
	tsAlias        // after AS following a collection
	tsSub          // '(' after an introducer: derived table
)

const (
	introOther uint8 = iota
	introFrom        // FROM/JOIN/USING: name followed by '(' is a function, not a table
)

// VALUES-list states of a frame
const (
	vsNone uint8 = iota
	vsExpectRow
	vsInRow
	vsAfterRow
)

// maxDepth bounds the tracked parenthesis nesting; deeper levels are still
// normalized but lists inside them are not collapsed.
const maxDepth = 64

type frame struct {
	close     byte // ')' or ']' (0 for the root)
	list      bool // IN (...) or ARRAY[...]: items may collapse
	isRow     bool // a VALUES row
	subscript bool // [ after an operand: a[1], a[1:2]
	nullLit   bool // NULL as a whole item is written as ? in this frame
	lit       bool // every token inside is literal-ish so far

	// list items (list frames)
	items     repeats
	itemStart int
	curLit    bool

	// VALUES rows directly inside this frame
	vstate    uint8
	vRows     repeats
	vRowStart int

	// statement / summary state
	stmtStart bool
	hasOp     bool // an operation (SELECT, INSERT, ...) was seen in this statement
	ts        uint8
	intro     uint8
	fromList  bool
	tOK       bool // current target fully appended to the summary
	tStart    int  // summary length before the current target
}

// Normalizer normalizes and fingerprints SQL statements. It keeps scratch
// buffers between calls, so a reused Normalizer allocates only the result
// string. A Normalizer is NOT safe for concurrent use: give each goroutine
// its own (or use a sync.Pool).
type Normalizer struct {
	dialect Dialect
	r       *rules
	maxLen  int

	out []byte // normalized text being built
	sum []byte // summary being built

	stack    [maxDepth]frame
	top      int
	overflow int // unmatched opening brackets beyond maxDepth

	prev        tokKind
	prevKwID    kwID    // id of the previous token when it is a keyword, else kwOther
	prevKwFl    kwFlags // flags of the previous token when it is a keyword, else 0
	operand     bool    // previous token ends an operand (identifier, literal, ')', ...)
	castNext    bool    // previous token was ::, the next word is a type name
	pendingSemi bool
	sumFull     bool

	op0, opAny       string // first operation at depth 0 / at any depth
	opAnyDepth       int
	coll0, collAny   [2]int // summary offsets of their first collection
	hasColl0, hasCAn bool

	// recording: Tokens is running and begin marks where each token starts
	recording bool
	marks     []mark
}

// New returns a Normalizer for dialect that truncates inputs longer than
// maxLen bytes (DefaultMaxLen when maxLen <= 0).
func New(dialect Dialect, maxLen int) *Normalizer {
	if maxLen <= 0 {
		maxLen = DefaultMaxLen
	}
	if int(dialect) >= NumDialects {
		dialect = Generic
	}
	return &Normalizer{dialect: dialect, r: &dialectRules[dialect], maxLen: maxLen}
}

// Dialect returns the dialect n was created with.
func (n *Normalizer) Dialect() Dialect { return n.dialect }

// Normalize sanitizes stmt and computes its fingerprint and summary. It never
// panics and never returns input literal text. On a reused Normalizer it
// performs exactly one allocation (the string holding Normalized and Summary)
// unless its scratch buffers must grow.
func (n *Normalizer) Normalize(stmt string) Result {
	var res Result
	if len(stmt) > n.maxLen {
		stmt = truncate(stmt, n.maxLen)
		res.Truncated = true
	}
	n.reset(len(stmt))
	n.run(stmt)
	n.finish()

	res.Fingerprint = xxh64(n.out)
	nl := len(n.out)
	if nl+len(n.sum) > 0 {
		buf := append(n.out, n.sum...)
		n.out = buf[:0]
		s := string(buf)
		res.Normalized = s[:nl]
		res.Summary = s[nl:]
		if n.op0 != "" {
			res.Operation = n.op0
			if n.hasColl0 {
				res.Collection = res.Summary[n.coll0[0]:n.coll0[1]]
			}
		} else if n.opAny != "" {
			res.Operation = n.opAny
			if n.hasCAn {
				res.Collection = res.Summary[n.collAny[0]:n.collAny[1]]
			}
		}
	}
	return res
}

func (n *Normalizer) reset(inLen int) {
	// Room for dense-token expansion ("a=1" -> "a = ?") plus the summary,
	// which is appended to out for the single final allocation.
	if need := 2*inLen + MaxSummaryLen + 64; cap(n.out) < need {
		n.out = make([]byte, 0, need)
	}
	n.out = n.out[:0]
	if n.sum == nil {
		n.sum = make([]byte, 0, MaxSummaryLen+1)
	}
	n.sum = n.sum[:0]
	n.top = 0
	n.overflow = 0
	n.stack[0] = frame{lit: true, stmtStart: true}
	n.prev = tkNone
	n.prevKwID, n.prevKwFl = kwOther, 0
	n.operand = false
	n.castNext = false
	n.pendingSemi = false
	n.sumFull = false
	n.op0, n.opAny = "", ""
	n.opAnyDepth = 0
	n.hasColl0, n.hasCAn = false, false
}

// byte classes
const (
	cOther uint8 = iota
	cSpace
	cWord
	cDigit
	cQuote
	cDQuote
	cBacktick
	cLParen
	cRParen
	cLBrack
	cRBrack
	cComma
	cSemi
	cDot
	cColon
	cDollar
	cQuestion
	cMinus
	cSlash
	cHash
	cAt
	cPercent
	cOp
)

var (
	classTab  [256]uint8
	wordCont  [256]bool // continues an unquoted word (all dialects; '$' included)
	opCharPG  [256]bool
	opCharStd [256]bool // MySQL / Generic
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		switch {
		case b <= ' ' || b == 0x7f:
			classTab[c] = cSpace
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b == '_', b >= 0x80:
			classTab[c] = cWord
		case b >= '0' && b <= '9':
			classTab[c] = cDigit
		}
		wordCont[c] = classTab[c] == cWord || classTab[c] == cDigit || b == '$'
	}
	for c, k := range map[byte]uint8{
		'\'': cQuote, '"': cDQuote, '`': cBacktick, '(': cLParen, ')': cRParen,
		'[': cLBrack, ']': cRBrack, ',': cComma, ';': cSemi, '.': cDot,
		':': cColon, '$': cDollar, '?': cQuestion, '-': cMinus, '/': cSlash,
		'#': cHash, '@': cAt, '%': cPercent,
		'+': cOp, '*': cOp, '<': cOp, '>': cOp, '=': cOp, '~': cOp, '!': cOp,
		'^': cOp, '&': cOp, '|': cOp,
	} {
		classTab[c] = k
	}
	for _, c := range []byte("+-*/<>=~!@#%^&|`?") {
		opCharPG[c] = true
	}
	for _, c := range []byte("+-*/<>=~!%^&|") {
		opCharStd[c] = true
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// run lexes s and feeds every token to the emitter, in one pass.
func (n *Normalizer) run(s string) {
	d, r := n.dialect, n.r
	i := 0
	for i < len(s) {
		c := s[i]
		switch classTab[c] {
		case cSpace:
			i++
			for i < len(s) && classTab[s[i]] == cSpace {
				i++
			}
		case cWord:
			i = n.word(s, i, i)
		case cDigit:
			i = n.number(s, i)
		case cQuote:
			i = n.str(s, i+1, '\'', r.strEsc)
		case cDQuote:
			i = n.dquote(s, i)
		case cBacktick:
			if r.backtick {
				i = n.quotedIdent(s, i, '`', r.btEsc)
			} else {
				i = n.opRun(s, i)
			}
		case cLParen:
			n.open('(', ')')
			i++
		case cRParen:
			n.closeBracket(')')
			i++
		case cLBrack:
			i = n.bracket(s, i)
		case cRBrack:
			n.closeBracket(']')
			i++
		case cComma:
			n.comma()
			i++
		case cSemi:
			n.semi()
			i++
		case cDot:
			if i+1 < len(s) && isDigit(s[i+1]) && n.prev != tkWord && n.prev != tkQIdent && n.prev != tkRParen && n.prev != tkRBrack {
				i = n.number(s, i)
			} else {
				n.simple(tkDot, ".")
				i++
			}
		case cColon:
			i = n.colon(s, i)
		case cDollar:
			i = n.dollar(s, i)
		case cQuestion:
			if d == PostgreSQL && n.operand {
				i = n.opRun(s, i)
			} else {
				i++
				for i < len(s) && isDigit(s[i]) { // ?1 (JPA / JDBC style)
					i++
				}
				n.lit()
			}
		case cMinus:
			switch {
			case i+1 >= len(s) || s[i+1] != '-':
				i = n.opRun(s, i)
			case r.dashSpace:
				if i+2 >= len(s) || classTab[s[i+2]] == cSpace {
					i = n.lineComment(s, i+2, false)
				} else {
					i = n.opRun(s, i)
				}
			default:
				// in MySQL, --x is minus minus x
				i = n.lineComment(s, i+2, r.dashEither && i+2 < len(s) && classTab[s[i+2]] != cSpace)
			}
		case cSlash:
			switch {
			case i+1 < len(s) && s[i+1] == '*':
				i = n.blockComment(s, i+2)
			case i+1 < len(s) && s[i+1] == '/' && r.slashSlash != no:
				i = n.lineComment(s, i+2, r.slashSlash == either)
			default:
				i = n.opRun(s, i)
			}
		case cHash:
			i = n.hash(s, i)
		case cAt:
			i = n.at(s, i)
		case cPercent:
			i = n.percent(s, i)
		case cOp:
			i = n.opRun(s, i)
		default:
			// other ASCII punctuation ({ } \ and the like): one-byte token
			n.simple(tkOp, s[i:i+1])
			i++
		}
	}
}

// redactRest ends lexing where the lexer cannot tell where a quote or
// comment ends under every reading of the statement: the rest of s, from
// that point on, is one literal.
func (n *Normalizer) redactRest(s string) int {
	n.lit()
	return len(s)
}

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

// -------------------------------------------------------------- emitting --

// needSpace decides the separator between two consecutive tokens. Spacing is
// a pure function of token kinds, so input whitespace never matters.
func needSpace(prev, cur tokKind) bool {
	switch prev {
	case tkNone, tkLParen, tkLBrack, tkDot, tkCast, tkComma:
		return false
	}
	switch cur {
	case tkRParen, tkRBrack, tkComma, tkSemi, tkDot, tkCast:
		return false
	case tkLParen, tkLBrack:
		return !(prev == tkWord || prev == tkQIdent || prev == tkFuncKw || prev == tkRBrack)
	}
	return true
}

const numKinds = int(tkCast) + 1

var spaceTab [numKinds][numKinds]bool

func init() {
	for p := 0; p < numKinds; p++ {
		for c := 0; c < numKinds; c++ {
			spaceTab[p][c] = needSpace(tokKind(p), tokKind(c))
		}
	}
}

// begin runs the bookkeeping due before a token of kind k is written and
// writes the separating space; it returns the offset where the token starts.
func (n *Normalizer) begin(k tokKind) int {
	if n.pendingSemi {
		n.pendingSemi = false
		if n.recording {
			n.mark(tkSemi, len(n.out))
		}
		n.out = append(n.out, ';')
		n.prev = tkSemi
		n.prevKwID, n.prevKwFl = kwOther, 0
		n.operand = false
	}
	f := &n.stack[n.top]
	switch f.vstate {
	case vsAfterRow:
		if k != tkComma {
			n.finishValues(f)
		}
	case vsExpectRow:
		if k != tkLParen {
			f.vstate = vsNone
		}
	}
	if spaceTab[n.prev][k] {
		n.out = append(n.out, ' ')
	}
	if n.recording {
		n.mark(k, len(n.out))
	}
	return len(n.out)
}

// end runs the bookkeeping after a token was written at out[start:].
func (n *Normalizer) end(k tokKind, kw *keyword, start int, litish bool) {
	f := &n.stack[n.top]
	if n.overflow == 0 && (f.ts != tsNone || kw != nil) {
		n.summ(f, k, kw, start)
	}
	if !litish {
		f.curLit = false
		f.lit = false
	}
	f.stmtStart = false
	n.prev = k
	if kw != nil {
		n.prevKwID, n.prevKwFl = kw.id, kw.flags
	} else {
		n.prevKwID, n.prevKwFl = kwOther, 0
	}
	n.castNext = k == tkCast
	n.operand = operandKind[k] || (kw != nil && kw.flags&kfValue != 0)
}

// operandKind marks token kinds that end an operand.
var operandKind = [numKinds]bool{tkWord: true, tkQIdent: true, tkLit: true, tkRParen: true, tkRBrack: true}

func (n *Normalizer) lit() {
	start := n.begin(tkLit)
	n.out = append(n.out, '?')
	n.end(tkLit, nil, start, true)
}

func (n *Normalizer) simple(k tokKind, text string) {
	start := n.begin(k)
	if k == tkCast && n.prev == tkOp && n.out[len(n.out)-1] == ':' {
		n.out = append(n.out, ' ') // ": ::" must not come back as ":: :"
	}
	n.out = append(n.out, text...)
	n.end(k, nil, start, k == tkCast)
}

func (n *Normalizer) open(c, close byte) {
	k := tkLParen
	if c == '[' {
		k = tkLBrack
	}
	itemStart := n.prev == tkLParen || n.prev == tkLBrack || n.prev == tkComma
	subscript := c == '[' && n.operand
	start := n.begin(k)
	parent := &n.stack[n.top]
	isRow := c == '(' && parent.vstate == vsExpectRow
	list := (c == '(' && n.prevKwID == kwIN) || (c == '[' && n.prevKwID == kwARRAY)
	n.out = append(n.out, c)
	n.end(k, nil, start, true)
	if isRow {
		parent.vstate = vsInRow
		parent.vRowStart = start
	}
	if n.top+1 >= maxDepth || n.overflow > 0 {
		n.overflow++
		return
	}
	n.top++
	n.stack[n.top] = frame{
		close:     close,
		list:      list,
		isRow:     isRow,
		subscript: subscript,
		nullLit:   list || isRow || (parent.nullLit && itemStart), // nested tuples
		lit:       true,
		curLit:    true,
		itemStart: len(n.out),
		stmtStart: true,
	}
}

func (n *Normalizer) closeBracket(c byte) {
	k := tkRParen
	if c == ']' {
		k = tkRBrack
	}
	if n.overflow > 0 {
		n.overflow--
		n.simple(k, string(c))
		return
	}
	if n.top == 0 || n.stack[n.top].close != c {
		// unbalanced: plain token
		n.simple(k, string(c))
		return
	}
	n.begin(k) // flushes ';', finishes VALUES rows of the closing frame
	f := &n.stack[n.top]
	n.completeTargets(f)
	if f.list {
		n.finishItem(f)
		if f.items.collapses() {
			n.out = n.out[:f.items.firstEnd]
			if n.recording {
				n.mark(k, len(n.out)) // the collapsed items' marks go
			}
		}
	}
	n.out = append(n.out, c)
	childLit, isRow := f.lit, f.isRow
	n.top--
	p := &n.stack[n.top]
	if !childLit {
		p.lit = false
		p.curLit = false
	}
	if isRow && p.vstate == vsInRow {
		p.vRows.add(n.out, p.vRowStart, childLit)
		p.vstate = vsAfterRow
	}
	if p.ts == tsSub {
		p.ts = tsAfter
	}
	p.stmtStart = false
	n.prev = k
	n.afterPunct(true)
}

// afterPunct is the state after a closing bracket, a comma or a semicolon: no keyword before
// it, no cast pending; operand says whether what precedes is a value (a closed bracket).
func (n *Normalizer) afterPunct(operand bool) {
	n.prevKwID, n.prevKwFl = kwOther, 0
	n.operand = operand
	n.castNext = false
}

func (n *Normalizer) finishItem(f *frame) { f.items.add(n.out, f.itemStart, f.curLit) }

// repeats follows the items of a list, or the VALUES rows of a frame: whether every one is
// literal-only and written the same as the first, in which case they collapse to the first.
type repeats struct {
	n                    int
	firstStart, firstEnd int
	allLit, same         bool
}

// add records the element written at out[start:].
func (r *repeats) add(out []byte, start int, lit bool) {
	end := len(out)
	if r.n == 0 {
		r.firstStart, r.firstEnd = start, end
		r.allLit, r.same = lit, true
	} else {
		r.allLit = r.allLit && lit
		if r.allLit && r.same && !bytes.Equal(out[start:end], out[r.firstStart:r.firstEnd]) {
			r.same = false
		}
	}
	r.n++
}

// collapses reports whether there are several elements, all literal-only and the same.
func (r *repeats) collapses() bool { return r.n > 1 && r.allLit && r.same }

// finishValues collapses VALUES rows that are identical and literal-only.
func (n *Normalizer) finishValues(f *frame) {
	if f.vRows.collapses() {
		n.out = n.out[:f.vRows.firstEnd]
		if n.recording {
			n.unmarkFrom(len(n.out))
		}
	}
	f.vstate = vsNone
	f.vRows.n = 0
}

func (n *Normalizer) comma() {
	n.begin(tkComma)
	f := &n.stack[n.top]
	if n.overflow == 0 {
		n.summ(f, tkComma, nil, 0)
		if f.list {
			n.finishItem(f)
		}
	}
	n.out = append(n.out, ", "...)
	if f.list {
		f.itemStart = len(n.out)
		f.curLit = true
	}
	if f.vstate == vsAfterRow {
		f.vstate = vsExpectRow
	}
	f.stmtStart = false
	n.prev = tkComma
	n.afterPunct(false)
}

func (n *Normalizer) semi() {
	f := &n.stack[n.top]
	if f.vstate == vsAfterRow {
		n.finishValues(f)
	}
	f.vstate = vsNone
	n.completeTargets(f)
	f.ts = tsNone
	f.hasOp = false
	f.fromList = false
	f.stmtStart = true
	if n.prev != tkNone && n.prev != tkSemi {
		n.pendingSemi = true
	}
	n.afterPunct(false)
}

var dotPiece = []byte{'.'}

func (n *Normalizer) finish() {
	f := &n.stack[n.top]
	if f.vstate == vsAfterRow {
		n.finishValues(f)
	}
	for d := n.top; d >= 0; d-- {
		n.completeTargets(&n.stack[d])
	}
	n.pendingSemi = false // trailing semicolons are dropped
	if l := len(n.out); l > 0 && n.out[l-1] == ' ' {
		n.out = n.out[:l-1] // after a trailing comma
	}
}

// --------------------------------------------------------------- summary --

// summ advances the summary state machine of frame f with a token just
// written at out[start:].
func (n *Normalizer) summ(f *frame, k tokKind, kw *keyword, start int) {
	switch f.ts {
	case tsIn:
		if k == tkDot {
			n.targetPiece(f, dotPiece)
			f.ts = tsInDot
			return
		}
		if k == tkLParen && f.intro == introFrom {
			// FROM func(...): a function, not a collection
			if f.tOK {
				n.sum = n.sum[:f.tStart]
			}
			f.ts = tsNone
			return
		}
		n.completeTarget(f, n.top)
	case tsInDot:
		if k == tkWord || k == tkQIdent || k == tkKeyword || k == tkFuncKw {
			n.targetPiece(f, n.out[start:])
			f.ts = tsIn
			return
		}
		n.completeTarget(f, n.top)
	}
	switch f.ts {
	case tsExpect:
		switch {
		case k == tkWord || k == tkQIdent:
			n.startTarget(f, n.out[start:])
			return
		case kw != nil && kw.flags&kfSkipTable != 0:
			return
		case k == tkLParen:
			f.ts = tsSub
			return
		}
		f.ts = tsNone
	case tsAfter:
		if k == tkWord || k == tkQIdent {
			f.ts = tsNone // alias
			return
		}
		if kw != nil && kw.id == kwAS {
			f.ts = tsAlias
			return
		}
		f.ts = tsNone
	case tsAlias:
		f.ts = tsNone
		if k == tkWord || k == tkQIdent {
			return
		}
	case tsSub:
		f.ts = tsNone
	}
	if k == tkComma {
		if f.fromList {
			f.ts = tsExpect
			f.intro = introFrom
		}
		return
	}
	if kw == nil {
		return
	}
	fl := kw.flags
	if fl&kfClauseEnd != 0 {
		f.fromList = false
	}
	if fl&(kfOpAny|kfOpDML|kfOpStart) != 0 {
		ok := fl&kfOpAny != 0 || f.stmtStart
		if !ok && fl&kfOpDML != 0 {
			ok = n.prev == tkRParen || n.prevKwFl&kfPrefix != 0
		}
		if ok {
			n.addOp(kw)
			f.hasOp = true
			f.fromList = kw.id == kwUPDATE
			f.intro = introOther
			if fl&kfExpectAfterOp != 0 {
				f.ts = tsExpect
			}
			return
		}
	}
	if fl&kfTableIntro != 0 {
		f.ts = tsExpect
		switch kw.id {
		case kwFROM:
			f.fromList = true
			f.intro = introFrom
		case kwJOIN, kwUSING:
			f.intro = introFrom
		default:
			f.intro = introOther
		}
	}
}

func (n *Normalizer) addOp(kw *keyword) {
	if n.op0 == "" && n.top == 0 {
		n.op0 = kw.name
	}
	if n.opAny == "" {
		n.opAny = kw.name
		n.opAnyDepth = n.top
	}
	need := len(kw.name)
	if len(n.sum) > 0 {
		need++
	}
	if n.sumFull || len(n.sum)+need > MaxSummaryLen {
		n.sumFull = true
		return
	}
	if len(n.sum) > 0 {
		n.sum = append(n.sum, ' ')
	}
	n.sum = append(n.sum, kw.name...)
}

// startTarget begins a collection name in the summary.
func (n *Normalizer) startTarget(f *frame, piece []byte) {
	f.ts = tsIn
	f.tStart = len(n.sum)
	f.tOK = false
	need := len(piece)
	if len(n.sum) > 0 {
		need++
	}
	if n.sumFull || len(n.sum)+need > MaxSummaryLen {
		n.sumFull = true
		return
	}
	if len(n.sum) > 0 {
		n.sum = append(n.sum, ' ')
	}
	n.sum = append(n.sum, piece...)
	f.tOK = true
}

// targetPiece extends the current collection name ("." or a name part).
func (n *Normalizer) targetPiece(f *frame, piece []byte) {
	if !f.tOK {
		return
	}
	if len(n.sum)+len(piece) > MaxSummaryLen {
		n.sum = n.sum[:f.tStart] // whole words only
		f.tOK = false
		n.sumFull = true
		return
	}
	n.sum = append(n.sum, piece...)
}

// completeTarget ends the collection name of frame f (at depth d).
func (n *Normalizer) completeTarget(f *frame, d int) {
	f.ts = tsAfter
	if !f.tOK {
		return
	}
	f.tOK = false
	s, e := f.tStart, len(n.sum)
	if s > 0 {
		s++ // skip the separating space
	}
	if d == 0 && n.op0 != "" && !n.hasColl0 {
		n.coll0 = [2]int{s, e}
		n.hasColl0 = true
	}
	if n.opAny != "" && d == n.opAnyDepth && !n.hasCAn {
		n.collAny = [2]int{s, e}
		n.hasCAn = true
	}
}

func (n *Normalizer) completeTargets(f *frame) {
	if f.ts == tsIn || f.ts == tsInDot {
		n.completeTarget(f, n.depthOf(f))
	}
}

func (n *Normalizer) depthOf(f *frame) int {
	for d := n.top; d >= 0; d-- {
		if &n.stack[d] == f {
			return d
		}
	}
	return n.top
}
