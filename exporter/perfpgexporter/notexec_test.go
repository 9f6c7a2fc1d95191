package perfpgexporter

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Through the exporter (slimming, queue, writer): of the prepare and query spans of one
// execution each through otelsql and otelpgx, the executions are stored and the prepare
// spans counted in otelcol_perfpg_db_spans_not_executions{role="prepare"}.
func TestPrepareSpansAreNotStored(t *testing.T) {
	t.Parallel()
	te, reader := newExportersWithReader(t, nil)
	ctx := context.Background()
	td := ptrace.NewTraces()
	addScopedDBSpans(td, time.Now().UTC().Add(-time.Minute))
	if err := te.traces.ConsumeTraces(ctx, td); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := te.pool.QueryRow(ctx, "SELECT count(*) FROM query_performance_log").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("%d query rows, want 2 (one execution per library)", rows)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "otelcol_perfpg_db_spans_not_executions" {
				continue
			}
			for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
				role, _ := p.Attributes.Value("role")
				got[role.AsString()] += p.Value
			}
		}
	}
	if len(got) != 1 || got["prepare"] != 2 {
		t.Errorf("otelcol_perfpg_db_spans_not_executions = %v, want prepare: 2", got)
	}
}
