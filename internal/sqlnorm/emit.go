package sqlnorm

// Writing the normalized text: spacing, brackets, lists and VALUES rows that collapse.

import (
	"bytes"
)

// -------------------------------------------------------------- emitting --

// needSpace decides the separator between two consecutive tokens. Spacing is
// a pure function of token kinds, so input whitespace never matters.
func needSpace(prev, cur tokKind) bool {
	switch prev {
	case tkNone, tkLParen, tkLBrack, tkDot, tkCast, tkComma:
		return false
	}
	switch cur {
	case tkRParen, tkRBrack, tkComma, tkSemi, tkDot, tkCast:
		return false
	case tkLParen, tkLBrack:
		return !(prev == tkWord || prev == tkQIdent || prev == tkFuncKw || prev == tkRBrack)
	}
	return true
}

const numKinds = int(tkCast) + 1

var spaceTab [numKinds][numKinds]bool

func init() {
	for p := 0; p < numKinds; p++ {
		for c := 0; c < numKinds; c++ {
			spaceTab[p][c] = needSpace(tokKind(p), tokKind(c))
		}
	}
}

// begin runs the bookkeeping due before a token of kind k is written and
// writes the separating space; it returns the offset where the token starts.
func (n *Normalizer) begin(k tokKind) int {
	if n.pendingSemi {
		n.pendingSemi = false
		if n.recording {
			n.mark(tkSemi, len(n.out))
		}
		n.out = append(n.out, ';')
		n.prev = tkSemi
		n.prevKwID, n.prevKwFl = kwOther, 0
		n.operand = false
	}
	f := &n.stack[n.top]
	switch f.vstate {
	case vsAfterRow:
		if k != tkComma {
			n.finishValues(f)
		}
	case vsExpectRow:
		if k != tkLParen {
			f.vstate = vsNone
		}
	}
	if spaceTab[n.prev][k] {
		n.out = append(n.out, ' ')
	}
	if n.recording {
		n.mark(k, len(n.out))
	}
	return len(n.out)
}

// end runs the bookkeeping after a token was written at out[start:].
func (n *Normalizer) end(k tokKind, kw *keyword, start int, litish bool) {
	f := &n.stack[n.top]
	if n.overflow == 0 && (f.ts != tsNone || kw != nil) {
		n.summ(f, k, kw, start)
	}
	if !litish {
		f.curLit = false
		f.lit = false
	}
	f.stmtStart = false
	n.prev = k
	if kw != nil {
		n.prevKwID, n.prevKwFl = kw.id, kw.flags
	} else {
		n.prevKwID, n.prevKwFl = kwOther, 0
	}
	n.castNext = k == tkCast
	n.operand = operandKind[k] || (kw != nil && kw.flags&kfValue != 0)
}

// operandKind marks token kinds that end an operand.
var operandKind = [numKinds]bool{tkWord: true, tkQIdent: true, tkLit: true, tkRParen: true, tkRBrack: true}

func (n *Normalizer) lit() {
	start := n.begin(tkLit)
	n.out = append(n.out, '?')
	n.end(tkLit, nil, start, true)
}

func (n *Normalizer) simple(k tokKind, text string) {
	start := n.begin(k)
	if k == tkCast && n.prev == tkOp && n.out[len(n.out)-1] == ':' {
		n.out = append(n.out, ' ') // ": ::" must not come back as ":: :"
	}
	n.out = append(n.out, text...)
	n.end(k, nil, start, k == tkCast)
}

func (n *Normalizer) open(c, close byte) {
	k := tkLParen
	if c == '[' {
		k = tkLBrack
	}
	itemStart := n.prev == tkLParen || n.prev == tkLBrack || n.prev == tkComma
	subscript := c == '[' && n.operand
	start := n.begin(k)
	parent := &n.stack[n.top]
	isRow := c == '(' && parent.vstate == vsExpectRow
	list := (c == '(' && n.prevKwID == kwIN) || (c == '[' && n.prevKwID == kwARRAY)
	n.out = append(n.out, c)
	n.end(k, nil, start, true)
	if isRow {
		parent.vstate = vsInRow
		parent.vRowStart = start
	}
	if n.top+1 >= maxDepth || n.overflow > 0 {
		n.overflow++
		return
	}
	n.top++
	n.stack[n.top] = frame{
		close:     close,
		list:      list,
		isRow:     isRow,
		subscript: subscript,
		nullLit:   list || isRow || (parent.nullLit && itemStart), // nested tuples
		lit:       true,
		curLit:    true,
		itemStart: len(n.out),
		stmtStart: true,
	}
}

