package graphqlapi

import "testing"

func TestParseFingerprintAcceptsWhatTheAPIAlwaysTook(t *testing.T) {
	for in, want := range map[string]int64{
		"00000000000000ab":   0xab,
		"ab":                 0xab,
		"0xAB":               0xab,
		" 00000000000000AB ": 0xab,
		"ffffffffffffffff":   -1,
	} {
		got, err := parseFingerprint(in)
		if err != nil || got != want {
			t.Errorf("parseFingerprint(%q) = %d, %v; want %d", in, got, err, want)
		}
		if in == "00000000000000ab" && fpHex(got) != in {
			t.Errorf("fpHex(%d) = %q, want %q", got, fpHex(got), in)
		}
	}
	for _, in := range []string{"", "0x", "xyz", "00000000000000000", "12 34", "-1"} {
		if _, err := parseFingerprint(in); err == nil {
			t.Errorf("parseFingerprint(%q) accepted", in)
		}
	}
}
