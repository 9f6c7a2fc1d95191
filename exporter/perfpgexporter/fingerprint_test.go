package perfpgexporter

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// A client that sends another statement's fingerprint (and summary) in the configured
// fingerprint attribute neither joins that statement's rows nor changes its stored text:
// rows and text are stored under the fingerprint of the exporter's own normalization, and
// the span is counted.
func TestForgedFingerprintAcrossBatches(t *testing.T) {
	t.Parallel()
	te, reader := newExportersWithReader(t, func(c *Config) { c.FingerprintAttribute = "app.fp" })
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)
	norm := sqlnorm.New(sqlnorm.PostgreSQL, 0)
	const stmtA, stmtB = "SELECT * FROM accounts WHERE id = 1", "DELETE FROM accounts WHERE owner = 'mallory'"
	a, b := norm.Normalize(stmtA), norm.Normalize(stmtB)
	forged := sqlnorm.FormatFingerprint(a.Fingerprint)

	send := func(id uint64, stmt string, extra map[string]any) {
		t.Helper()
		attrs := map[string]any{"db.system.name": "postgresql", "db.query.text": stmt}
		for k, v := range extra {
			attrs[k] = v
		}
		td := ptrace.NewTraces()
		addSpans(td, map[string]any{"service.name": "svc"},
			spanSpec{kind: ptrace.SpanKindClient, trace: byte(id), id: id, start: base, dur: time.Millisecond, attrs: attrs})
		if err := te.traces.ConsumeTraces(ctx, td); err != nil {
			t.Fatal(err)
		}
	}
	send(1, stmtA, map[string]any{"app.fp": forged}) // honest
	send(2, stmtB, map[string]any{"app.fp": forged, "db.query.summary": a.Summary})

	var fps []int64
	rows, err := te.pool.Query(ctx, "SELECT fingerprint FROM query_performance_log ORDER BY span_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fp int64
		if err := rows.Scan(&fp); err != nil {
			t.Fatal(err)
		}
		fps = append(fps, fp)
	}
	if want := []int64{int64(a.Fingerprint), int64(b.Fingerprint)}; !slices.Equal(fps, want) || rows.Err() != nil {
		t.Fatalf("query rows under %x, want %x (%v)", fps, want, rows.Err())
	}
	for _, want := range []sqlnorm.Result{a, b} {
		var text, summary string
		if err := te.pool.QueryRow(ctx, "SELECT normalized_text, summary FROM query_fingerprints WHERE fingerprint = $1",
			int64(want.Fingerprint)).Scan(&text, &summary); err != nil {
			t.Fatalf("fingerprint %x: %v", want.Fingerprint, err)
		}
		if text != want.Normalized || summary != want.Summary {
			t.Errorf("fingerprint %x stored as %q / %q, want %q / %q", want.Fingerprint, text, summary, want.Normalized, want.Summary)
		}
	}
	if n := sumCounter(t, reader, "otelcol_perfpg_fingerprints_replaced", ""); n != 1 {
		t.Errorf("otelcol_perfpg_fingerprints_replaced = %d, want 1", n)
	}
}
