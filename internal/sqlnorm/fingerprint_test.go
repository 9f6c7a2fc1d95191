package sqlnorm

import (
	"errors"
	"strconv"
	"testing"
)

func TestFingerprintFormatParse(t *testing.T) {
	for _, fp := range []uint64{0, 1, 0xabcdef, 1 << 63, ^uint64(0), 0x0123456789abcdef} {
		s := FormatFingerprint(fp)
		if want := strconv.FormatUint(fp, 16); len(s) != 16 || s[16-len(want):] != want {
			t.Errorf("FormatFingerprint(%#x) = %q", fp, s)
		}
		if got := string(AppendFingerprint([]byte("x"), fp)); got != "x"+s {
			t.Errorf("AppendFingerprint(%#x) = %q, want x%s", fp, got, s)
		}
		if got, err := ParseFingerprint(s); err != nil || got != fp {
			t.Errorf("ParseFingerprint(%q) = %#x, %v", s, got, err)
		}
	}
	if got, err := ParseFingerprint("ABCDEF0123456789"); err != nil || got != 0xabcdef0123456789 {
		t.Errorf("upper case: %#x, %v", got, err)
	}
	for _, bad := range []string{"", "0", "abcdef012345678", "abcdef01234567890", "0x23456789abcdef", "+123456789abcdef", "abcdefg123456789", " bcdef0123456789"} {
		if _, err := ParseFingerprint(bad); !errors.Is(err, ErrFingerprintSyntax) {
			t.Errorf("ParseFingerprint(%q): err %v, want ErrFingerprintSyntax", bad, err)
		}
	}
}
