package sqlnorm

// The summary (operation and collection names) built while the text is written.

// --------------------------------------------------------------- summary --

// summ advances the summary state machine of frame f with a token just
// written at out[start:].
func (n *Normalizer) summ(f *frame, k tokKind, kw *keyword, start int) {
	switch f.ts {
	case tsIn:
		if k == tkDot {
			n.targetPiece(f, dotPiece)
			f.ts = tsInDot
			return
		}
		if k == tkLParen && f.intro == introFrom {
			// FROM func(...): a function, not a collection
			if f.tOK {
				n.sum = n.sum[:f.tStart]
			}
			f.ts = tsNone
			return
		}
		n.completeTarget(f, n.top)
	case tsInDot:
		if k == tkWord || k == tkQIdent || k == tkKeyword || k == tkFuncKw {
			n.targetPiece(f, n.out[start:])
			f.ts = tsIn
			return
		}
		n.completeTarget(f, n.top)
	}
	switch f.ts {
	case tsExpect:
		switch {
		case k == tkWord || k == tkQIdent:
			n.startTarget(f, n.out[start:])
			return
		case kw != nil && kw.flags&kfSkipTable != 0:
			return
		case k == tkLParen:
			f.ts = tsSub
			return
		}
		f.ts = tsNone
	case tsAfter:
		if k == tkWord || k == tkQIdent {
			f.ts = tsNone // alias
			return
		}
		if kw != nil && kw.id == kwAS {
			f.ts = tsAlias
			return
		}
		f.ts = tsNone
	case tsAlias:
		f.ts = tsNone
		if k == tkWord || k == tkQIdent {
			return
		}
	case tsSub:
		f.ts = tsNone
	}
	if k == tkComma {
		if f.fromList {
			f.ts = tsExpect
			f.intro = introFrom
		}
		return
	}
	if kw == nil {
		return
	}
	fl := kw.flags
	if fl&kfClauseEnd != 0 {
		f.fromList = false
	}
	if fl&(kfOpAny|kfOpDML|kfOpStart) != 0 {
		ok := fl&kfOpAny != 0 || f.stmtStart
		if !ok && fl&kfOpDML != 0 {
			ok = n.prev == tkRParen || n.prevKwFl&kfPrefix != 0
		}
		if ok {
			n.addOp(kw)
			f.hasOp = true
			f.fromList = kw.id == kwUPDATE
			f.intro = introOther
			if fl&kfExpectAfterOp != 0 {
				f.ts = tsExpect
			}
			return
		}
	}
	if fl&kfTableIntro != 0 {
		f.ts = tsExpect
		switch kw.id {
		case kwFROM:
			f.fromList = true
			f.intro = introFrom
		case kwJOIN, kwUSING:
			f.intro = introFrom
		default:
			f.intro = introOther
		}
	}
}

func (n *Normalizer) addOp(kw *keyword) {
	if n.op0 == "" && n.top == 0 {
		n.op0 = kw.name
	}
	if n.opAny == "" {
		n.opAny = kw.name
		n.opAnyDepth = n.top
	}
	addSummaryWord(n, kw.name)
}

// startTarget begins a collection name in the summary.
func (n *Normalizer) startTarget(f *frame, piece []byte) {
	f.ts = tsIn
	f.tStart = len(n.sum)
	f.tOK = addSummaryWord(n, piece)
}

// addSummaryWord appends w to the summary after a space, unless that would make it longer
// than MaxSummaryLen: then the summary is full and nothing more is added to it.
func addSummaryWord[W string | []byte](n *Normalizer, w W) bool {
	need := len(w)
	if len(n.sum) > 0 {
		need++
	}
	if n.sumFull || len(n.sum)+need > MaxSummaryLen {
		n.sumFull = true
		return false
	}
	if len(n.sum) > 0 {
		n.sum = append(n.sum, ' ')
	}
	n.sum = append(n.sum, w...)
	return true
}

// targetPiece extends the current collection name ("." or a name part).
func (n *Normalizer) targetPiece(f *frame, piece []byte) {
	if !f.tOK {
		return
	}
	if len(n.sum)+len(piece) > MaxSummaryLen {
		n.sum = n.sum[:f.tStart] // whole words only
		f.tOK = false
		n.sumFull = true
		return
	}
	n.sum = append(n.sum, piece...)
}

// completeTarget ends the collection name of frame f (at depth d).
func (n *Normalizer) completeTarget(f *frame, d int) {
	f.ts = tsAfter
	if !f.tOK {
		return
	}
	f.tOK = false
	s, e := f.tStart, len(n.sum)
	if s > 0 {
		s++ // skip the separating space
	}
	if d == 0 && n.op0 != "" && !n.hasColl0 {
		n.coll0 = [2]int{s, e}
		n.hasColl0 = true
	}
	if n.opAny != "" && d == n.opAnyDepth && !n.hasCAn {
		n.collAny = [2]int{s, e}
		n.hasCAn = true
	}
}

func (n *Normalizer) completeTargets(f *frame) {
	if f.ts == tsIn || f.ts == tsInDot {
		n.completeTarget(f, n.depthOf(f))
	}
}

func (n *Normalizer) depthOf(f *frame) int {
	for d := n.top; d >= 0; d-- {
		if &n.stack[d] == f {
			return d
		}
	}
	return n.top
}
