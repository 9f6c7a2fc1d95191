package spanrows

import (
	"strings"
	"unicode/utf8"
)

// validUTF8Prefix returns at most n bytes of s, cut at a rune boundary, with invalid bytes
// replaced: PostgreSQL rejects invalid UTF-8 in text columns, and one bad value must not
// fail its whole batch.
func validUTF8Prefix(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	s = sanitizeUTF8(s) // may grow: an invalid byte becomes a 3-byte U+FFFD
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// sanitizeUTF8 replaces invalid UTF-8 and NUL bytes (which PostgreSQL text cannot hold).
func sanitizeUTF8(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}
