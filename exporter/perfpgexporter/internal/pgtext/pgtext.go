// Package pgtext makes attribute values storable in PostgreSQL text columns.
package pgtext

import (
	"strings"
	"unicode/utf8"
)

// Clean returns at most n bytes of s, cut at a rune boundary, with invalid UTF-8 and NUL
// bytes replaced: PostgreSQL rejects both in text columns, and one bad value must not fail
// its whole batch.
func Clean(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	s = Valid(s) // may grow: an invalid byte becomes a 3-byte U+FFFD
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// Valid replaces invalid UTF-8 and NUL bytes (which PostgreSQL text cannot hold).
func Valid(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}
