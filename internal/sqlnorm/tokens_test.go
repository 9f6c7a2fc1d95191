package sqlnorm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tokensOf(n *Normalizer, stmt string) []Token {
	var out []Token
	n.Tokens(stmt, func(t Token) bool {
		out = append(out, t)
		return true
	})
	return out
}

func TestTokens(t *testing.T) {
	n := New(PostgreSQL, 0)
	got := tokensOf(n, `select o.id, "X".y FROM orders o WHERE o.a IN (1, 2, 3) AND b::int >= now() - interval '1 day'; `+
		`INSERT INTO t (a) VALUES (1), (2) RETURNING a`)
	var sb strings.Builder
	for _, tok := range got {
		sb.WriteString(tok.Kind.String()[:2] + ":" + tok.Text + " ")
	}
	want := `Ke:SELECT Wo:o Pu:. Wo:id Pu:, Qu:"X" Pu:. Wo:y Ke:FROM Wo:orders Wo:o Ke:WHERE Wo:o Pu:. Wo:a Ke:IN Pu:( Li:? Pu:) ` +
		`Ke:AND Wo:b Op::: Wo:int Op:>= Wo:now Pu:( Pu:) Op:- Ke:INTERVAL Li:? Pu:; ` +
		`Ke:INSERT Ke:INTO Wo:t Pu:( Wo:a Pu:) Ke:VALUES Pu:( Li:? Pu:) Ke:RETURNING Wo:a `
	if sb.String() != want {
		t.Errorf("tokens\n got %s\nwant %s", sb.String(), want)
	}

	var first []Token
	n.Tokens("SELECT a FROM b", func(tok Token) bool {
		first = append(first, tok)
		return false
	})
	if len(first) != 1 || first[0] != (Token{Keyword, "SELECT"}) {
		t.Errorf("stopping after the first token: %v", first)
	}
}

// The tokens are the normalized text, token for token, and the same whether the
// statement or its normalized text is tokenized.
func TestTokensSpellNormalized(t *testing.T) {
	inputs := []string{
		"SELECT * FROM users WHERE id = $1",
		"INSERT INTO orders (user_id, total) VALUES (1, 9.99), (2, 19.99) RETURNING id",
		"SELECT data->>'name' FROM docs WHERE data @> '{\"a\":1}' AND data ? 'k' FOR UPDATE",
		"SELECT * FROM \"Users\" WHERE id = ANY(ARRAY[1,2,3]) AND x = ':: ;'",
		"select a ,b from t where c in ((1),(2)) ;; ; select 1;",
		"WITH x AS (SELECT 1) SELECT a[1:2], b.* FROM x, \"we\"\"ird\" w -- c\n WHERE ? = w.c /* d */",
		"SELECT : ::int, $$body$$, E'\\n', B'01', X'ff', 1e10, .5, 0x1f",
	}
	// the fuzz corpus files as they are (Go's encoding around the input): arbitrary text
	if files, _ := filepath.Glob("testdata/fuzz/*/*"); len(files) > 0 {
		for _, f := range files[:min(len(files), 300)] {
			if b, err := os.ReadFile(f); err == nil {
				inputs = append(inputs, string(b))
			}
		}
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for d := Dialect(0); int(d) < NumDialects; d++ {
		n := New(d, 0)
		for _, in := range inputs {
			norm := n.Normalize(in).Normalized
			toks := tokensOf(n, in)
			var joined strings.Builder
			for _, tok := range toks {
				if tok.Text == "" || tok.Kind == 0 {
					t.Fatalf("%s %.80q: empty token %+v", d, in, tok)
				}
				joined.WriteString(tok.Text)
			}
			if squeeze(joined.String()) != squeeze(norm) {
				t.Errorf("%s %.80q:\n tokens     %.200q\n normalized %.200q", d, in, joined.String(), norm)
				continue
			}
			again := tokensOf(n, norm)
			if len(again) != len(toks) {
				t.Errorf("%s %.80q: %d tokens, %d from the normalized text", d, in, len(toks), len(again))
			}
		}
	}
}
