package sqlnorm

import "strings"

// Dialect selects the lexical rules used by a Normalizer.
type Dialect uint8

const (
	// Generic follows standard SQL: '...' strings without backslash escapes,
	// "..." identifiers, ? :name @name %s $1 placeholders, dollar quoting.
	Generic Dialect = iota
	// PostgreSQL: E'..' strings, dollar quoting, nested block comments,
	// "..." case-sensitive identifiers, $1 placeholders, ::casts, and ? as
	// a (JSON) operator when it follows an operand.
	PostgreSQL
	// MySQL (and MariaDB, TiDB): backslash escapes in strings, "..." strings
	// (ANSI_QUOTES is not supported), `...` identifiers, # and "-- " comments.
	MySQL
)

// String returns the dialect name as accepted by DialectFor.
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "postgresql"
	case MySQL:
		return "mysql"
	default:
		return "generic"
	}
}

// DialectFor maps a db.system / db.system.name value to a Dialect.
func DialectFor(dbSystem string) Dialect {
	switch dbSystem {
	case "postgresql", "postgres", "cockroachdb", "redshift":
		return PostgreSQL
	case "mysql", "mariadb", "tidb":
		return MySQL
	}
	for _, s := range [...]string{"postgresql", "postgres", "cockroachdb", "redshift"} {
		if strings.EqualFold(dbSystem, s) {
			return PostgreSQL
		}
	}
	for _, s := range [...]string{"mysql", "mariadb", "tidb"} {
		if strings.EqualFold(dbSystem, s) {
			return MySQL
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

// FormatFingerprint renders fp as 16 lower-case hex digits.
func FormatFingerprint(fp uint64) string {
	const hexdig = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = hexdig[fp&0xf]
		fp >>= 4
	}
	return string(b[:])
}

// AppendFingerprint appends the 16-hex-digit form of fp to dst.
func AppendFingerprint(dst []byte, fp uint64) []byte {
	const hexdig = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		dst = append(dst, hexdig[(fp>>uint(shift))&0xf])
	}
	return dst
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
