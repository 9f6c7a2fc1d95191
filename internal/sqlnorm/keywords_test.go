package sqlnorm

import (
	"os"
	"strings"
	"testing"
)

// TestKeywordTable pins the keywords parsed from keywords.txt, in order with their flags and
// ids, to testdata/keywords_v1.txt (one keyword a line, written from the Go table that
// keywords.txt replaced): a change of either is a change of fingerprints and must be
// deliberate.
func TestKeywordTable(t *testing.T) {
	want, err := os.ReadFile("testdata/keywords_v1.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range keywordList {
		kw := &keywordList[i]
		b.WriteString(kw.name)
		for i, n := range kwFlagNames {
			if kw.flags&(1<<i) != 0 {
				b.WriteString(" " + n)
			}
		}
		if kw.id != kwOther {
			b.WriteString(" id:" + kwIDNames[kw.id])
		}
		b.WriteString("\n")
		var h uint32 = kwHashInit
		for i := 0; i < len(kw.lower); i++ {
			h = kwHashStep(h, kw.lower[i])
		}
		if got := lookupKeyword(h, strings.ToLower(kw.name)); got != kw {
			t.Errorf("lookupKeyword(%q) = %v", kw.name, got)
		}
	}
	if got := b.String(); got != string(want) {
		t.Errorf("keywords.txt parses to\n%s\nwant testdata/keywords_v1.txt:\n%s", got, want)
	}
	if len(keywordList) != 179 {
		t.Errorf("%d keywords, want 179", len(keywordList))
	}
}

func TestParseKeywordsRejects(t *testing.T) {
	for _, text := range []string{"SELECT op-anywhere", "SELECT id:nope", "op-any"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("parseKeywords(%q) did not panic", text)
				}
			}()
			parseKeywords(text)
		}()
	}
}
