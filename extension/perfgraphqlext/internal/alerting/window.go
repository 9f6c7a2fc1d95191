package alerting

import (
	"context"
	_ "embed"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	//go:embed sql/window_raw.sql
	sqlWindowRaw string
	//go:embed sql/window_rollup.sql
	sqlWindowRollup string
)

// rawBelow: windows shorter than this (seconds, as tests use) are read from the request
// log, exactly. Longer ones are read through the endpoint range reader (perf_endpoint_range):
// whole days, whole hours, and the minute rollups of the partial hours at the edges, so a
// window is widened to whole minutes (a 5m window reads 5 to 6 minutes). Every window read
// of the rules goes through readWindow: this is the one place that decides.
const rawBelow = 5 * time.Minute

// counts of one endpoint over a window
type counts struct {
	EndpointID, ServiceID int32
	Requests              int64
	Status5xx             int64
	UnderThreshold        int64 // requests that took at most the latency threshold
	Errors                int64
	SatisfiedOK           int64 // not errors, at most the apdex target
	ToleratingOrBetterOK  int64 // not errors, at most 4 times the apdex target
}

func (c *counts) add(o counts) {
	c.Requests += o.Requests
	c.Status5xx += o.Status5xx
	c.UnderThreshold += o.UnderThreshold
	c.Errors += o.Errors
	c.SatisfiedOK += o.SatisfiedOK
	c.ToleratingOrBetterOK += o.ToleratingOrBetterOK
}

// readWindow returns per endpoint counts of [now-window, now) for a tenant. minuteRetention
// is how long minute rollups are kept: a window reaching further back starts at its whole
// hour instead, since the minutes of its first hour may be gone.
func readWindow(ctx context.Context, db querier, tid int32, now time.Time, window time.Duration,
	threshold, apdex, minuteRetention time.Duration) ([]counts, error) {
	from := now.Add(-window)
	q := sqlWindowRollup
	switch {
	case window < rawBelow:
		q = sqlWindowRaw
	case window >= minuteRetention:
		from = from.Truncate(time.Hour)
	}
	rows, err := db.Query(ctx, q, tid, from, now, float64(threshold.Microseconds()), float64(apdex.Microseconds()))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[counts])
}

//go:embed sql/absent_services.sql
var sqlAbsentServices string

// absentServices: services that sent requests within lookback but none in the last silentFor.
// Whether a service sent within lookback is read from the hourly rollups (the hour of
// now-lookback counts whole); the silence from the request log, which is exact.
func absentServices(ctx context.Context, db querier, tid int32, now time.Time, silentFor, lookback time.Duration, service *string) ([]string, error) {
	rows, err := db.Query(ctx, sqlAbsentServices, tid, now.Add(-lookback).Truncate(time.Hour), now.Add(-silentFor), service)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
