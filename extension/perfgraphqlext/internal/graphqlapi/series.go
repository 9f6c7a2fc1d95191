package graphqlapi

// Time series (reads.Series), shared by the detail queries and trafficSeries.

import (
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

type TimePoint struct {
	Timestamp DateTime
	Count     int32
	Errors    int32
	AvgMs     *float64
	P50Ms     *float64
	P95Ms     *float64
	P99Ms     *float64
	MaxMs     *float64
}

// timePoints maps a series of the read model (reads.Series).
func timePoints(ps []reads.Point, err error) ([]*TimePoint, error) {
	if err != nil {
		return nil, err
	}
	out := []*TimePoint{}
	for _, x := range ps {
		n := x.Count
		p := &TimePoint{Timestamp: DateTime{x.Bucket}, Count: i32(n), Errors: i32(x.Errors)}
		if n > 0 {
			avg, m := float64(x.SumUs)/1000/float64(n), float64(x.MaxUs)/1000
			p.AvgMs, p.MaxMs = &avg, &m
		}
		if q := x.Q; len(q) == 3 {
			p.P50Ms, p.P95Ms, p.P99Ms = rollup.Ms(q[0]), rollup.Ms(q[1]), rollup.Ms(q[2])
		}
		out = append(out, p)
	}
	return out, nil
}

// detailInterval is the interval of a detail series: default 1h (1d beyond 2 days);
// intervals under an hour (read from the minute rollups) when the whole window is within
// their retention.
func detailInterval(arg *string, w rollup.Window, maxPoints int) (time.Duration, error) {
	def := time.Hour
	if w.Hours() > 48 {
		def = 24 * time.Hour
	}
	minimum := time.Hour
	if !w.MinuteSince.IsZero() && !w.From.Before(w.MinuteSince) {
		minimum = time.Minute
	}
	return resolveInterval(arg, w, minimum, def, maxPoints)
}

// rollupTable is the minute rollup for intervals under an hour, else the hourly one.
func rollupTable(hourly, minutely string, iv time.Duration) string {
	if iv < time.Hour {
		return minutely
	}
	return hourly
}
