package spanrows

// Reading span fields and attributes as the row columns want them: typed, clamped, and text
// only when it is a string.

import (
	"encoding/binary"
	"math"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func spanID(id pcommon.SpanID) int64 { return int64(binary.BigEndian.Uint64(id[:])) }

// durationUS clamps to [0, MaxInt32] µs (about 35 minutes).
func durationUS(span ptrace.Span) int32 {
	start, end := span.StartTimestamp(), span.EndTimestamp()
	if end <= start {
		return 0
	}
	us := uint64(end-start) / 1000
	if us > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(us)
}

func hasAny(attrs pcommon.Map, keys []string) bool {
	for _, k := range keys {
		if _, ok := attrs.Get(k); ok {
			return true
		}
	}
	return false
}

// getStr returns the first of keys whose value is a string. Only a string is text: a
// list, map, bytes or number is ignored as if absent, never stringified (AsString would
// turn it into JSON or base64 of whatever it holds, literals and secrets included).
func getStr(attrs pcommon.Map, keys []string) (string, bool) {
	for _, k := range keys {
		if v, ok := attrs.Get(k); ok && v.Type() == pcommon.ValueTypeStr {
			return v.Str(), true
		}
	}
	return "", false
}

// dbSystem keeps a db.system value that reads as a system name (lower-case letters,
// digits, '.', '_', '-'); any other text is stored as other_sql.
func dbSystem(s string) string {
	if s == "" || len(s) > 64 {
		return "other_sql"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return "other_sql"
		}
	}
	return s
}

func getInt(attrs pcommon.Map, keys []string) int64 {
	for _, k := range keys {
		if v, ok := attrs.Get(k); ok {
			switch v.Type() {
			case pcommon.ValueTypeInt:
				return v.Int()
			case pcommon.ValueTypeDouble:
				return int64(v.Double())
			case pcommon.ValueTypeStr:
				n, _ := strconv.ParseInt(v.Str(), 10, 64)
				return n
			}
		}
	}
	return 0
}

// getSize returns a byte size clamped to int32, -1 when absent or negative.
func getSize(attrs pcommon.Map, keys []string) int32 {
	for _, k := range keys {
		if _, ok := attrs.Get(k); ok {
			n := getInt(attrs, []string{k})
			switch {
			case n < 0:
				return -1
			case n > math.MaxInt32:
				return math.MaxInt32
			}
			return int32(n)
		}
	}
	return -1
}
