package graphqlapi

import (
	"testing"
	"time"
)

func TestLastHourIsTheLastSixtyMinutes(t *testing.T) {
	now := time.Date(2026, 3, 9, 11, 30, 20, 0, time.UTC)
	name := "LAST_HOUR"
	w, err := resolveWindow(now, now.Add(-48*time.Hour), &name, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.To.Sub(w.From) != time.Hour || !w.To.Equal(time.Date(2026, 3, 9, 11, 31, 0, 0, time.UTC)) {
		t.Errorf("LAST_HOUR at 11:30:20 is [%s, %s), want the 60 minutes ending with the current one", w.From, w.To)
	}
}
