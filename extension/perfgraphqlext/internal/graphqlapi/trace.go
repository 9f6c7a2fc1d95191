package graphqlapi

// traceDbSpans: the database spans of one trace, for the dashboard's N+1 waterfall.

import (
	"context"
	"encoding/hex"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxTraceSpans caps the spans of one answer: a loop of hundreds shows its shape already.
const maxTraceSpans = 500

type TraceDbSpans struct {
	TraceId   string
	Request   *TraceRequest
	Spans     []*TraceDbSpan
	Truncated bool
}

type TraceRequest struct {
	Label         string
	Service       string
	StartOffsetMs float64
	DurationMs    float64
}

type TraceDbSpan struct {
	QueryHash     string
	Summary       string
	StartOffsetMs float64
	DurationMs    float64
	IsError       bool
}

func (r *resolver) TraceDbSpans(ctx context.Context, args struct {
	TraceId   string
	TimeRange *string
	From      *DateTime
	To        *DateTime
}) (*TraceDbSpans, error) {
	const op = "traceDbSpans"
	id := strings.ToLower(strings.TrimSpace(args.TraceId))
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != 16 {
		return nil, userErrorf("%s: traceId must be 32 hex digits", op)
	}
	tenant, w, err := r.begin(ctx, op, 3, rangeArgs{args.TimeRange, args.From, args.To})
	if err != nil {
		return nil, err
	}
	var uuid [16]byte
	copy(uuid[:], b)
	out := &TraceDbSpans{TraceId: id, Spans: []*TraceDbSpan{}}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		type span struct {
			ts      time.Time
			us      int64
			fp      int64
			summary string
			isErr   bool
		}
		rows, err := tx.Query(ctx, traceDBSpansSQL, tid, w.From, w.To, uuid, maxTraceSpans+1)
		if err != nil {
			return err
		}
		var spans []span
		for rows.Next() {
			var s span
			if err := rows.Scan(&s.ts, &s.us, &s.fp, &s.summary, &s.isErr); err != nil {
				rows.Close()
				return err
			}
			spans = append(spans, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(spans) > maxTraceSpans {
			spans, out.Truncated = spans[:maxTraceSpans], true
		}
		var base time.Time
		var reqTs time.Time
		var reqUs int64
		var method, route, service string
		switch err := tx.QueryRow(ctx, traceRequestSQL, tid, w.From, w.To, uuid).Scan(&reqTs, &reqUs, &method, &route, &service); err {
		case nil:
			base = reqTs
			out.Request = &TraceRequest{Label: endpointName(method, route), Service: service, DurationMs: float64(reqUs) / 1000}
		case pgx.ErrNoRows:
			if len(spans) > 0 {
				base = spans[0].ts
			}
		default:
			return err
		}
		for _, s := range spans {
			out.Spans = append(out.Spans, &TraceDbSpan{QueryHash: fpHex(s.fp), Summary: s.summary,
				StartOffsetMs: float64(s.ts.Sub(base).Microseconds()) / 1000, DurationMs: float64(s.us) / 1000, IsError: s.isErr})
		}
		return nil
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}
