package sqlnorm

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

// Keyword handling. The keywords and their flags are data, in keywords.txt (which says
// what makes a keyword and why edits are breaking); init parses it once into keywordList
// and the open-addressing table lookupKeyword reads.

type kwFlags uint32

const (
	kfFunc          kwFlags = 1 << iota // function-like: written without a space before '(' / '['
	kfValue                             // an operand (END, CURRENT_DATE, NULL, DEFAULT)
	kfOpAny                             // operation wherever it appears (SELECT)
	kfOpDML                             // operation at statement start, after ')' or after EXPLAIN/ANALYZE
	kfOpStart                           // operation only at statement start
	kfTableIntro                        // introduces a collection name (FROM, JOIN, INTO, ...)
	kfSkipTable                         // may sit between an introducer and the collection name
	kfClauseEnd                         // ends a FROM list
	kfPrefix                            // EXPLAIN-like prefix after which a DML operation may follow
	kfLitish                            // allowed inside a literal-only list item (NULL, DEFAULT, ARRAY, INTERVAL)
	kfExpectAfterOp                     // after this operation the next name is its collection
)

// kwFlagNames are the flags' names in keywords.txt, in bit order.
var kwFlagNames = [...]string{"func", "value", "op-any", "op-dml", "op-start", "table-intro",
	"skip-table", "clause-end", "prefix", "litish", "expect-after-op"}

type kwID uint8

const (
	kwOther kwID = iota
	kwIN
	kwARRAY
	kwVALUES
	kwAS
	kwFROM
	kwJOIN
	kwUSING
	kwUPDATE
	kwNULL
	kwASC
	kwBOOL
	kwIDCount
)

// kwIDNames are the ids' names in keywords.txt (id:name), in kwID order.
var kwIDNames = [kwIDCount]string{"", "in", "array", "values", "as", "from", "join", "using", "update", "null", "asc", "bool"}

type keyword struct {
	name  string // canonical upper-case spelling
	lower string
	flags kwFlags
	id    kwID
}

const maxKwLen = 20

//go:embed keywords.txt
var keywordsTxt string

var keywordList = parseKeywords(keywordsTxt)

// parseKeywords reads keywords.txt; a malformed line is a programming error and panics at init.
func parseKeywords(text string) []keyword {
	var list []keyword
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		var names []string
		var flags kwFlags
		var id kwID
		for _, f := range strings.Fields(line) {
			switch {
			case strings.ToUpper(f) == f:
				names = append(names, f)
			case strings.HasPrefix(f, "id:"):
				i := slices.Index(kwIDNames[:], f[3:])
				if i <= 0 {
					panic(fmt.Sprintf("sqlnorm: keywords.txt:%d: unknown %s", n+1, f))
				}
				id = kwID(i)
			default:
				i := slices.Index(kwFlagNames[:], f)
				if i < 0 {
					panic(fmt.Sprintf("sqlnorm: keywords.txt:%d: unknown flag %s", n+1, f))
				}
				flags |= 1 << i
			}
		}
		if len(names) == 0 && (flags != 0 || id != 0) {
			panic(fmt.Sprintf("sqlnorm: keywords.txt:%d: flags without a keyword", n+1))
		}
		for _, name := range names {
			list = append(list, keyword{name: name, flags: flags, id: id})
		}
	}
	return list
}

const kwTableSize = 1024 // power of two, > 4x the number of keywords

var (
	kwTable  [kwTableSize]uint16 // index+1 into keywordList, 0 = empty
	lowerTab [256]byte
)

func init() {
	for i := range lowerTab {
		c := byte(i)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lowerTab[i] = c
	}
	for i := range keywordList {
		kw := &keywordList[i]
		b := []byte(kw.name)
		for j := range b {
			b[j] = lowerTab[b[j]]
		}
		kw.lower = string(b)
		if len(kw.name) > maxKwLen {
			panic("sqlnorm: keyword too long: " + kw.name)
		}
		h := kwHashInit
		for _, c := range b {
			h = kwHashStep(h, c)
		}
		slot := h & (kwTableSize - 1)
		for kwTable[slot] != 0 {
			if keywordList[kwTable[slot]-1].lower == kw.lower {
				panic("sqlnorm: duplicate keyword " + kw.name)
			}
			slot = (slot + 1) & (kwTableSize - 1)
		}
		kwTable[slot] = uint16(i + 1)
	}
}

const kwHashInit uint32 = 2166136261

// kwHashStep is FNV-1a over lower-cased bytes; only used for the in-memory
// keyword table, never persisted.
func kwHashStep(h uint32, lc byte) uint32 {
	return (h ^ uint32(lc)) * 16777619
}

// lookupKeyword finds w (any case) given h, the kwHash of its lower-cased bytes.
func lookupKeyword(h uint32, w string) *keyword {
	slot := h & (kwTableSize - 1)
	for {
		idx := kwTable[slot]
		if idx == 0 {
			return nil
		}
		kw := &keywordList[idx-1]
		if len(kw.lower) == len(w) && equalFoldASCII(kw.lower, w) {
			return kw
		}
		slot = (slot + 1) & (kwTableSize - 1)
	}
}

// equalFoldASCII reports whether w equals lower (already lower-case) ignoring ASCII case.
func equalFoldASCII(lower, w string) bool {
	for i := 0; i < len(w); i++ {
		if lowerTab[w[i]] != lower[i] {
			return false
		}
	}
	return true
}
