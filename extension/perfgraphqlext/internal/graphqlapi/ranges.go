package graphqlapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// DateTime is the GraphQL DateTime scalar (RFC 3339).
type DateTime struct{ time.Time }

// ImplementsGraphQLType maps the type to the DateTime scalar.
func (DateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

// UnmarshalGraphQL parses an RFC 3339 string.
func (t *DateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("DateTime must be an RFC 3339 string, got %T", input)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("DateTime %q is not RFC 3339 (e.g. 2026-01-02T15:04:05Z)", s)
	}
	t.Time = v
	return nil
}

// MarshalJSON writes RFC 3339 in UTC.
func (t DateTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(time.RFC3339) + `"`), nil
}

// maxRangeSpan bounds explicit from/to ranges.
const maxRangeSpan = 31 * 24 * time.Hour

var timeRanges = map[string]time.Duration{
	"LAST_HOUR":     time.Hour,
	"LAST_6_HOURS":  6 * time.Hour,
	"LAST_24_HOURS": 24 * time.Hour,
	"LAST_7_DAYS":   7 * 24 * time.Hour,
	"LAST_30_DAYS":  30 * 24 * time.Hour,
}

// resolveWindow turns the timeRange / from / to arguments into a window at minute
// resolution (rollup.Resolve; edges before minuteSince, where no minute rollups are kept,
// are rounded out to their hours). A relative range is the d ending with the current
// minute (LAST_HOUR: the 60 minutes [ceil(now) - 60m, ceil(now))). Exactly one of timeRange
// and from/to may be given; neither means LAST_24_HOURS.
func resolveWindow(now, minuteSince time.Time, timeRange *string, from, to *DateTime) (rollup.Window, error) {
	var f, t time.Time
	switch {
	case timeRange != nil && (from != nil || to != nil):
		return rollup.Window{}, userErrorf("give either timeRange or from/to, not both")
	case from != nil || to != nil:
		if from == nil || to == nil {
			return rollup.Window{}, userErrorf("from and to must be given together")
		}
		f, t = from.Time, to.Time
		if !f.Before(t) {
			return rollup.Window{}, userErrorf("from (%s) must be before to (%s)", f.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
		}
		if t.Sub(f) > maxRangeSpan {
			return rollup.Window{}, userErrorf("from/to span %s; at most 31 days", t.Sub(f).Round(time.Hour))
		}
	default:
		name := "LAST_24_HOURS"
		if timeRange != nil {
			name = *timeRange
		}
		d, ok := timeRanges[name]
		if !ok {
			return rollup.Window{}, userErrorf("unknown timeRange %q", name)
		}
		t = rollup.CeilMinute(now)
		f = t.Add(-d)
	}
	return rollup.Resolve(f, t, minuteSince), nil
}

var intervals = map[string]time.Duration{
	"1m": time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1h": time.Hour, "6h": 6 * time.Hour, "1d": 24 * time.Hour,
}

// resolveInterval validates an interval argument against the window and the points cap.
// minimum: the finest interval the source supports; def: used when absent.
func resolveInterval(arg *string, w rollup.Window, minimum, def time.Duration, maxPoints int) (time.Duration, error) {
	iv := def
	if arg != nil {
		d, ok := intervals[strings.TrimSpace(*arg)]
		if !ok {
			return 0, userErrorf("interval %q is not one of 1m, 5m, 15m, 30m, 1h, 6h, 1d", *arg)
		}
		iv = d
	}
	if iv < minimum {
		return 0, userErrorf("interval %s is finer than this series supports (at least %s)", fmtInterval(iv), fmtInterval(minimum))
	}
	if pts := int(w.To.Sub(w.From) / iv); pts > maxPoints {
		return 0, userErrorf("interval %s over this range gives %d points; at most %d: choose a coarser interval or a shorter range", fmtInterval(iv), pts, maxPoints)
	}
	return iv, nil
}

func fmtInterval(d time.Duration) string {
	for k, v := range intervals {
		if v == d {
			return k
		}
	}
	return d.String()
}
