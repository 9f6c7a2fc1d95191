package sqlnorm

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
