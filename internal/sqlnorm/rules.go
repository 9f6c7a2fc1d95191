package sqlnorm

// The lexical rules of each dialect. A rule that a server setting or an
// unknown dialect leaves open is "either": the lexer then checks that all
// readings end the construct at the same place, and redacts the rest of the
// statement when they do not (see redactRest).

// escMode says whether a backslash escapes the next character in a quote.
type escMode uint8

const (
	escNever  escMode = iota // backslash is an ordinary character
	escAlways                // backslash escapes the next character
	escEither                // depends on a server setting (or the dialect is unknown)
)

// maybe is a yes / no / either rule.
type maybe uint8

const (
	no maybe = iota
	yes
	either
)

// "..." readings
const (
	dqIdent  uint8 = iota // always an identifier
	dqString              // always a string (MySQL; ANSI_QUOTES redacts less)
	dqEither              // an identifier in name positions, a string elsewhere
)

// [ readings
const (
	brArray     uint8 = iota // array constructor or subscript
	brIdent                  // [ident] with ]] escaping a ] (SQL Server)
	brIdentFlat              // [ident] ending at the first ] (SQLite)
	brEither                 // either; redact when the readings disagree
)

// # readings
const (
	hashOp      uint8 = iota // an operator character (PostgreSQL, Oracle, CQL)
	hashComment              // a line comment (MySQL, ClickHouse, Generic)
	hashTemp                 // #temp and ##global table names (SQL Server)
	hashParam                // #name parameters (SQLite)
)

// $ readings
const (
	dollarQuote   uint8 = iota // $1 parameters and $tag$ quoting (PostgreSQL, CQL, Generic)
	dollarIdent                // an identifier character (MySQL)
	dollarParam                // $name parameters (SQLite)
	dollarMoney                // $12.50 money constants, $name pseudo-columns (SQL Server, Oracle)
	dollarHeredoc              // $anything$ heredocs (ClickHouse)
)

type rules struct {
	strEsc     escMode // '...' and its N B X _charset U& prefixed forms
	eEsc       escMode // E'...'
	dqEsc      escMode // "..."
	btEsc      escMode // `...`
	dq         uint8   // "..." reading
	backtick   bool    // `...` is an identifier (else an operator character)
	bracket    uint8   // [ reading
	hash       uint8   // # reading
	dollar     uint8   // $ reading
	nest       maybe   // block comments nest
	crEnds     maybe   // \r ends a line comment
	slashSlash maybe   // // starts a line comment
	dashSpace  bool    // -- starts a comment only before a space (MySQL)
	dashEither bool    // --x might be minus minus (Generic)
	qQuote     maybe   // q'[...]' alternative quoting (Oracle)
	executable bool    // /*! */ and /*+ */ hold code in which a quote may hide */ (MySQL)
	constants  bool    // unquoted UUID, duration and 1h30m constants (CQL)
}

var dialectRules = [NumDialects]rules{
	Generic: {
		strEsc: escEither, eEsc: escEither, dqEsc: escEither, btEsc: escEither,
		dq: dqEither, backtick: true, bracket: brEither, hash: hashComment,
		dollar: dollarQuote, nest: either, crEnds: either, slashSlash: either,
		dashEither: true, qQuote: either, executable: true, constants: true,
	},
	PostgreSQL: {
		strEsc: escEither, eEsc: escAlways, dq: dqIdent, bracket: brArray,
		hash: hashOp, dollar: dollarQuote, nest: yes, crEnds: yes,
	},
	MySQL: {
		strEsc: escEither, eEsc: escEither, dqEsc: escEither, dq: dqString,
		backtick: true, bracket: brArray, hash: hashComment, dollar: dollarIdent,
		dashSpace: true, executable: true,
	},
	Oracle: {
		dq: dqIdent, backtick: true, bracket: brArray, hash: hashOp,
		dollar: dollarMoney, crEnds: either, qQuote: yes,
	},
	SQLServer: {
		dq: dqEither, backtick: true, bracket: brIdent, hash: hashTemp,
		dollar: dollarMoney, nest: yes, crEnds: either,
	},
	SQLite: {
		dq: dqEither, backtick: true, bracket: brIdentFlat, hash: hashParam,
		dollar: dollarParam,
	},
	ClickHouse: {
		strEsc: escAlways, eEsc: escAlways, dqEsc: escAlways, btEsc: escAlways,
		dq: dqIdent, backtick: true, bracket: brArray, hash: hashComment,
		dollar: dollarHeredoc, nest: yes, slashSlash: yes,
	},
	Cassandra: {
		dq: dqIdent, backtick: true, bracket: brArray, hash: hashOp,
		dollar: dollarQuote, crEnds: yes, slashSlash: yes, constants: true,
	},
}

// opener marks bytes that open a quote in some dialect: text that one
// reading takes as a comment or a literal body and another as code must not
// contain them, or the two readings may end the quote at different places.
var opener [256]bool

func init() {
	for _, c := range []byte("'\"`[$") {
		opener[c] = true
	}
}

// desyncs reports whether text that is code in one reading and skipped
// (comment or literal body) in another could open a quote or comment in
// the code reading.
func desyncs(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if opener[c] || (c == '/' && i+1 < len(text) && text[i+1] == '*') {
			return true
		}
	}
	return false
}
