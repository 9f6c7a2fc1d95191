package spanrows

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
)

// IDPlaceholder replaces path segments that look like identifiers or secrets.
const IDPlaceholder = "{id}"

// maxRouteLength bounds a stored route; longer ones are cut (they are templated first).
const maxRouteLength = 256

// TemplatePath turns a request path into a low-cardinality endpoint that holds no
// personal data or secret: the query string and fragment are dropped, and each segment
// that looks like an identifier or a secret becomes {id} (see looksLikeID).
func TemplatePath(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "/"
	}
	path = pgtext.Valid(path) // judged as stored
	if !needsTemplating(path) {
		return truncateRoute(path)
	}
	return truncateRoute(templateSegments(path, func(c byte) bool { return c == '/' }))
}

// TemplateName templates free text (a span name used as the endpoint) like a path whose
// segments are separated by '/' and whitespace: each word that looks like an identifier
// or a secret becomes {id}.
func TemplateName(name string) string {
	if name == "" {
		return "/"
	}
	return truncateRoute(templateSegments(pgtext.Valid(name), func(c byte) bool {
		return c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
	}))
}

func templateSegments(s string, isSep func(byte) bool) string {
	var b strings.Builder // written from the first replaced segment on
	done := 0             // s[:done] is in b
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && !isSep(s[j]) {
			j++
		}
		if looksLikeID(s[i:j]) {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			b.WriteString(IDPlaceholder)
			done = j
		}
		i = j + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// needsTemplating is the fast path: a path of letters, '-', '_', '.', '~' and route
// template characters in segments shorter than a token keeps every segment.
func needsTemplating(path string) bool {
	run := 0
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '/':
			run = 0
			continue
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '.' || c == '~' ||
			strings.IndexByte(routeTemplateChars, c) >= 0:
		default:
			return true
		}
		if run++; run >= minTokenLength {
			return true
		}
	}
	return false
}

// routeTemplateChars mark parameters in route templates of web frameworks.
const routeTemplateChars = "{}:*<>[]$"

// minTokenLength is the shortest segment judged by its character mix alone.
const minTokenLength = 16

// looksLikeID reports whether a segment is to be replaced: numbers, UUIDs, hex strings of
// 8+ characters, dates and versions (identifiers, for low cardinality), and whatever may
// be personal data or a secret (fail closed): anything with an '@' (e-mail addresses,
// userinfo), percent-encoding that decodes to any of these or hides plain characters,
// long tokens (base64/base62/JWT, by character mix), and characters that ordinary path
// segments and route templates do not use (';' path parameters, '=', quotes, spaces...).
func looksLikeID(seg string) bool {
	if seg == "" {
		return false
	}
	if strings.IndexByte(seg, '%') >= 0 {
		return encodedLooksLikeID(seg)
	}
	digits, hex, letters, other, upper := 0, 0, 0, 0, 0
	for i := 0; i < len(seg); {
		c := seg[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(seg[i:])
			// U+FFFD (what invalid UTF-8 and NUL are stored as) carries nothing: judge the rest.
			if r != utf8.RuneError && (r == '＠' || r == '﹫' || !unicode.IsLetter(r) && !unicode.IsMark(r)) {
				return true // look-alikes of '@', symbols
			}
			letters++
			i += size
			continue
		}
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f':
			hex++
		case c >= 'A' && c <= 'F':
			hex++
			upper++
		case c >= 'g' && c <= 'z':
			letters++
		case c >= 'G' && c <= 'Z':
			letters++
			upper++
		case c == '-' || c == '_' || c == '.' || c == '~':
			other++
		case strings.IndexByte(routeTemplateChars, c) >= 0:
			// {id}, :id, *, <int:id>, [slug], $slug
		default:
			return true // '@', ';', '=', quotes, spaces, control characters...
		}
		i++
	}
	switch {
	case digits == len(seg):
		return true // 12345
	case len(seg) == 36 && isUUID(seg):
		return true
	case digits > 0 && letters == 0 && other == 0 && len(seg) >= 8:
		return true // hex: 5f3a9c0b, object ids
	case digits > 0 && len(seg) >= minTokenLength:
		return true // long tokens
	case digits > 0 && other > 0 && letters == 0 && hex == 0:
		return true // 2026-11-28, 1.5.0, 123-456
	case len(seg) >= minTokenLength && strings.HasPrefix(seg, "eyJ"):
		return true // base64 of JSON: JWTs
	}
	return len(seg) >= minTokenLength && looksRandom(seg)
}

// looksRandom tells generated tokens of letters only (no digit to give them away) from
// words: a long run of letters is random when it changes case often or has few vowels,
// and it is no word when it is very long. Runs of one repeated letter are not random.
func looksRandom(seg string) bool {
	for _, word := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == '~' }) {
		if len(word) < minTokenLength {
			continue
		}
		var seen [128]bool
		distinct, vowels, switches := 0, 0, 0
		for i := 0; i < len(word); i++ {
			c := word[i]
			if c >= utf8.RuneSelf {
				return false // non-ASCII words: not a token alphabet
			}
			if !seen[c] {
				seen[c] = true
				distinct++
			}
			switch c | 0x20 {
			case 'a', 'e', 'i', 'o', 'u':
				vowels++
			}
			if i > 0 && isUpper(c) != isUpper(word[i-1]) {
				switches++
			}
		}
		if distinct < 10 {
			continue
		}
		if len(word) >= 40 || float64(vowels) < 0.28*float64(len(word)) || float64(switches) >= 0.45*float64(len(word)-1) {
			return true
		}
	}
	return false
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// encodedLooksLikeID judges a percent-encoded segment by what it decodes to (up to three
// rounds, for double encoding). Undecodable text, text still encoded after that, and the
// encoding of characters that never need it (letters, digits: obfuscation) are replaced.
func encodedLooksLikeID(seg string) bool {
	s := seg
	for round := 0; strings.IndexByte(s, '%') >= 0; round++ {
		if round == 3 || encodesUnreserved(s) {
			return true
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return true
		}
		s = d
	}
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '/' }) {
		if looksLikeID(word) {
			return true
		}
	}
	return false
}

// encodesUnreserved reports a %XX escape of a letter, digit, '-', '.', '_' or '~'.
func encodesUnreserved(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+2 < len(s); {
		if d, err := url.PathUnescape(s[i : i+3]); err == nil {
			if c := d[0]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '.' || c == '_' || c == '~' {
				return true
			}
		}
		next := strings.IndexByte(s[i+1:], '%')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isUUID(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// truncateRoute returns valid UTF-8 of at most maxRouteLength bytes.
func truncateRoute(s string) string { return pgtext.Clean(s, maxRouteLength) }