func (n *Normalizer) closeBracket(c byte) {
	k := tkRParen
	if c == ']' {
		k = tkRBrack
	}
	if n.overflow > 0 {
		n.overflow--
		n.simple(k, string(c))
		return
	}
	if n.top == 0 || n.stack[n.top].close != c {
		// unbalanced: plain token
		n.simple(k, string(c))
		return
	}
	n.begin(k) // flushes ';', finishes VALUES rows of the closing frame
	f := &n.stack[n.top]
	n.completeTargets(f)
	if f.list {
		n.finishItem(f)
		if f.items.collapses() {
			n.out = n.out[:f.items.firstEnd]
			if n.recording {
				n.mark(k, len(n.out)) // the collapsed items' marks go
			}
		}
	}
	n.out = append(n.out, c)
	childLit, isRow := f.lit, f.isRow
	n.top--
	p := &n.stack[n.top]
	if !childLit {
		p.lit = false
		p.curLit = false
	}
	if isRow && p.vstate == vsInRow {
		p.vRows.add(n.out, p.vRowStart, childLit)
		p.vstate = vsAfterRow
	}
	if p.ts == tsSub {
		p.ts = tsAfter
	}
	n.afterPunct(p, k, true)
}

// afterPunct is the state after a closing bracket or a comma k in frame f: mid-statement, no
// keyword before it, no cast pending; operand says whether what precedes is a value (a
// closed bracket).
func (n *Normalizer) afterPunct(f *frame, k tokKind, operand bool) {
	f.stmtStart = false
	n.prev = k
	n.prevKwID, n.prevKwFl = kwOther, 0
	n.operand = operand
	n.castNext = false
}

func (n *Normalizer) finishItem(f *frame) { f.items.add(n.out, f.itemStart, f.curLit) }

// repeats follows the items of a list, or the VALUES rows of a frame: whether every one is
// literal-only and written the same as the first, in which case they collapse to the first.
type repeats struct {
	n                    int
	firstStart, firstEnd int
	allLit, same         bool
}

// add records the element written at out[start:].
func (r *repeats) add(out []byte, start int, lit bool) {
	end := len(out)
	if r.n == 0 {
		r.firstStart, r.firstEnd = start, end
		r.allLit, r.same = lit, true
	} else {
		r.allLit = r.allLit && lit
		if r.allLit && r.same && !bytes.Equal(out[start:end], out[r.firstStart:r.firstEnd]) {
			r.same = false
		}
	}
	r.n++
}

// collapses reports whether there are several elements, all literal-only and the same.
func (r *repeats) collapses() bool { return r.n > 1 && r.allLit && r.same }

// finishValues collapses VALUES rows that are identical and literal-only.
func (n *Normalizer) finishValues(f *frame) {
	if f.vRows.collapses() {
		n.out = n.out[:f.vRows.firstEnd]
		if n.recording {
			n.unmarkFrom(len(n.out))
		}
	}
	f.vstate = vsNone
	f.vRows.n = 0
}

func (n *Normalizer) comma() {
	n.begin(tkComma)
	f := &n.stack[n.top]
	if n.overflow == 0 {
		n.summ(f, tkComma, nil, 0)
		if f.list {
			n.finishItem(f)
		}
	}
	n.out = append(n.out, ", "...)
	if f.list {
		f.itemStart = len(n.out)
		f.curLit = true
	}
	if f.vstate == vsAfterRow {
		f.vstate = vsExpectRow
	}
	n.afterPunct(f, tkComma, false)
}

func (n *Normalizer) semi() {
	f := &n.stack[n.top]
	if f.vstate == vsAfterRow {
		n.finishValues(f)
	}
	f.vstate = vsNone
	n.completeTargets(f)
	f.ts = tsNone
	f.hasOp = false
	f.fromList = false
	f.stmtStart = true
	if n.prev != tkNone && n.prev != tkSemi {
		n.pendingSemi = true
	}
	n.prevKwID, n.prevKwFl = kwOther, 0
	n.operand = false
	n.castNext = false
}

var dotPiece = []byte{'.'}

func (n *Normalizer) finish() {
	f := &n.stack[n.top]
	if f.vstate == vsAfterRow {
		n.finishValues(f)
	}
	for d := n.top; d >= 0; d-- {
		n.completeTargets(&n.stack[d])
	}
	n.pendingSemi = false // trailing semicolons are dropped
	if l := len(n.out); l > 0 && n.out[l-1] == ' ' {
		n.out = n.out[:l-1] // after a trailing comma
	}
}
