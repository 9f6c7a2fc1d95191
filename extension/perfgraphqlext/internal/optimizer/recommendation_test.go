package optimizer

import "testing"

// Priorities is the one order of priorities; PriorityRank follows it.
func TestPriorityRank(t *testing.T) {
	for p, want := range map[string]int{Low: 1, Medium: 2, High: 3, Critical: 4, "": 0, "URGENT": 0, "low": 0} {
		if got := PriorityRank(p); got != want {
			t.Errorf("PriorityRank(%q) = %d, want %d", p, got, want)
		}
	}
}
