package rollup

import "time"

// Window is a range [From, To) at minute resolution (UTC). The partial hours at its edges are
// read from the minute rollups, which are kept only since MinuteSince: an edge before it is
// rounded out to its hour (Resolve, SplitWindow). The zero MinuteSince: minute rows everywhere.
type Window struct {
	From, To    time.Time
	MinuteSince time.Time
}

// Resolve is the window [from, to) rounded out to whole minutes, or to whole hours for an
// edge older than minuteSince.
func Resolve(from, to, minuteSince time.Time) Window {
	w := Window{From: FloorMinute(from), To: CeilMinute(to), MinuteSince: minuteSince}
	return w.rounded()
}

// rounded rounds the edges older than MinuteSince out to their hours.
func (w Window) rounded() Window {
	if w.From.Before(w.MinuteSince) {
		w.From = FloorHour(w.From)
	}
	if w.To.Before(w.MinuteSince) {
		w.To = CeilHour(w.To)
	}
	return w
}

// Prev is the equal period before the window.
func (w Window) Prev() Window {
	return Window{From: w.From.Add(-w.To.Sub(w.From)), To: w.From, MinuteSince: w.MinuteSince}.rounded()
}

// Hours the window spans.
func (w Window) Hours() float64 { return w.To.Sub(w.From).Hours() }

// FloorHour is the start of t's UTC hour.
func FloorHour(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// CeilHour is t rounded up to a whole UTC hour.
func CeilHour(t time.Time) time.Time { return ceil(t, time.Hour) }

// FloorMinute is the start of t's minute.
func FloorMinute(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }

// CeilMinute is t rounded up to a whole minute.
func CeilMinute(t time.Time) time.Time { return ceil(t, time.Minute) }

func ceil(t time.Time, d time.Duration) time.Time {
	f := t.UTC().Truncate(d)
	if f.Equal(t.UTC()) {
		return f
	}
	return f.Add(d)
}
