package sqlnorm

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func fuzzDialect(b uint8) Dialect { return Dialect(b % 3) }

// checkResult asserts the invariants every Result must satisfy.
func checkResult(t *testing.T, d Dialect, in string, r Result) {
	t.Helper()
	if !utf8.ValidString(r.Normalized) || !utf8.ValidString(r.Summary) {
		t.Fatalf("%s %q: invalid UTF-8 in output %q / %q", d, in, r.Normalized, r.Summary)
	}
	if r.Fingerprint != Fingerprint(r.Normalized) {
		t.Fatalf("%s %q: fingerprint is not xxh64(Normalized)", d, in)
	}
	if len(r.Summary) > MaxSummaryLen {
		t.Fatalf("%s %q: summary longer than %d", d, in, MaxSummaryLen)
	}
	if r.Collection != "" && !strings.Contains(r.Summary, r.Collection) {
		t.Fatalf("%s %q: collection %q not in summary %q", d, in, r.Collection, r.Summary)
	}
	if hasDoubleSpace(r.Normalized) || strings.HasPrefix(r.Normalized, " ") || strings.HasSuffix(r.Normalized, " ") {
		t.Fatalf("%s %q: whitespace not collapsed: %q", d, in, r.Normalized)
	}
}

// hasDoubleSpace reports two consecutive spaces outside quoted identifiers.
func hasDoubleSpace(s string) bool {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '[':
			quote = ']'
		case c == ' ' && i+1 < len(s) && s[i+1] == ' ':
			return true
		}
	}
	return false
}

func FuzzNormalizeNoPanic(f *testing.F) {
	for _, s := range fuzzSeeds() {
		for d := uint8(0); d < 3; d++ {
			f.Add(s, d)
		}
	}
	nz := [3]*Normalizer{New(Generic, 4096), New(PostgreSQL, 4096), New(MySQL, 4096)}
	f.Fuzz(func(t *testing.T, in string, db uint8) {
		d := fuzzDialect(db)
		n := nz[d]
		r := n.Normalize(in)
		checkResult(t, d, in, r)
		// Normalizing normalized text changes nothing, so a statement that
		// an instrumentation already sanitized (literals as ?) groups with
		// its raw form. Exception: in PostgreSQL ? is also an operator, and
		// two adjacent literals (invalid SQL, "? ?") re-lex as operand and
		// operator.
		if !r.Truncated && !(d == PostgreSQL && strings.Contains(r.Normalized, "? ?")) {
			r2 := n.Normalize(r.Normalized)
			// Invalid UTF-8 becomes 3-byte U+FFFD, so the output can exceed the cap
			// and be truncated on the second pass: only compare whole passes.
			if !r2.Truncated && r2.Normalized != r.Normalized {
				t.Fatalf("%s: not idempotent\n in: %.300q\n 1st: %.300q\n 2nd: %.300q", d, in, r.Normalized, r2.Normalized)
			}
		}
	})
}

// ------------------------------------------------------------ templates --

