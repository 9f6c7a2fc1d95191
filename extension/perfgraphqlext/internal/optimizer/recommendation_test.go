package optimizer

import (
	"strings"
	"testing"
	"time"
)

// Every kind a detector of the engine owns has its own id prefix: an id says what kind of
// recommendation it is, as the others do (a kind missing from idPrefix got the generic "rec-").
func TestEveryKindHasAnIDPrefix(t *testing.T) {
	seen := map[string]string{}
	for _, d := range New(DefaultConfig(), nil).detectors {
		for _, k := range d.kinds {
			p := idPrefix[k]
			if p == "" {
				t.Errorf("kind %s (detector %s) has no id prefix", k, d.name)
				continue
			}
			if other, ok := seen[p]; ok {
				t.Errorf("kinds %s and %s share the id prefix %q", other, k, p)
			}
			seen[p] = k
			if id := StableID(k, "x"); !strings.HasPrefix(id, p+"-") {
				t.Errorf("StableID(%s) = %s, want prefix %s-", k, id, p)
			}
		}
	}
}

// Priorities is the one order of priorities; PriorityRank follows it.
func TestPriorityRank(t *testing.T) {
	for p, want := range map[string]int{Low: 1, Medium: 2, High: 3, Critical: 4, "": 0, "URGENT": 0, "low": 0} {
		if got := PriorityRank(p); got != want {
			t.Errorf("PriorityRank(%q) = %d, want %d", p, got, want)
		}
	}
}

// Every detector names its window one way: its length and its bounds, to the minute.
func TestJudgedWindow(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ from, to, want string }{
		{"2026-11-30 13:00:00", "2026-12-01 12:49:40", "the last 23 h 49 min (2026-11-30 13:00 – 2026-12-01 12:49 UTC)"},
		{"2026-12-01 12:00:00", "2026-12-01 12:45:10", "the last 45 min (2026-12-01 12:00 – 12:45 UTC)"},
		{"2026-11-30 12:00:00", "2026-12-01 12:00:00", "the last 24 h (2026-11-30 12:00 – 2026-12-01 12:00 UTC)"},
	} {
		if got := judgedWindow(at(c.from), at(c.to)); got != c.want {
			t.Errorf("judgedWindow(%s, %s) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
	// a detector's text carries it
	e := &env{from: at("2026-12-01 12:00:00"), to: at("2026-12-01 12:45:10")}
	if e.window() != "the last 45 min (2026-12-01 12:00 – 12:45 UTC)" {
		t.Errorf("env.window() = %q", e.window())
	}
}
