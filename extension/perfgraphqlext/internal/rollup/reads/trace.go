package reads

// The database spans of one trace and the request that made them.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// TraceSpan is one database span of a trace, with its statement's stored summary.
type TraceSpan struct {
	Start                   time.Time
	DurationUs, Fingerprint int64
	Summary                 string
	IsError                 bool
}

// TraceRequest is the request of a trace.
type TraceRequest struct {
	Start                  time.Time
	DurationUs             int64
	Method, Route, Service string
}

// Trace reads the database spans (earliest first, at most limit; truncated when there were
// more) and the request (nil when none is stored) of trace id within w.
func Trace(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, id [16]byte, limit int) (spans []TraceSpan, truncated bool, req *TraceRequest, err error) {
	rows, err := tx.Query(ctx, traceDBSpansSQL, tid, w.From, w.To, id, limit+1)
	if err != nil {
		return nil, false, nil, err
	}
	for rows.Next() {
		var s TraceSpan
		if err := rows.Scan(&s.Start, &s.DurationUs, &s.Fingerprint, &s.Summary, &s.IsError); err != nil {
			rows.Close()
			return nil, false, nil, err
		}
		spans = append(spans, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, nil, err
	}
	if len(spans) > limit {
		spans, truncated = spans[:limit], true
	}
	var r TraceRequest
	switch err := tx.QueryRow(ctx, traceRequestSQL, tid, w.From, w.To, id).Scan(&r.Start, &r.DurationUs, &r.Method, &r.Route, &r.Service); err {
	case nil:
		return spans, truncated, &r, nil
	case pgx.ErrNoRows:
		return spans, truncated, nil, nil
	default:
		return nil, false, nil, err
	}
}