// A template is a token list; "L" is a literal slot, "LL" a list of 1..n
// literals, "ROWS" 1..n VALUES rows of two literals. Tokens starting with a
// capital letter are keywords (their case is varied by the invariance fuzzer).
var templates = [][]string{
	{"SELECT", "*", "FROM", "users", "WHERE", "id", "=", "L"},
	{"SELECT", "a", ",", "b", "FROM", "t", "WHERE", "a", "=", "L", "AND", "b", "<>", "L", "ORDER", "BY", "a", "DESC", "LIMIT", "L"},
	{"SELECT", "*", "FROM", "t", "WHERE", "id", "IN", "(", "LL", ")"},
	{"SELECT", "*", "FROM", "t", "WHERE", "id", "NOT", "IN", "(", "LL", ")", "AND", "x", ">", "L"},
	{"INSERT", "INTO", "orders", "(", "a", ",", "b", ")", "VALUES", "ROWS"},
	{"INSERT", "INTO", "orders", "(", "a", ",", "b", ")", "VALUES", "ROWS", "RETURNING", "id"},
	{"UPDATE", "accounts", "SET", "balance", "=", "balance", "-", "L", ",", "note", "=", "L", "WHERE", "id", "=", "L"},
	{"DELETE", "FROM", "sessions", "WHERE", "expires", "<", "L", "OR", "uid", "=", "L"},
	{"SELECT", "L", ",", "L", ",", "f", "(", "L", ")", "FROM", "t"},
	{"SELECT", "*", "FROM", "t", "WHERE", "a", "BETWEEN", "L", "AND", "L"},
	{"SELECT", "CASE", "WHEN", "a", "=", "L", "THEN", "L", "ELSE", "L", "END", "FROM", "t"},
	{"SELECT", "*", "FROM", "a", "JOIN", "b", "ON", "a", ".", "id", "=", "b", ".", "aid", "WHERE", "b", ".", "v", ">=", "L", "FOR", "UPDATE"},
	{"SELECT", "count", "(", "*", ")", "FROM", "t", "WHERE", "(", "a", "=", "L", "OR", "b", "LIKE", "L", ")", "GROUP", "BY", "c", "HAVING", "count", "(", "*", ")", ">", "L"},
	{"SELECT", "*", "FROM", "t", "WHERE", "a", "IN", "(", "SELECT", "b", "FROM", "u", "WHERE", "c", "=", "L", ")", "OFFSET", "L"},
	{"SELECT", "*", "FROM", "t", "WHERE", "a", "=", "ANY", "(", "ARRAY", "[", "LL", "]", ")"},
	{"SELECT", "x", "FROM", "(", "SELECT", "*", "FROM", "u", "WHERE", "v", "=", "L", ")", "AS", "s", "WHERE", "s", ".", "x", ">", "L"},
	{"SELECT", "*", "FROM", "t", "WHERE", "a", "=", "L", "::", "text", "AND", "b", "IS", "NOT", "NULL"},
	{"SELECT", "a", "FROM", "t", "ORDER", "BY", "a", "DESC", ",", "b", "LIMIT", "L", ",", "L"},
	{"WITH", "c", "AS", "(", "SELECT", "*", "FROM", "t", "WHERE", "k", "IN", "(", "LL", ")", ")", "SELECT", "*", "FROM", "c", "WHERE", "z", "<=", "L", ";"},
}

