package rollup

import "time"

// Window is a range resolved at hour granularity: [From, To), whole UTC hours.
type Window struct {
	From, To time.Time
}

// Prev is the equal period before the window.
func (w Window) Prev() Window {
	return Window{From: w.From.Add(-w.To.Sub(w.From)), To: w.From}
}

// Hours the window spans.
func (w Window) Hours() float64 { return w.To.Sub(w.From).Hours() }

// FloorHour is the start of t's UTC hour.
func FloorHour(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// CeilHour is t rounded up to a whole UTC hour.
func CeilHour(t time.Time) time.Time {
	f := FloorHour(t)
	if f.Equal(t.UTC()) {
		return f
	}
	return f.Add(time.Hour)
}
