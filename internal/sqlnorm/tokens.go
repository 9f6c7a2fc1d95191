package sqlnorm

import "strings"

// TokenKind classifies the tokens of normalized text.
type TokenKind uint8

const (
	Word        TokenKind = iota + 1 // unquoted identifier, lower case
	Keyword                          // a keyword of the package's table, upper case
	QuotedIdent                      // quoted identifier, quotes included
	Literal                          // ?, which stands for any literal or placeholder
	Op                               // operator, including * and ::
	Punct                            // ( ) [ ] , ; .
)

func (k TokenKind) String() string {
	switch k {
	case Word:
		return "Word"
	case Keyword:
		return "Keyword"
	case QuotedIdent:
		return "QuotedIdent"
	case Literal:
		return "Literal"
	case Op:
		return "Op"
	case Punct:
		return "Punct"
	}
	return "TokenKind(?)"
}

// Token is one token of normalized text.
type Token struct {
	Kind TokenKind
	Text string
}

var publicKind = [numKinds]TokenKind{
	tkWord: Word, tkKeyword: Keyword, tkFuncKw: Keyword, tkQIdent: QuotedIdent, tkLit: Literal,
	tkOp: Op, tkCast: Op, tkLParen: Punct, tkRParen: Punct, tkLBrack: Punct, tkRBrack: Punct,
	tkComma: Punct, tkSemi: Punct, tkDot: Punct,
}

// mark is where a token of the text being normalized starts.
type mark struct {
	kind  tokKind
	start int32
}

// mark records a token at out[start:]; marks at or after start belong to text that
// was cut (collapsed lists) and go.
func (n *Normalizer) mark(k tokKind, start int) {
	n.unmarkFrom(start)
	n.marks = append(n.marks, mark{k, int32(start)})
}

// unmarkFrom forgets the tokens at or after out[end:], which was cut.
func (n *Normalizer) unmarkFrom(end int) {
	for len(n.marks) > 0 && int(n.marks[len(n.marks)-1].start) >= end {
		n.marks = n.marks[:len(n.marks)-1]
	}
}

// Tokens calls fn with each token of Normalize(stmt).Normalized, in order, until fn
// returns false. The tokens come from the same lexer run as Normalize, so they are
// exactly the words, keywords, literals and punctuation of the normalized text; for text
// that is already normalized (normalizing is idempotent) they are the tokens of stmt.
// Tokens is not on the Normalize path and allocates the text of the tokens.
func (n *Normalizer) Tokens(stmt string, fn func(Token) bool) {
	if len(stmt) > n.maxLen {
		stmt = truncate(stmt, n.maxLen)
	}
	n.reset(len(stmt))
	n.marks = n.marks[:0]
	n.recording = true
	n.run(stmt)
	n.finish()
	n.recording = false
	n.unmarkFrom(len(n.out))
	text := string(n.out)
	for i, m := range n.marks {
		end := len(text)
		if i+1 < len(n.marks) {
			end = int(n.marks[i+1].start)
		}
		if !fn(Token{Kind: publicKind[m.kind], Text: strings.TrimSpace(text[m.start:end])}) {
			return
		}
	}
}
