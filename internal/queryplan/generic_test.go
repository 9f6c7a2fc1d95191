package queryplan

import "testing"

func TestToParams(t *testing.T) {
	got, n := ToParams("SELECT * FROM t WHERE a = ? AND b > now() - INTERVAL ? AND c = '?'")
	if got != "SELECT * FROM t WHERE a = $1 AND b > now() - $2::interval AND c = '?'" || n != 2 {
		t.Errorf("%q %d", got, n)
	}
}
