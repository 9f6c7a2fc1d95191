package bench

import (
	"strings"
	"testing"

	"github.com/DataDog/go-sqllexer"
	"github.com/cespare/xxhash/v2"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

func corpus(t *testing.T) []string {
	var all []string
	for _, name := range SetNames {
		s, err := LoadSet(SetDir, name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s...)
	}
	return append(all, ORMQueries...)
}

// literalKind reports whether go-sqllexer's obfuscator replaces tokens of
// this type with the configuration used in the benchmarks.
func literalKind(tt sqllexer.TokenType) bool {
	switch tt {
	case sqllexer.STRING, sqllexer.INCOMPLETE_STRING, sqllexer.NUMBER,
		sqllexer.DOLLAR_QUOTED_STRING, sqllexer.DOLLAR_QUOTED_FUNCTION:
		return true
	}
	return false
}

func lex(s string) []sqllexer.Token {
	var toks []sqllexer.Token
	l := sqllexer.New(s, sqllexer.WithDBMS(sqllexer.DBMSPostgres))
	for {
		tok := l.Scan()
		if tok.Type == sqllexer.EOF {
			return toks
		}
		toks = append(toks, sqllexer.Token{Type: tok.Type, Value: tok.Value})
	}
}

// TestDifferentialLiterals: every literal go-sqllexer finds in a statement is
// gone from our normalized output (no token of the output, as go-sqllexer
// lexes it, has the literal's text), and our output contains no literal
// tokens at all.
func TestDifferentialLiterals(t *testing.T) {
	n := sqlnorm.New(sqlnorm.PostgreSQL, 1<<20)
	checked := 0
	for _, stmt := range corpus(t) {
		r := n.Normalize(stmt)
		outToks := lex(r.Normalized)
		outVals := make(map[string]bool, len(outToks))
		for _, tok := range outToks {
			outVals[tok.Value] = true
			if literalKind(tok.Type) {
				t.Errorf("literal token %q (type %d) in output\n in:  %.200s\n out: %.200s", tok.Value, tok.Type, stmt, r.Normalized)
			}
		}
		for _, tok := range lex(stmt) {
			if !literalKind(tok.Type) {
				continue
			}
			checked++
			v := tok.Value
			if outVals[v] || outVals[strings.TrimPrefix(v, "-")] {
				t.Errorf("literal %q survived\n in:  %.200s\n out: %.200s", v, stmt, r.Normalized)
			}
			if strings.ContainsAny(v, "'$") && len(v) > 2 && strings.Contains(r.Normalized, v) {
				t.Errorf("quoted literal %q appears in output %.200s", v, r.Normalized)
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d literals checked; corpus too small?", checked)
	}
	t.Logf("%d statements, %d literals checked", len(corpus(t)), checked)
}

// TestFingerprintIsXXH64 cross-checks the inline xxHash64 against an
// independent implementation.
func TestFingerprintIsXXH64(t *testing.T) {
	n := sqlnorm.New(sqlnorm.PostgreSQL, 1<<20)
	for _, stmt := range corpus(t) {
		r := n.Normalize(stmt)
		if want := xxhash.Sum64String(r.Normalized); r.Fingerprint != want {
			t.Errorf("fingerprint %016x, xxhash %016x for %.100q", r.Fingerprint, want, r.Normalized)
		}
	}
	for _, s := range []string{"", "a", strings.Repeat("x", 31), strings.Repeat("y", 32), strings.Repeat("z", 33), strings.Repeat("0123456789", 100)} {
		if got, want := sqlnorm.Fingerprint(s), xxhash.Sum64String(s); got != want {
			t.Errorf("len %d: %016x != %016x", len(s), got, want)
		}
	}
}

// TestSummaryAgreesWithSQLLexer: the collections go-sqllexer collects appear
// in our summary for the ORM corpus (informational differences are logged).
func TestSummaryTablesLogged(t *testing.T) {
	obf, norm := newSQLLexer()
	n := sqlnorm.New(sqlnorm.PostgreSQL, 1<<20)
	for _, stmt := range ORMQueries {
		_, md, err := sqllexer.ObfuscateAndNormalize(stmt, obf, norm, sqllexer.WithDBMS(sqllexer.DBMSPostgres))
		if err != nil {
			continue
		}
		r := n.Normalize(stmt)
		for _, tbl := range md.Tables {
			tl := strings.ToLower(strings.Trim(tbl, `"`))
			if !strings.Contains(strings.ToLower(strings.ReplaceAll(r.Summary, `"`, "")), tl) {
				t.Logf("table %q (go-sqllexer) not in summary %q for %.120s", tbl, r.Summary, stmt)
			}
		}
	}
}
