package graphqlapi

// traceDbSpans: the database spans of one trace (reads.Trace), for the dashboard's N+1 waterfall.

import (
	"context"
	"encoding/hex"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
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
		spans, truncated, req, err := reads.Trace(ctx, tx, tid, w, uuid, maxTraceSpans)
		if err != nil {
			return err
		}
		out.Truncated = truncated
		var base time.Time
		if req != nil {
			base = req.Start
			out.Request = &TraceRequest{Label: endpointName(req.Method, req.Route), Service: req.Service, DurationMs: float64(req.DurationUs) / 1000}
		} else if len(spans) > 0 {
			base = spans[0].Start
		}
		for _, s := range spans {
			out.Spans = append(out.Spans, &TraceDbSpan{QueryHash: fpHex(s.Fingerprint), Summary: s.Summary,
				StartOffsetMs: float64(s.Start.Sub(base).Microseconds()) / 1000, DurationMs: float64(s.DurationUs) / 1000, IsError: s.IsError})
		}
		return nil
	})
	if err != nil {
		return nil, publicError(ctx, r.logger, op, err)
	}
	return out, nil
}
