package pgwriter

import (
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
)

// apiSource streams a batch's API rows to COPY, mapping batch-local ids to database ids.
type apiSource struct {
	rows []spanrows.APIRow
	m    *ids
	i    int
	vals [11]any
}

func newAPISource(b *spanrows.Batch, m *ids) *apiSource {
	return &apiSource{rows: b.API, m: m, i: -1}
}

func (s *apiSource) Next() bool { s.i++; return s.i < len(s.rows) }
func (s *apiSource) Err() error { return nil }
func (s *apiSource) Values() ([]any, error) {
	r := &s.rows[s.i]
	s.vals = [11]any{r.TS, r.SpanID, r.TraceID, s.m.services[r.Service], s.m.endpoints[r.Endpoint],
		r.DurationUS, r.RequestSize, r.ResponseSize, r.StatusCode, s.m.tenants[r.Tenant], r.IsError}
	return s.vals[:], nil
}

// querySource streams a batch's query rows to COPY.
type querySource struct {
	rows []spanrows.QueryRow
	m    *ids
	i    int
	vals [12]any
}

func newQuerySource(b *spanrows.Batch, m *ids) *querySource {
	return &querySource{rows: b.Queries, m: m, i: -1}
}

func (s *querySource) Next() bool { s.i++; return s.i < len(s.rows) }
func (s *querySource) Err() error { return nil }
func (s *querySource) Values() ([]any, error) {
	r := &s.rows[s.i]
	endpoint := int32(0) // 0: request unknown at write time, attributed at rollup time
	if r.Endpoint != spanrows.NoEndpoint {
		endpoint = s.m.endpoints[r.Endpoint]
	}
	s.vals = [12]any{r.TS, r.Fingerprint, r.SpanID, r.ParentSpanID, r.TraceID, s.m.services[r.Service],
		endpoint, s.m.databases[r.Database], r.DurationUS, r.RowsReturned, s.m.tenants[r.Tenant], r.IsError}
	return s.vals[:], nil
}
