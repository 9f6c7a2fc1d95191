package sqlnorm

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func fuzzDialect(b uint8) Dialect { return Dialect(int(b) % NumDialects) }

// allNormalizers returns one Normalizer per dialect, indexed by Dialect.
func allNormalizers(maxLen int) []*Normalizer {
	nz := make([]*Normalizer, NumDialects)
	for d := range nz {
		nz[d] = New(Dialect(d), maxLen)
	}
	return nz
}

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
		for d := range uint8(NumDialects) {
			f.Add(s, d)
		}
	}
	nz := allNormalizers(4096)
	f.Fuzz(func(t *testing.T, in string, db uint8) {
		d := fuzzDialect(db)
		n := nz[d]
		r := n.Normalize(in)
		checkResult(t, d, in, r)
		checkTokens(t, n, in, r.Normalized)
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

// checkTokens: the tokens of in spell its normalized text, token for token.
func checkTokens(t *testing.T, n *Normalizer, in, normalized string) {
	var joined strings.Builder
	n.Tokens(in, func(tok Token) bool {
		if tok.Text == "" || tok.Kind == 0 {
			t.Fatalf("%s: empty token %+v for %.300q", n.Dialect(), tok, in)
		}
		joined.WriteString(tok.Text)
		return true
	})
	if squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }; squeeze(joined.String()) != squeeze(normalized) {
		t.Fatalf("%s: tokens do not spell the normalized text\n in: %.300q\n tokens: %.300q\n normalized: %.300q", n.Dialect(), in, joined.String(), normalized)
	}
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

// template returns template ti for dialect d. SQL Server and SQLite have no
// arrays ([ quotes a name there), so templates with ARRAY[...] are replaced;
// so they are in Generic when sameShape asks for statements that every
// reading ends in the same place (a string in [...] does not).
func template(d Dialect, ti uint8, sameShape bool) []string {
	tpl := templates[int(ti)%len(templates)]
	if d == SQLServer || d == SQLite || sameShape && d == Generic {
		for _, tok := range tpl {
			if tok == "[" {
				return templates[0]
			}
		}
	}
	return tpl
}

// literal renders a literal of the given kind holding content (strings) or
// num (numbers), valid for dialect d under at least one reading of d (a
// server setting, or any dialect for Generic): content must not survive
// under that reading. ok is false if the kind does not exist in d.
func literal(d Dialect, kind uint8, content string, num uint64) (string, bool) {
	digits := strconv.FormatUint(num, 10)
	bs := d == PostgreSQL || d == MySQL || d == ClickHouse || d == Generic // a reading with backslash escapes
	std := d != ClickHouse                                                 // a reading without
	switch kind % 32 {
	case 0: // plain string
		if d == MySQL || d == ClickHouse {
			return bsQuote('\'', content), true
		}
		return stdQuote('\'', content), true
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
		case PostgreSQL, Generic:
			return "E'" + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), "'", `\'`) + "'", true
		case MySQL:
			return `"` + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), `"`, `\"`) + `"`, true
		}
		return "", false
	case 7: // dollar quoted
		switch d {
		case MySQL, SQLite, SQLServer, Oracle:
			return "", false
		}
		tag := "$q" + strconv.Itoa(int(num%7)) + "$"
		if num%3 == 0 || d == Cassandra {
			tag = "$$"
		}
		return tag + strings.ReplaceAll(content, "$", "") + tag, true
	case 8: // bit / hex strings
		if num%2 == 0 {
			return "B'" + strconv.FormatUint(num, 2) + "'", true
		}
		return "X'" + strconv.FormatUint(num, 16) + "'", true
	case 9: // positional parameter
		if d == MySQL || d == ClickHouse {
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
		case ClickHouse:
			return "", false
		}
		return "N'" + strings.ReplaceAll(content, "'", "''") + "'", true
	case 15: // exponent without fraction
		return digits + "E+" + strconv.Itoa(int(num%300)), true

	// The kinds below exist only under some reading, or depend on one.
	case 16: // backslash escapes (MySQL, PostgreSQL with standard_conforming_strings off, ClickHouse)
		if !bs {
			return "", false
		}
		return bsQuote('\'', content), true
	case 17: // no backslash escapes (MySQL NO_BACKSLASH_ESCAPES, PostgreSQL standard_conforming_strings on)
		if !std {
			return "", false
		}
		return stdQuote('\'', content), true
	case 18: // dollar quote with a non-ASCII tag; a ClickHouse heredoc tag may hold anything
		switch d {
		case PostgreSQL, Generic, ClickHouse, Cassandra:
			tag := [...]string{"$ä$", "$€1$", "$tägß$", "$\u00e9t\u00e9$"}[num%4]
			if d == ClickHouse && num%2 == 1 {
				tag = "$a 'b$"
			}
			return tag + strings.ReplaceAll(content, "$", "") + tag, true
		}
		return "", false
	case 19: // Oracle alternative quoting
		if d != Oracle && d != Generic {
			return "", false
		}
		open := "[({<!#|~"[num%8]
		closeDelim := string("])}>!#|~"[num%8])
		prefix := [...]string{"q'", "Q'", "nq'", "NQ'"}[num/8%4]
		return prefix + string(open) + strings.ReplaceAll(content, closeDelim, "") + closeDelim + "'", true
	case 20: // "..." strings: MySQL (NO_BACKSLASH_ESCAPES), SQLite fallback, SQL Server QUOTED_IDENTIFIER OFF
		switch d {
		case MySQL, SQLite, SQLServer, Generic:
			return stdQuote('"', content), true
		}
		return "", false
	case 21: // "..." with backslash escapes (MySQL, BigQuery)
		if d != MySQL && d != Generic {
			return "", false
		}
		return bsQuote('"', content), true
	case 22: // a nested block comment hiding text, then a literal
		switch d {
		case PostgreSQL, SQLServer, ClickHouse, Generic:
			return "/* a /* b */ " + strings.ReplaceAll(content, "*", "") + " */ 1", true
		}
		return "", false
	case 23: // CQL UUID constant
		if d != Cassandra && d != Generic {
			return "", false
		}
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(num), uint16(num>>8), uint16(num>>16), uint16(num>>24), num>>16), true
	case 24: // CQL durations
		if d != Cassandra && d != Generic {
			return "", false
		}
		if num%2 == 0 {
			return digits + "h" + strconv.Itoa(int(num%60)) + "m", true
		}
		return "P" + strconv.Itoa(int(num%90)+1) + "Y" + strconv.Itoa(int(num%12)) + "M", true
	case 25: // a line comment hiding text, then a literal
		c := strings.NewReplacer("\n", "", "\r", "").Replace(content)
		switch {
		case num%3 == 1 && (d == MySQL || d == ClickHouse || d == Generic):
			return "# " + c + "\n1", true
		case num%3 == 2 && (d == ClickHouse || d == Cassandra || d == Generic):
			return "// " + c + "\n1", true
		}
		return "-- " + c + "\n1", true
	case 26: // a block comment hiding text, then a literal
		return "/* " + strings.ReplaceAll(content, "*", "") + " */ 1", true
	case 27: // MySQL runs /*! */: a string in it may hold */
		if d != MySQL && d != Generic {
			return "", false
		}
		return "/*!50000 " + bsQuote('\'', content) + " */ 1", true
	case 28: // PostgreSQL and CQL end -- comments at \r: the string after it is a literal
		switch d {
		case PostgreSQL, Cassandra, Generic:
			return "1 -- c\r" + stdQuote('\'', content) + "\n", true
		}
		return "", false
	case 29: // SQL Server money
		if d != SQLServer {
			return "", false
		}
		return "$" + digits + ".5", true
	case 30: // SQLite parameters
		if d != SQLite {
			return "", false
		}
		return [...]string{"$p", "@p", "#p", ":p", "?7"}[num%5], true
	default: // E'' in PostgreSQL is always an escape string; elsewhere e is a name
		if d == PostgreSQL {
			return "e'" + strings.ReplaceAll(strings.ReplaceAll(content, `\`, `\\`), "'", `\'`) + "'", true
		}
		if d == ClickHouse {
			return "", false
		}
		return "e" + stdQuote('\'', content), true
	}
}