// literal renders a literal of the given kind holding content (strings) or
// num (numbers), valid for dialect d. ok is false if the kind does not exist
// in d.
func literal(d Dialect, kind uint8, content string, num uint64) (string, bool) {
	digits := strconv.FormatUint(num, 10)
	switch kind % 16 {
	case 0: // plain string
		c := strings.ReplaceAll(content, "'", "''")
		if d == MySQL {
			c = strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), "'", "''")
		}
		return "'" + c + "'", true
	case 1: // integer
		return digits, true
	case 2: // negative float with exponent
		return "-" + digits + "." + digits + "e-" + strconv.Itoa(int(num%30)), true
	case 3: // decimal
		return "." + digits, true
	case 4: // hex number
		return "0x" + strconv.FormatUint(num, 16), true
	case 5:
		if num%2 == 0 {
			return "TRUE", true
		}
		return "false", true
	case 6: // escape string / double-quoted string
		switch d {
		case PostgreSQL:
			return "E'" + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), "'", `\'`) + "'", true
		case MySQL:
			return `"` + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), `"`, `\"`) + `"`, true
		}
		return "", false
	case 7: // dollar quoted
		if d == MySQL {
			return "", false
		}
		tag := "$q" + strconv.Itoa(int(num%7)) + "$"
		if num%3 == 0 {
			tag = "$$"
		}
		return tag + strings.ReplaceAll(content, "$", "") + tag, true
	case 8: // bit / hex strings
		if num%2 == 0 {
			return "B'" + strconv.FormatUint(num, 2) + "'", true
		}
		return "X'" + strconv.FormatUint(num, 16) + "'", true
	case 9: // positional parameter
		if d == MySQL {
			return "", false
		}
		return "$" + strconv.Itoa(int(num%100)+1), true
	case 10:
		return "?", true
	case 11:
		return ":p" + strconv.Itoa(int(num%10)), true
	case 12:
		return "%s", true
	case 13: // negative integer
		return "-" + digits, true
	case 14: // national / unicode / charset strings
		switch d {
		case PostgreSQL:
			return "U&'" + strings.ReplaceAll(strings.ReplaceAll(content, "'", "''"), `\`, `\\`) + "'", true
		case MySQL:
			return "_utf8mb4'" + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), "'", "''") + "'", true
		}
		return "N'" + strings.ReplaceAll(content, "'", "''") + "'", true
	default: // exponent without fraction
		return digits + "E+" + strconv.Itoa(int(num%300)), true
	}
}

var separators = []string{" ", "\n", "\t ", "  ", " /* c */ ", "\n-- note\n", "\r\n", " /*x*/"}

// render builds a statement from template tpl. Literal kinds, list lengths,
// separators and keyword case are drawn from the bytes of choice.
func render(d Dialect, tpl []string, choice []byte, content string, num uint64) string {
	pos := 0
	next := func() byte {
		if len(choice) == 0 {
			return 0
		}
		b := choice[pos%len(choice)]
		pos++
		return b
	}
	lit := func() string {
		for tries := 0; tries < 32; tries++ {
			k := next()
			if l, ok := literal(d, k, content, num+uint64(k)); ok {
				return l
			}
		}
		return "1"
	}
	var b strings.Builder
	for i, tok := range tpl {
		if i > 0 {
			b.WriteString(separators[int(next())%len(separators)])
		}
		switch tok {
		case "L":
			b.WriteString(lit())
		case "LL":
			k := 1 + int(next()%5)
			for j := 0; j < k; j++ {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(lit())
			}
		case "ROWS":
			k := 1 + int(next()%4)
			for j := 0; j < k; j++ {
				if j > 0 {
					b.WriteString(",")
				}
				b.WriteString("(" + lit() + ", " + lit() + ")")
			}
		default:
			if tok[0] >= 'A' && tok[0] <= 'Z' && next()%2 == 1 {
				tok = strings.ToLower(tok)
			}
			b.WriteString(tok)
		}
	}
	return b.String()
}

// FuzzNoLiteralSurvives puts a distinctive marker into literals of every
// kind and asserts it never appears in the output.
func FuzzNoLiteralSurvives(f *testing.F) {
	f.Add(uint8(0), uint8(1), []byte{0, 1, 2, 3}, "hello", uint64(987654321))
	f.Add(uint8(4), uint8(2), []byte{6, 7, 14, 0}, `it's a \ "quote" $$`, uint64(7))
	f.Add(uint8(2), uint8(0), []byte{9, 10, 11, 12, 13}, "*/ -- #", uint64(1<<63))
	f.Add(uint8(12), uint8(1), []byte{15, 8, 3, 2, 5}, "\x00\xff", uint64(31337))
	nz := [3]*Normalizer{New(Generic, 0), New(PostgreSQL, 0), New(MySQL, 0)}
	f.Fuzz(func(t *testing.T, ti, db uint8, choice []byte, content string, num uint64) {
		d := fuzzDialect(db)
		marker := fmt.Sprintf("zq8x%x", num|1<<40)
		numMarker := "7351" + strconv.FormatUint(num%1e12, 10) + "9"
		n, _ := strconv.ParseUint(numMarker, 10, 64)
		stmt := render(d, templates[int(ti)%len(templates)], choice, content+marker+content, n)
		r := nz[d].Normalize(stmt)
		checkResult(t, d, stmt, r)
		for _, m := range []string{marker, numMarker} {
			for _, out := range []string{r.Normalized, r.Summary, r.Collection} {
				if strings.Contains(out, m) {
					t.Fatalf("%s: literal %q survived\n in:  %.300q\n out: %.300q", d, m, stmt, out)
				}
			}
		}
		if strings.Contains(r.Normalized, "zq8x") || strings.ContainsAny(r.Normalized, "0123456789") {
			t.Fatalf("%s: literal text survived\n in:  %.300q\n out: %.300q", d, stmt, r.Normalized)
		}
	})
}

// FuzzFingerprintInvariant renders the same template twice with different
// literals, list lengths, whitespace, comments and keyword case, and asserts
// the fingerprints are equal.
func FuzzFingerprintInvariant(f *testing.F) {
	f.Add(uint8(0), uint8(1), []byte{0, 1, 2}, []byte{9, 10, 11}, "a", uint64(1), uint64(2))
	f.Add(uint8(4), uint8(2), []byte{3, 4, 5, 6}, []byte{7, 8}, "x'y", uint64(99), uint64(12345))
	f.Add(uint8(2), uint8(0), []byte{1}, []byte{2, 3, 4, 5, 6, 7}, "", uint64(0), uint64(1<<62))
	nz := [3]*Normalizer{New(Generic, 0), New(PostgreSQL, 0), New(MySQL, 0)}
	f.Fuzz(func(t *testing.T, ti, db uint8, c1, c2 []byte, content string, n1, n2 uint64) {
		d := fuzzDialect(db)
		tpl := templates[int(ti)%len(templates)]
		s1 := render(d, tpl, c1, content, n1)
		s2 := render(d, tpl, c2, strings.ToUpper(content)+"z", n2)
		r1 := nz[d].Normalize(s1)
		r2 := nz[d].Normalize(s2)
		if r1.Truncated || r2.Truncated {
			return // cut at different points: different texts are expected
		}
		if r1.Fingerprint != r2.Fingerprint {
			t.Fatalf("%s: fingerprints differ\n s1: %.300q\n n1: %.300q\n s2: %.300q\n n2: %.300q", d, s1, r1.Normalized, s2, r2.Normalized)
		}
		if r1.Summary != r2.Summary || r1.Operation != r2.Operation || r1.Collection != r2.Collection {
			t.Fatalf("%s: summaries differ: %q vs %q", d, r1.Summary, r2.Summary)
		}
	})
}

func fuzzSeeds() []string {
	seeds := []string{
		"", "SELECT 1", "SELECT * FROM t WHERE a = 'x' AND b IN (1,2,3)",
		"INSERT INTO t VALUES (1, 'a'), (2, 'b') ON CONFLICT DO NOTHING",
		"SELECT $$x$$, $a$y$a$, E'\\'', B'01', X'ff', U&'z'",
		"SELECT d->>'a', d ? 'b', d ?| array['c'] FROM t /* c */ -- d",
		"SELECT `a`, \"b\", 'c' # x",
		"SELECT [a], @p, :n, %s, %(x)s, ?1, $1 FROM #t",
		"UPDATE t SET a = -1, b = a - 1, c = - a WHERE d::int = 2",
		"WITH x AS (SELECT * FROM a) SELECT * FROM x, (SELECT 1) s JOIN b USING (id)",
		"'unterminated", "/* unterminated", "$tag$ unterminated", "\"unterminated", "E'\\",
		"\xff\xfe SELECT \xc3\x28", "((((", "))))", "[[[[", "]]]", "VALUES (((1)))", "IN ((1,2),(3,4))",
	}
	for _, name := range []string{"short", "512B", "4KB"} {
		stmts, err := loadBenchSet(name)
		if err == nil {
			seeds = append(seeds, stmts...)
		}
	}
	return seeds
}
