package spanrows

import (
	"strings"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
)

// IDPlaceholder replaces path segments that look like identifiers.
const IDPlaceholder = "{id}"

// maxRouteLength bounds a stored route; longer ones are cut (they are templated first).
const maxRouteLength = 256

// TemplatePath turns a request path into a low-cardinality endpoint: the query string and
// fragment are dropped, and each segment that looks like an identifier becomes {id}:
// numbers, UUIDs, hex strings of 8+ characters, and long tokens (16+ characters mixing
// letters and digits, as in base64/base62 ids and session tokens).
func TemplatePath(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "/"
	}
	if !needsTemplating(path) {
		return truncateRoute(path)
	}
	var b strings.Builder
	b.Grow(len(path))
	for i := 0; i < len(path); {
		j := strings.IndexByte(path[i:], '/')
		var seg string
		if j < 0 {
			seg, j = path[i:], len(path)
		} else {
			seg, j = path[i:i+j], i+j
		}
		if looksLikeID(seg) {
			b.WriteString(IDPlaceholder)
		} else {
			b.WriteString(seg)
		}
		if j < len(path) {
			b.WriteByte('/')
		}
		i = j + 1
	}
	return truncateRoute(b.String())
}

// needsTemplating is the fast path: a path without digits has no identifier segment
// unless it holds a long token, which looksLikeID would need digits for anyway.
func needsTemplating(path string) bool {
	for i := 0; i < len(path); i++ {
		if c := path[i]; c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func looksLikeID(seg string) bool {
	if seg == "" {
		return false
	}
	digits, hex, letters, other := 0, 0, 0, 0
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hex++
		case c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z':
			letters++
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '=':
			other++
		default:
			other += 100 // percent-encoding, ':' and the like: not an id we template
		}
	}
	switch {
	case digits == len(seg):
		return true // 12345
	case len(seg) == 36 && isUUID(seg):
		return true
	case digits > 0 && letters == 0 && other == 0 && len(seg) >= 8:
		return true // hex: 5f3a9c0b, object ids
	case digits > 0 && len(seg) >= 16 && other < 100:
		return true // long tokens
	case digits > 0 && other > 0 && other < 100 && letters == 0 && hex == 0:
		return true // 2026-11-28, 1.5.0, 123-456
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
