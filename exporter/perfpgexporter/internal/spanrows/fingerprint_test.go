package spanrows

import (
	"encoding/binary"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// dbSpan is a query span as a client may send it, fingerprint attribute included.
type dbSpan struct {
	stmt, fingerprint, summary string
}

func convertDBSpans(t *testing.T, opts Options, spans ...dbSpan) *Batch {
	t.Helper()
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "svc")
	ss := rs.ScopeSpans().AppendEmpty().Spans()
	now := time.Now()
	fpKey := opts.FingerprintAttribute
	if fpKey == "" {
		fpKey = "db.query.fingerprint"
	}
	for i, s := range spans {
		sp := ss.AppendEmpty()
		sp.SetKind(ptrace.SpanKindClient)
		var id pcommon.SpanID
		binary.BigEndian.PutUint64(id[:], uint64(i+1))
		sp.SetSpanID(id)
		sp.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-time.Second)))
		sp.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
		attrs := sp.Attributes()
		attrs.PutStr("db.system.name", "postgresql")
		attrs.PutStr("db.query.text", s.stmt)
		if s.fingerprint != "" {
			attrs.PutStr(fpKey, s.fingerprint)
		}
		if s.summary != "" {
			attrs.PutStr("db.query.summary", s.summary)
		}
	}
	opts.DefaultTenant, opts.Retention, opts.MaxFutureSkew = "default", time.Hour, time.Minute
	return NewConverter(opts).Convert(td, now)
}

func ownNormalization(stmt string) sqlnorm.Result {
	return sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(stmt)
}

// A client cannot choose the fingerprint its statement is stored under, nor the text or
// summary stored for a fingerprint: both come from the exporter's own normalization.
func TestForgedFingerprint(t *testing.T) {
	victim := ownNormalization("SELECT * FROM accounts WHERE id = 1")
	forged := sqlnorm.FormatFingerprint(victim.Fingerprint)
	const (
		stmtA = "SELECT name FROM users WHERE email = 'a@example.com'"
		stmtB = "DELETE FROM sessions WHERE id = 7"
	)
	a, bb := ownNormalization(stmtA), ownNormalization(stmtB)

	t.Run("different statement, forged fingerprint", func(t *testing.T) {
		b := convertDBSpans(t, Options{}, dbSpan{stmt: stmtA, fingerprint: forged, summary: "SELECT accounts"})
		if len(b.Queries) != 1 || len(b.Statements) != 1 {
			t.Fatalf("%d rows, %d statements", len(b.Queries), len(b.Statements))
		}
		if got := b.Queries[0].Fingerprint; got != int64(a.Fingerprint) {
			t.Errorf("row stored under %x, want its statement's own %x (forged %s)", uint64(got), a.Fingerprint, forged)
		}
		st := b.Statements[0]
		if st.Fingerprint != int64(a.Fingerprint) || st.Normalized != a.Normalized || st.Summary != a.Summary {
			t.Errorf("statement %+v, want fingerprint %x, text %q, summary %q", st, a.Fingerprint, a.Normalized, a.Summary)
		}
		if b.ForeignFingerprints != 1 {
			t.Errorf("ForeignFingerprints = %d, want 1", b.ForeignFingerprints)
		}
	})

	t.Run("two statements, one forged fingerprint", func(t *testing.T) {
		// the first span makes the forged fingerprint known to the batch; before, the
		// second was stored under it without being normalized
		b := convertDBSpans(t, Options{}, dbSpan{stmt: stmtA, fingerprint: forged}, dbSpan{stmt: stmtB, fingerprint: forged})
		if len(b.Queries) != 2 || len(b.Statements) != 2 {
			t.Fatalf("%d rows, %d statements, want 2 and 2", len(b.Queries), len(b.Statements))
		}
		if b.Queries[0].Fingerprint != int64(a.Fingerprint) || b.Queries[1].Fingerprint != int64(bb.Fingerprint) {
			t.Errorf("rows under %x and %x, want %x and %x", uint64(b.Queries[0].Fingerprint), uint64(b.Queries[1].Fingerprint), a.Fingerprint, bb.Fingerprint)
		}
		if b.Statements[1].Normalized != bb.Normalized {
			t.Errorf("second statement stored as %q, want %q", b.Statements[1].Normalized, bb.Normalized)
		}
	})

	t.Run("honest fingerprint, configured attribute", func(t *testing.T) {
		b := convertDBSpans(t, Options{FingerprintAttribute: "app.fp"},
			dbSpan{stmt: stmtA, fingerprint: sqlnorm.FormatFingerprint(a.Fingerprint)},
			dbSpan{stmt: a.Normalized, fingerprint: sqlnorm.FormatFingerprint(a.Fingerprint)}, // as queryhash leaves it
			dbSpan{stmt: stmtB, fingerprint: "not a fingerprint"})
		if len(b.Statements) != 2 || b.Queries[0].Fingerprint != b.Queries[1].Fingerprint {
			t.Fatalf("%d statements, rows %+v", len(b.Statements), b.Queries)
		}
		if b.ForeignFingerprints != 0 {
			t.Errorf("ForeignFingerprints = %d, want 0: the attributes agree or are malformed", b.ForeignFingerprints)
		}
		b = convertDBSpans(t, Options{FingerprintAttribute: "app.fp"}, dbSpan{stmt: stmtA, fingerprint: forged})
		if b.ForeignFingerprints != 1 {
			t.Errorf("forged fingerprint in the configured attribute: ForeignFingerprints = %d, want 1", b.ForeignFingerprints)
		}
	})
}

// The per-batch cache serves one tenant's statement to another without mixing rows.
func TestStatementPerTenant(t *testing.T) {
	td := ptrace.NewTraces()
	now := time.Now()
	for _, tenant := range []string{"t1", "t2"} {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("tenant.id", tenant)
		sp := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
		sp.SetKind(ptrace.SpanKindClient)
		sp.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-time.Second)))
		sp.Attributes().PutStr("db.system.name", "postgresql")
		sp.Attributes().PutStr("db.query.text", "SELECT 1")
	}
	b := NewConverter(Options{TenantAttribute: "tenant.id", DefaultTenant: "default", Retention: time.Hour}).Convert(td, now)
	if len(b.Statements) != 2 || b.Statements[0].Tenant == b.Statements[1].Tenant ||
		b.Statements[0].Fingerprint != b.Statements[1].Fingerprint {
		t.Fatalf("statements %+v, want one per tenant with the same fingerprint", b.Statements)
	}
}
