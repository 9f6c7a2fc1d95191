package sqlnorm

// Keyword handling. A word is a keyword when its ASCII-lower-cased text is in
// the table below; keywords are written upper-case, every other unquoted word
// is an identifier and is written lower-case. The list is deliberately limited
// to reserved or near-reserved words: common column and table names (name,
// type, key, value, status, date, user, ...) are NOT keywords, so they stay
// identifiers and can be recognised as collection names.
//
// Changing this list changes normalized text and therefore fingerprints only
// for statements whose words change class (keyword <-> identifier) in a way
// that alters spacing or NULL/TRUE/FALSE/ASC handling; case alone never
// matters because both classes are case-folded. Treat edits as breaking.

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
)

type keyword struct {
	name  string // canonical upper-case spelling
	lower string
	flags kwFlags
	id    kwID
}

const maxKwLen = 20

var keywordList = []keyword{
	// operations
	{name: "SELECT", flags: kfOpAny | kfClauseEnd},
	{name: "INSERT", flags: kfOpDML | kfExpectAfterOp},
	{name: "UPDATE", flags: kfOpDML | kfExpectAfterOp, id: kwUPDATE},
	{name: "DELETE", flags: kfOpDML},
	{name: "MERGE", flags: kfOpDML | kfExpectAfterOp},
	{name: "REPLACE", flags: kfOpStart | kfExpectAfterOp | kfFunc | kfSkipTable},
	{name: "CREATE", flags: kfOpStart | kfExpectAfterOp},
	{name: "ALTER", flags: kfOpStart | kfExpectAfterOp},
	{name: "DROP", flags: kfOpStart | kfExpectAfterOp},
	{name: "TRUNCATE", flags: kfOpStart | kfExpectAfterOp},
	{name: "CALL", flags: kfOpStart | kfExpectAfterOp},
	{name: "EXEC", flags: kfOpStart | kfExpectAfterOp},
	{name: "EXECUTE", flags: kfOpStart | kfExpectAfterOp},
	{name: "COPY", flags: kfOpStart | kfExpectAfterOp},
	{name: "VACUUM", flags: kfOpStart | kfExpectAfterOp},
	{name: "REINDEX", flags: kfOpStart | kfExpectAfterOp},
	{name: "CLUSTER", flags: kfOpStart | kfExpectAfterOp},
	{name: "REFRESH", flags: kfOpStart | kfExpectAfterOp},
	{name: "LOCK", flags: kfOpStart},
	{name: "ANALYZE", flags: kfOpStart | kfPrefix | kfSkipTable | kfExpectAfterOp},
	{name: "EXPLAIN", flags: kfOpStart | kfPrefix},
	{name: "VERBOSE", flags: kfPrefix | kfSkipTable},
	{name: "BEGIN", flags: kfOpStart},
	{name: "COMMIT", flags: kfOpStart},
	{name: "ROLLBACK", flags: kfOpStart},
	{name: "SAVEPOINT", flags: kfOpStart},
	{name: "RELEASE", flags: kfOpStart},
	{name: "START", flags: kfOpStart},
	{name: "SET", flags: kfOpStart | kfClauseEnd},
	{name: "SHOW", flags: kfOpStart},
	{name: "GRANT", flags: kfOpStart},
	{name: "REVOKE", flags: kfOpStart},
	{name: "DO", flags: kfOpStart},
	{name: "USE", flags: kfOpStart},
	{name: "PREPARE", flags: kfOpStart},
	{name: "DEALLOCATE", flags: kfOpStart},
	{name: "DECLARE", flags: kfOpStart},
	{name: "FETCH", flags: kfOpStart | kfClauseEnd},
	{name: "LISTEN", flags: kfOpStart},
	{name: "NOTIFY", flags: kfOpStart},
	{name: "UNLISTEN", flags: kfOpStart},
	{name: "DISCARD", flags: kfOpStart},
	{name: "RESET", flags: kfOpStart},

	// collection introducers
	{name: "FROM", flags: kfTableIntro, id: kwFROM},
	{name: "JOIN", flags: kfTableIntro, id: kwJOIN},
	{name: "STRAIGHT_JOIN", flags: kfTableIntro, id: kwJOIN},
	{name: "USING", flags: kfTableIntro, id: kwUSING},
	{name: "INTO", flags: kfTableIntro | kfSkipTable},
	{name: "TABLE", flags: kfTableIntro | kfSkipTable},

	// words that may sit between an introducer and the name
	{name: "ONLY", flags: kfSkipTable},
	{name: "LATERAL", flags: kfSkipTable},
	{name: "IGNORE", flags: kfSkipTable},
	{name: "LOW_PRIORITY", flags: kfSkipTable},
	{name: "HIGH_PRIORITY", flags: kfSkipTable},
	{name: "DELAYED", flags: kfSkipTable},
	{name: "QUICK", flags: kfSkipTable},
	{name: "IF", flags: kfSkipTable | kfFunc},
	{name: "NOT", flags: kfSkipTable},
	{name: "EXISTS", flags: kfSkipTable},
	{name: "TEMPORARY", flags: kfSkipTable},
	{name: "TEMP", flags: kfSkipTable},
	{name: "UNLOGGED", flags: kfSkipTable},
	{name: "UNIQUE", flags: kfSkipTable},
	{name: "INDEX", flags: kfSkipTable},
	{name: "VIEW", flags: kfSkipTable},
	{name: "MATERIALIZED", flags: kfSkipTable},
	{name: "SEQUENCE", flags: kfSkipTable},
	{name: "SCHEMA", flags: kfSkipTable},
	{name: "CONCURRENTLY", flags: kfSkipTable},
	{name: "OR", flags: kfSkipTable},
	{name: "FUNCTION", flags: kfSkipTable},
	{name: "PROCEDURE", flags: kfSkipTable},
	{name: "TRIGGER", flags: kfSkipTable},
	{name: "DATABASE", flags: kfSkipTable},
	{name: "EXTENSION", flags: kfSkipTable},
	{name: "FULL", flags: kfSkipTable},

	// clause keywords that end a FROM list
	{name: "WHERE", flags: kfClauseEnd},
	{name: "GROUP", flags: kfClauseEnd},
	{name: "HAVING", flags: kfClauseEnd},
	{name: "ORDER", flags: kfClauseEnd},
	{name: "LIMIT", flags: kfClauseEnd},
	{name: "OFFSET", flags: kfClauseEnd},
	{name: "FOR", flags: kfClauseEnd},
	{name: "UNION", flags: kfClauseEnd},
	{name: "INTERSECT", flags: kfClauseEnd},
	{name: "EXCEPT", flags: kfClauseEnd},
	{name: "WINDOW", flags: kfClauseEnd},
	{name: "RETURNING", flags: kfClauseEnd},
	{name: "VALUES", flags: kfClauseEnd, id: kwVALUES},
	{name: "CONFLICT", flags: kfClauseEnd},
	{name: "DUPLICATE", flags: kfClauseEnd},
	{name: "WHEN", flags: kfClauseEnd},

	// literals and operands
	{name: "NULL", flags: kfValue | kfLitish, id: kwNULL},
	{name: "TRUE", id: kwBOOL},
	{name: "FALSE", id: kwBOOL},
	{name: "DEFAULT", flags: kfValue | kfLitish},
	{name: "ARRAY", flags: kfFunc | kfLitish, id: kwARRAY},
	{name: "INTERVAL", flags: kfLitish},
	{name: "END", flags: kfValue},
	{name: "CURRENT_DATE", flags: kfValue},
	{name: "CURRENT_TIME", flags: kfValue},
	{name: "CURRENT_TIMESTAMP", flags: kfValue},
	{name: "CURRENT_USER", flags: kfValue},
	{name: "SESSION_USER", flags: kfValue},
	{name: "LOCALTIME", flags: kfValue},
	{name: "LOCALTIMESTAMP", flags: kfValue},

	// function-like keywords
	{name: "ANY", flags: kfFunc},
	{name: "SOME", flags: kfFunc},
	{name: "ALL", flags: kfFunc},
	{name: "CAST", flags: kfFunc},
	{name: "ROW", flags: kfFunc},
	{name: "LEFT", flags: kfFunc},
	{name: "RIGHT", flags: kfFunc},

	// everything else
	{name: "IN", id: kwIN},
	{name: "AS", id: kwAS},
	{name: "ASC", id: kwASC},
	{name: "AND"}, {name: "BETWEEN"}, {name: "BOTH"}, {name: "BY"},
	{name: "CASE"}, {name: "CHECK"}, {name: "COLLATE"}, {name: "COLUMN"},
	{name: "CONSTRAINT"}, {name: "CROSS"}, {name: "DESC"}, {name: "DISTINCT"},
	{name: "ELSE"}, {name: "ESCAPE"}, {name: "FOREIGN"}, {name: "ILIKE"},
	{name: "INNER"}, {name: "IS"}, {name: "ISNULL"}, {name: "LEADING"},
	{name: "LIKE"}, {name: "NATURAL"}, {name: "NOTNULL"}, {name: "NOWAIT"},
	{name: "NULLS"}, {name: "ON"}, {name: "OUTER"}, {name: "OVER"},
	{name: "PARTITION"}, {name: "PRIMARY"}, {name: "REFERENCES"}, {name: "ROWS"},
	{name: "SHARE"}, {name: "SIMILAR"}, {name: "SKIP"}, {name: "LOCKED"},
	{name: "SYMMETRIC"}, {name: "THEN"}, {name: "TO"}, {name: "TRAILING"},
	{name: "WITH"}, {name: "WITHIN"}, {name: "REGEXP"}, {name: "RLIKE"},
	{name: "DIV"}, {name: "XOR"}, {name: "FORCE"}, {name: "MATCHED"},
	{name: "NOTHING"}, {name: "RECURSIVE"}, {name: "FILTER"}, {name: "FIRST"},
	{name: "LAST"}, {name: "NEXT"}, {name: "OF"}, {name: "CASCADE"},
	{name: "RESTRICT"}, {name: "TRANSACTION"}, {name: "SQL_CALC_FOUND_ROWS"},
	{name: "DISTINCTROW"}, {name: "OVERLAPS"}, {name: "STDIN"}, {name: "STDOUT"},
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