// stdQuote quotes content with q, doubling q and nothing else.
func stdQuote(q byte, content string) string {
	return string(q) + strings.ReplaceAll(content, string(q), string(q)+string(q)) + string(q)
}

// bsQuote quotes content with q, escaping q and backslash with a backslash.
func bsQuote(q byte, content string) string {
	c := strings.ReplaceAll(content, `\`, `\\`)
	return string(q) + strings.ReplaceAll(c, string(q), `\`+string(q)) + string(q)
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
	for d := range uint8(NumDialects) {
		f.Add(uint8(d), d, []byte{16, 17, 18, 19, 20, 21, 22}, `a\' , '*/ $ä$ ]' "`, uint64(d)*977)
		f.Add(uint8(d+7), d, []byte{23, 24, 25, 26, 27, 28, 29, 30, 31, 0x80}, "x\r\n'\\", uint64(d)*31+5)
	}
	nz := allNormalizers(0)
	f.Fuzz(func(t *testing.T, ti, db uint8, choice []byte, content string, num uint64) {
		d := fuzzDialect(db)
		marker := fmt.Sprintf("zq8x%x", num|1<<40)
		numMarker := "7351" + strconv.FormatUint(num%1e12, 10) + "9"
		n, _ := strconv.ParseUint(numMarker, 10, 64)
		stmt := render(d, template(d, ti, false), choice, content+marker+content, n)
		norm := nz[d]
		if len(choice) > 0 && choice[0]&0x80 != 0 {
			// truncation may cut inside any quote or comment
			norm = New(d, 1+int(num%uint64(len(stmt)+1)))
		}
		r := norm.Normalize(stmt)
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
	nz := allNormalizers(0)
	f.Fuzz(func(t *testing.T, ti, db uint8, c1, c2 []byte, content string, n1, n2 uint64) {
		d := fuzzDialect(db)
		tpl := template(d, ti, true)
		// Literals whose end depends on the reading redact the rest of
		// the statement: compare only kinds and contents every reading
		// agrees on.
		content = strings.Map(func(r rune) rune {
			if r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 0x80 {
				return r
			}
			return -1
		}, content)
		c1, c2 = plainKinds(c1), plainKinds(c2)
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

// plainKinds maps choice bytes that select a literal kind to the kinds
// below 16, which mean the same under every reading of their dialect.
func plainKinds(choice []byte) []byte {
	out := make([]byte, len(choice))
	for i, b := range choice {
		out[i] = b &^ 0x10
	}
	return out
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
		"SELECT 'a\\' , 'b', \"c\\\" , \"d\" FROM t", "SELECT $ä$ x $ä$, $a b$ y $a b$", "SELECT q'[it's]', nq'<x>' FROM dual",
		"SELECT [a]]b], [c d], a[1] FROM #t WHERE x = $1.5 AND y = N'z'", "SELECT 1 /* a /* b */ c */ // d\n# e\n-- f\r'g'",
		"SELECT * FROM t WHERE id = 123e4567-e89b-12d3-a456-426655440000 AND d = 1h30m AND p = P1Y", "SELECT /*!50000 'x*/y' */ 1",
		"SELECT \"a\".\"B\", \"c\" AS \"D\" FROM \"T\" JOIN \"U\" ON a = \"v\"", "SELECT @p, :p, $p, #p, ?7",
	}
	for _, name := range []string{"short", "512B", "4KB"} {
		stmts, err := loadBenchSet(name)
		if err == nil {
			seeds = append(seeds, stmts...)
		}
	}
	return seeds
}
