package sqlnorm

import (
	"errors"
	"strings"
)

// Dialect selects the lexical rules used by a Normalizer. Where a rule
// depends on a server setting (backslash escapes, "..." as a string), the
// dialect takes the reading that redacts more; see the package doc.
type Dialect uint8

const (
	// Generic is the most cautious dialect, for any other db.system: it must
	// not leak under the rules of any dialect below, so wherever they
	// disagree on where a literal or comment ends it redacts the rest of
	// the statement.
	Generic Dialect = iota
	// PostgreSQL (and CockroachDB, Redshift): E'..' strings, dollar
	// quoting, nested block comments, "..." case-sensitive identifiers, $1
	// placeholders, ::casts, and ? as a (JSON) operator when it follows an
	// operand. Plain '..' strings may or may not take backslash escapes
	// (standard_conforming_strings).
	PostgreSQL
	// MySQL (and MariaDB, TiDB): "..." strings (ANSI_QUOTES is not
	// supported), `...` identifiers, # and "-- " comments, backslash
	// escapes with or without NO_BACKSLASH_ESCAPES.
	MySQL
	// Oracle: q'[...]' alternative quoting, "..." identifiers, no backslash
	// escapes, flat block comments.
	Oracle
	// SQLServer (T-SQL): [ident] identifiers, N'..' strings, nested block
	// comments, "..." identifiers that are strings under QUOTED_IDENTIFIER
	// OFF, @params, #temp tables, $money.
	SQLServer
	// SQLite: "..." identifiers that fall back to strings, [ident] and
	// `ident` identifiers, ?NNN :name @name $name #name parameters.
	SQLite
	// ClickHouse: backslash escapes in strings and identifiers, "..." and
	// `...` identifiers, $tag$ heredocs, nested block comments, // and "# "
	// comments.
	ClickHouse
	// Cassandra (CQL): $$...$$ strings, // comments, unquoted UUID and
	// duration constants, 0x blobs.
	Cassandra

	numDialects
)

// NumDialects is the number of dialects: every Dialect is below it.
const NumDialects = int(numDialects)

var dialectNames = [NumDialects]string{
	Generic: "generic", PostgreSQL: "postgresql", MySQL: "mysql", Oracle: "oracle",
	SQLServer: "sqlserver", SQLite: "sqlite", ClickHouse: "clickhouse", Cassandra: "cassandra",
}

// String returns the dialect name, as accepted by ParseDialect.
func (d Dialect) String() string {
	if int(d) < NumDialects {
		return dialectNames[d]
	}
	return dialectNames[Generic]
}

// ParseDialect returns the dialect named name (case-insensitive), as
// written by Dialect.String.
func ParseDialect(name string) (Dialect, bool) {
	for d, s := range dialectNames {
		if strings.EqualFold(name, s) {
			return Dialect(d), true
		}
	}
	return Generic, false
}

// dbSystems maps lower-case db.system (semantic conventions before 1.26) and
// db.system.name values to dialects. Anything else is Generic.
var dbSystems = map[string]Dialect{
	"postgresql": PostgreSQL, "postgres": PostgreSQL, "cockroachdb": PostgreSQL,
	"redshift": PostgreSQL, "aws.redshift": PostgreSQL,
	"mysql": MySQL, "mariadb": MySQL, "tidb": MySQL,
	"oracle": Oracle, "oracle.db": Oracle,
	"mssql": SQLServer, "microsoft.sql_server": SQLServer,
	"sqlite":     SQLite,
	"clickhouse": ClickHouse,
	"cassandra":  Cassandra,
}

// DialectFor maps a db.system / db.system.name value (case-insensitive) to
// a Dialect; unknown systems get Generic.
func DialectFor(dbSystem string) Dialect {
	if d, ok := dbSystems[dbSystem]; ok {
		return d
	}
	for s, d := range dbSystems {
		if strings.EqualFold(dbSystem, s) {
			return d
		}
	}
	return Generic
}

// DefaultMaxLen is the input cap used when New is given maxLen <= 0.
const DefaultMaxLen = 32 << 10

// MaxSummaryLen caps Result.Summary; it is cut at a whole word.
const MaxSummaryLen = 255

// Result is the outcome of normalizing one statement. All strings share one
// allocation: Summary and Collection point into the same backing array as
// Normalized, and Operation is an interned constant.
type Result struct {
	// Normalized is the sanitized statement: literals replaced by ?,
	// comments removed, whitespace collapsed, keywords upper-case,
	// unquoted identifiers lower-case. It never contains input literals
	// and is always valid UTF-8.
	Normalized string
	// Fingerprint is xxHash64 (seed 0) of Normalized; see the package doc.
	Fingerprint uint64
	// Summary is the db.query.summary value: operations and their
	// collections in order of appearance, e.g. "SELECT orders customers".
	Summary string
	// Operation is the first operation keyword of the outermost statement,
	// e.g. "SELECT"; "" if none was recognised.
	Operation string
	// Collection is the first collection of that operation, as written in
	// Normalized (e.g. "public.orders"); "" if none.
	Collection string
	// Truncated reports that the input was longer than the cap and was cut
	// at a token boundary before normalizing.
	Truncated bool
}

// FormatFingerprint renders fp as 16 lower-case hex digits, the one text form of a
// fingerprint (span attribute, API, command line); ParseFingerprint reads it back.
func FormatFingerprint(fp uint64) string {
	var b [16]byte
	return string(AppendFingerprint(b[:0], fp))
}

// AppendFingerprint appends the 16-hex-digit form of fp to dst.
func AppendFingerprint(dst []byte, fp uint64) []byte {
	const hexdig = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		dst = append(dst, hexdig[(fp>>uint(shift))&0xf])
	}
	return dst
}

// ErrFingerprintSyntax is returned by ParseFingerprint for text that is not 16 hex digits.
var ErrFingerprintSyntax = errors.New("a fingerprint is 16 hex digits")

// ParseFingerprint reads the form FormatFingerprint writes: exactly 16 hex digits (either
// case, no prefix or sign).
func ParseFingerprint(s string) (uint64, error) {
	if len(s) != 16 {
		return 0, ErrFingerprintSyntax
	}
	var fp uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, ErrFingerprintSyntax
		}
		fp = fp<<4 | uint64(c)
	}
	return fp, nil
}

// Fingerprint returns the fingerprint of an already normalized text, i.e.
// Fingerprint(r.Normalized) == r.Fingerprint for every Result r.
func Fingerprint(normalized string) uint64 {
	return xxh64([]byte(normalized))
}

// truncate cuts s to at most max bytes, at the last whitespace before the
// limit when there is one, otherwise at a UTF-8 character boundary.
func truncate(s string, max int) string {
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	lo := cut - 4096
	if lo < 0 {
		lo = 0
	}
	for i := cut; i > lo; i-- {
		c := s[i-1]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			return s[:i-1]
		}
	}
	return s[:cut]
}
