package spanrows

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// The exporter's in-batch attribution and the rollups' (the SQL function
// perf_attributed_queries, the source of truth) give every DB span the same endpoint.
func TestAttributionAgreesWithSQL(t *testing.T) {
	t.Parallel()
	h0 := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	sec := func(s float64) time.Time { return h0.Add(time.Duration(s * float64(time.Second))) }
	trace := func(n byte) [16]byte { return [16]byte{15: n} }
	longest := time.Duration(math.MaxInt32) * time.Microsecond
	api := []APIRow{
		{TS: sec(0), SpanID: 101, TraceID: trace(1), Service: 1, Endpoint: 11, DurationUS: 10_000_000},
		{TS: sec(2), SpanID: 102, TraceID: trace(1), Service: 1, Endpoint: 12, DurationUS: 3_000_000}, // nested in 101
		{TS: sec(0), SpanID: 103, TraceID: trace(1), Service: 2, Endpoint: 13, DurationUS: 60_000_000},
		{TS: sec(20), SpanID: 105, TraceID: trace(2), Service: 1, Endpoint: 14, DurationUS: 5_000_000},
		{TS: sec(20), SpanID: 104, TraceID: trace(2), Service: 1, Endpoint: 15, DurationUS: 5_000_000}, // same start: lower span id
		{TS: sec(10).Add(-longest), SpanID: 106, TraceID: trace(3), Service: 1, Endpoint: 16, DurationUS: math.MaxInt32},
		{TS: h0.Add(-40 * time.Minute), SpanID: 107, TraceID: trace(4), Service: 1, Endpoint: 17, DurationUS: math.MaxInt32},
		// rounding at both ends: [40 s, 41 s] widened by the slack
		{TS: sec(40), SpanID: 108, TraceID: trace(5), Service: 1, Endpoint: 18, DurationUS: 1_000_000},
		// a request whose start is within the slack after its parent request's DB span
		{TS: sec(50), SpanID: 109, TraceID: trace(6), Service: 1, Endpoint: 19, DurationUS: 2_000_000},
		{TS: sec(51).Add(500 * time.Microsecond), SpanID: 110, TraceID: trace(6), Service: 1, Endpoint: 20, DurationUS: 500_000},
		// two sibling requests, a DB span in the slack of both: the later-starting one
		{TS: sec(60), SpanID: 111, TraceID: trace(7), Service: 1, Endpoint: 21, DurationUS: 1_000_000},
		{TS: sec(61).Add(1500 * time.Microsecond), SpanID: 112, TraceID: trace(7), Service: 1, Endpoint: 22, DurationUS: 1_000_000},
		// a request of the next hour that starts just after a DB span of this one
		{TS: h0.Add(time.Hour + 500*time.Microsecond), SpanID: 113, TraceID: trace(8), Service: 1, Endpoint: 23, DurationUS: 1_000_000},
		// a request that ended just before the window
		{TS: h0.Add(-time.Second), SpanID: 114, TraceID: trace(10), Service: 1, Endpoint: 24, DurationUS: 999_500},
	}
	queries := []struct {
		q    QueryRow
		want int32
	}{
		{QueryRow{TS: sec(1), TraceID: trace(1), Service: 1}, 11},
		{QueryRow{TS: sec(3), TraceID: trace(1), Service: 1}, 12}, // the innermost request
		{QueryRow{TS: sec(2), TraceID: trace(1), Service: 1}, 12}, // at its start
		{QueryRow{TS: sec(5), TraceID: trace(1), Service: 1}, 12}, // at its end
		{QueryRow{TS: sec(10), TraceID: trace(1), Service: 1}, 11},
		{QueryRow{TS: sec(10).Add(time.Microsecond), TraceID: trace(1), Service: 1}, 11},                   // within the slack after its end
		{QueryRow{TS: sec(10).Add(AttributionSlack + time.Microsecond), TraceID: trace(1), Service: 1}, 0}, // after every request
		{QueryRow{TS: sec(30), TraceID: trace(1), Service: 2}, 13},                                         // another service's request
		{QueryRow{TS: sec(21), TraceID: trace(2), Service: 1}, 15},
		{QueryRow{TS: sec(10), TraceID: trace(3), Service: 1}, 16},                                          // the longest request, started last hour
		{QueryRow{TS: sec(1), TraceID: trace(4), Service: 1}, 0},                                            // that request ended before
		{QueryRow{TS: sec(1), TraceID: trace(9), Service: 1}, 0},                                            // no request in the trace
		{QueryRow{TS: sec(41).Add(AttributionSlack), TraceID: trace(5), Service: 1}, 18},                    // in the last ms after its end
		{QueryRow{TS: sec(41).Add(AttributionSlack + time.Microsecond), TraceID: trace(5), Service: 1}, 0},  // beyond it
		{QueryRow{TS: sec(40).Add(-AttributionSlack), TraceID: trace(5), Service: 1}, 18},                   // the ms before its start
		{QueryRow{TS: sec(40).Add(-AttributionSlack - time.Microsecond), TraceID: trace(5), Service: 1}, 0}, // before that
		{QueryRow{TS: sec(51), TraceID: trace(6), Service: 1}, 19},                                          // exactly in 109 only: 109
		{QueryRow{TS: sec(51).Add(600 * time.Microsecond), TraceID: trace(6), Service: 1}, 20},              // exactly in both: the innermost
		{QueryRow{TS: sec(61).Add(800 * time.Microsecond), TraceID: trace(7), Service: 1}, 22},              // in the slack of both
		{QueryRow{TS: h0.Add(time.Hour - 300*time.Microsecond), TraceID: trace(8), Service: 1}, 23},         // its request is in the next hour
		{QueryRow{TS: h0.Add(200 * time.Microsecond), TraceID: trace(10), Service: 1}, 24},                  // its request ended last hour
	}

	b := Batch{API: api}
	for i, c := range queries {
		c.q.SpanID, c.q.Tenant = int64(1000+i), 1
		b.Queries = append(b.Queries, c.q)
	}
	b.attributeEndpoints()

	pool, _ := perfdbtest.NewMigratedPool(t)
	ctx := context.Background()
	if _, err := perfdb.CreatePartitions(ctx, pool, h0.Add(-time.Hour), h0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, a := range api {
		perfdbtest.Exec(t, pool, `INSERT INTO api_performance_log (ts, span_id, trace_id, service_id, endpoint_id,
			duration_us, request_size, response_size, status_code, tenant_id, is_error)
			VALUES ($1, $2, $3, $4, $5, $6, -1, -1, 200, 1, false)`, a.TS, a.SpanID, a.TraceID, a.Service, a.Endpoint, a.DurationUS)
	}
	for _, q := range b.Queries {
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log (ts, fingerprint, span_id, parent_span_id, trace_id,
			service_id, endpoint_id, db_id, duration_us, rows_returned, tenant_id, is_error)
			VALUES ($1, 1, $2, 0, $3, $4, 0, 1, 10, -1, 1, false)`, q.TS, q.SpanID, q.TraceID, q.Service)
	}
	rows, err := pool.Query(ctx, "SELECT span_id, endpoint_id FROM perf_attributed_queries(1, $1, $2)", h0, h0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// the exporter's copy of the slack is the SQL function's
	if slack := perfdbtest.Scalar[time.Duration](t, pool, "SELECT perf_attribution_slack()"); slack != AttributionSlack {
		t.Errorf("perf_attribution_slack() = %s, spanrows.AttributionSlack = %s", slack, AttributionSlack)
	}
	inSQL := map[int64]int32{}
	for rows.Next() {
		var span int64
		var endpoint int32
		if err := rows.Scan(&span, &endpoint); err != nil {
			t.Fatal(err)
		}
		inSQL[span] = endpoint
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(inSQL) != len(queries) {
		t.Fatalf("SQL attributed %d spans, want %d", len(inSQL), len(queries))
	}
	for i, q := range b.Queries {
		if q.Endpoint != queries[i].want || inSQL[q.SpanID] != queries[i].want {
			t.Errorf("query at %s (trace %d, service %d): Go %d, SQL %d, want %d",
				q.TS.Format(time.TimeOnly+".000000"), q.TraceID[15], q.Service, q.Endpoint, inSQL[q.SpanID], queries[i].want)
		}
	}
}
