package spanrows

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// An execution folds only into a parent of the same tenant, service, trace and statement:
// a span id guessed or repeated by another tenant or service, or a parent running another
// statement, leaves the row alone. The outer row takes the inner one's returned rows and
// error.
func TestFoldNestedExecutionsBoundaries(t *testing.T) {
	t.Parallel()
	base := time.Now().UTC().Add(-time.Minute)
	td := ptrace.NewTraces()
	add := func(tenant, service, scope string, trace byte, id, parent uint64, stmt string, attrs map[string]any, status ptrace.StatusCode) {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", service)
		rs.Resource().Attributes().PutStr("tenant.id", tenant)
		ss := rs.ScopeSpans().AppendEmpty()
		ss.Scope().SetName(scope)
		sp := ss.Spans().AppendEmpty()
		sp.SetKind(ptrace.SpanKindClient)
		sp.SetTraceID(pcommon.TraceID{15: trace})
		sp.SetSpanID(pcommon.SpanID{7: byte(id)})
		if parent != 0 {
			sp.SetParentSpanID(pcommon.SpanID{7: byte(parent)})
		}
		sp.SetStartTimestamp(pcommon.NewTimestampFromTime(base))
		sp.SetEndTimestamp(pcommon.NewTimestampFromTime(base.Add(time.Millisecond)))
		sp.Status().SetCode(status)
		sp.Attributes().PutStr("db.system", "postgresql")
		sp.Attributes().PutStr("db.statement", stmt)
		for k, v := range attrs {
			sp.Attributes().PutInt(k, int64(v.(int)))
		}
	}
	const alch, psy = "opentelemetry.instrumentation.sqlalchemy", "opentelemetry.instrumentation.psycopg"
	sel := "SELECT * FROM users WHERE id = 1"
	// trace 1: three layers deep; the innermost knows the rows and fails
	add("a", "api", alch, 1, 1, 0, sel, nil, ptrace.StatusCodeUnset)
	add("a", "api", psy, 1, 2, 1, "SELECT * FROM users WHERE id = 2", nil, ptrace.StatusCodeUnset) // same statement
	add("a", "api", psy, 1, 3, 2, sel, map[string]any{"db.response.returned_rows": 4}, ptrace.StatusCodeError)
	// trace 1, same span ids, another tenant and another service: not nested in tenant a's rows
	add("b", "api", psy, 1, 4, 1, sel, nil, ptrace.StatusCodeUnset)
	add("a", "worker", psy, 1, 5, 1, sel, nil, ptrace.StatusCodeUnset)
	// trace 2: a parent running another statement
	add("a", "api", alch, 2, 1, 0, "SELECT * FROM orders", nil, ptrace.StatusCodeUnset)
	add("a", "api", psy, 2, 2, 1, sel, nil, ptrace.StatusCodeUnset)
	// trace 3: two spans naming each other as parent, and one under them
	add("a", "api", psy, 3, 1, 2, sel, nil, ptrace.StatusCodeUnset)
	add("a", "api", psy, 3, 2, 1, sel, nil, ptrace.StatusCodeUnset)
	add("a", "api", psy, 3, 3, 1, sel, nil, ptrace.StatusCodeUnset)

	b := NewConverter(Options{TenantAttribute: "tenant.id", DefaultTenant: "default", Retention: time.Hour,
		MaxFutureSkew: time.Minute}).Convert(td, time.Now())
	if len(b.Queries) != 7 || b.NotExecutions[RoleExecution] != 3 {
		t.Fatalf("%d rows, %d folded; want 7 rows, 3 folded", len(b.Queries), b.NotExecutions[RoleExecution])
	}
	outer := b.Queries[0]
	if outer.RowsReturned != 4 || !outer.IsError {
		t.Errorf("outer row: %d rows returned, error %v; want 4, true", outer.RowsReturned, outer.IsError)
	}
}

// The documented names of the instrumentations the Go tests cannot run (Node, Python,
// Java), and the otelpgx prefix option; anything not in the table is an execution.
func TestClassifyDocumentedNames(t *testing.T) {
	t.Parallel()
	none := pcommon.NewMap()
	for _, c := range []struct {
		scope, name string
		want        Role
	}{
		{"@opentelemetry/instrumentation-pg", "pg.connect", RoleConnection},
		{"@opentelemetry/instrumentation-pg", "pg-pool.connect", RoleConnection},
		{"@opentelemetry/instrumentation-pg", "pg.query:SELECT shop", RoleExecution},
		{"@opentelemetry/instrumentation-pg", "SELECT shop", RoleExecution},
		{"@opentelemetry/instrumentation-mysql2", "SELECT", RoleExecution},
		{"io.opentelemetry.jdbc", "SELECT shop.orders", RoleExecution},
		{"opentelemetry.instrumentation.sqlalchemy", "connect", RoleConnection},
		{"opentelemetry.instrumentation.sqlalchemy.engine", "connect", RoleConnection},
		{"opentelemetry.instrumentation.sqlalchemy", "SELECT shop", RoleExecution},
		{"opentelemetry.instrumentation.psycopg", "SELECT", RoleExecution},
		{"github.com/exaring/otelpgx", "prepare SELECT", RolePrepare},
		{"github.com/exaring/otelpgx", "query SELECT", RoleExecution},
		{"github.com/exaring/otelpgx", "batch query SELECT", RoleExecution},
		{"github.com/exaring/otelpgx", "copy_from items", RoleExecution},
		{"github.com/XSAM/otelsql", "SELECT qty FROM items", RoleExecution}, // a custom SpanNameFormatter
		{"my/own/tracer", "sql.conn.prepare", RoleExecution},                // otelsql's names mean nothing elsewhere
		{"", "pg.connect", RoleExecution},
	} {
		if got := Classify(c.scope, c.name, none); got != c.want {
			t.Errorf("Classify(%q, %q) = %s, want %s", c.scope, c.name, got, c.want)
		}
	}
}
