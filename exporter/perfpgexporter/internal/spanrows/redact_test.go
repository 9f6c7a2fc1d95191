package spanrows

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// The marker every hostile value carries; nothing stored may contain it, in any case.
const marker = "zQ8LeaK"

func convertOne(t *testing.T, kind ptrace.SpanKind, name string, attrs map[string]any) *Batch {
	t.Helper()
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "svc")
	sp := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	sp.SetKind(kind)
	sp.SetName(name)
	var id pcommon.SpanID
	binary.BigEndian.PutUint64(id[:], 1)
	sp.SetSpanID(id)
	now := time.Now()
	sp.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-time.Second)))
	sp.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
	if err := sp.Attributes().FromRaw(attrs); err != nil {
		t.Fatal(err)
	}
	c := NewConverter(Options{DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Minute, MaxStatementLen: 1024})
	return c.Convert(td, now)
}

// storedText is every text of a batch that reaches storage.
func storedText(b *Batch) string {
	var sb strings.Builder
	for _, v := range b.Tenants.Values {
		sb.WriteString(v + "\n")
	}
	for _, v := range b.Services.Values {
		sb.WriteString(v.Name + "\n")
	}
	for _, v := range b.Endpoints.Values {
		sb.WriteString(v.Kind + " " + v.Method + " " + v.Route + "\n")
	}
	for _, v := range b.Databases.Values {
		sb.WriteString(v.System + " " + v.Namespace + "\n")
	}
	for _, s := range b.Statements {
		sb.WriteString(strings.Join([]string{s.DBSystem, s.Operation, s.Collection, s.Summary, s.Normalized}, " ") + "\n")
	}
	return sb.String()
}

func assertNoMarker(t *testing.T, b *Batch) {
	t.Helper()
	if text := storedText(b); strings.Contains(strings.ToLower(text), strings.ToLower(marker)) {
		t.Errorf("stored text holds the marker:\n%s", text)
	}
}

// A statement that is not a string is never stringified: the span is no query row, and
// it is counted.
func TestNonStringStatementIsNotAQuery(t *testing.T) {
	for name, stmt := range map[string]any{
		"array":  []any{"SELECT * FROM t WHERE a = '" + marker + "'"},
		"kvlist": map[string]any{"text": "SELECT '" + marker + "'"},
		"bytes":  []byte("SELECT * FROM \"" + marker + "\""),
		"int":    12345,
		"double": 1.5,
		"bool":   true,
	} {
		for _, keys := range [][2]string{{"db.system.name", "db.query.text"}, {"db.system", "db.statement"}} {
			t.Run(name+"/"+keys[1], func(t *testing.T) {
				b := convertOne(t, ptrace.SpanKindClient, "query", map[string]any{keys[0]: "postgresql", keys[1]: stmt})
				if len(b.Queries) != 0 || len(b.Statements) != 0 {
					t.Errorf("%d query rows, %d statements from a %s statement: %s", len(b.Queries), len(b.Statements), name, storedText(b))
				}
				if b.Dropped[DropStatementNotString] != 1 {
					t.Errorf("dropped %v, want one %s", b.Dropped, DropStatementNotString)
				}
				assertNoMarker(t, b)
			})
		}
	}
}

// A non-string value of any other attribute we store is ignored as if absent.
func TestNonStringAttributesAreIgnored(t *testing.T) {
	list := []any{"/x/" + marker}
	kv := map[string]any{"a": marker}
	for name, attrs := range map[string]map[string]any{
		"route":       {"http.route": list},
		"path":        {"url.path": kv},
		"target":      {"http.target": []byte(marker)},
		"full url":    {"url.full": list},
		"method":      {"http.request.method": list, "http.route": "/r"},
		"rpc":         {"rpc.service": list, "rpc.method": kv},
		"rpc method":  {"rpc.service": "Svc", "rpc.method": list},
		"destination": {"messaging.destination.name": list},
	} {
		t.Run(name, func(t *testing.T) {
			b := convertOne(t, ptrace.SpanKindServer, "GET", attrs)
			if len(b.API) != 1 {
				t.Fatalf("%d API rows, want the span stored", len(b.API))
			}
			assertNoMarker(t, b)
		})
	}
	t.Run("db attributes", func(t *testing.T) {
		b := convertOne(t, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": []any{marker},
			"db.system": "postgresql", "db.namespace": kv, "db.query.text": "SELECT 1"})
		if len(b.Queries) != 1 {
			t.Fatalf("%d query rows, want 1", len(b.Queries))
		}
		assertNoMarker(t, b)
	})
}

// Only a real HTTP method is stored; anything else is _OTHER (semantic conventions).
func TestMethodIsKnownOrOther(t *testing.T) {
	b := convertOne(t, ptrace.SpanKindServer, "x", map[string]any{"http.request.method": marker, "http.route": "/r"})
	if got := b.Endpoints.Values[0].Method; got != "_OTHER" {
		t.Errorf("method %q, want _OTHER", got)
	}
	b = convertOne(t, ptrace.SpanKindServer, "x", map[string]any{"http.request.method": "get", "http.route": "/r"})
	if got := b.Endpoints.Values[0].Method; got != "GET" {
		t.Errorf("method %q, want GET", got)
	}
}

// Secrets in whatever becomes the endpoint: paths, routes, URLs, RPC names, destinations,
// span names.
func TestEndpointSecretsBecomePlaceholders(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ" + marker + "In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	for name, tc := range map[string]struct {
		kind  ptrace.SpanKind
		span  string
		attrs map[string]any
		want  string
	}{
		"email in path":            {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/users/" + marker + "@example.com/orders"}, "/users/{id}/orders"},
		"percent-encoded email":    {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/users/" + marker + "%40example.com"}, "/users/{id}"},
		"double-encoded email":     {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/users/" + marker + "%2540example.com"}, "/users/{id}"},
		"encoded letters":          {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/u/%7A%51%38" + marker}, "/u/{id}"},
		"bad percent":              {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/u/" + marker + "%zz"}, "/u/{id}"},
		"email in route":           {ptrace.SpanKindServer, "GET", map[string]any{"http.route": "/users/" + marker + "@example.com"}, "/users/{id}"},
		"jwt":                      {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/auth/" + jwt}, "/auth/{id}"},
		"base64url token":          {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/reset/" + marker + "xK-_pQrTvWyBnMzLaHd"}, "/reset/{id}"},
		"letters-only token":       {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/s/qWeRtYuIoPaSdFgHjKlZ" + marker}, "/s/{id}"},
		"lowercase token":          {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/s/kqzjxwvtplmnbrhgfdsyc" + strings.ToLower(marker)}, "/s/{id}"},
		"matrix parameter":         {ptrace.SpanKindServer, "GET", map[string]any{"url.path": "/cart;jsessionid=" + marker}, "/{id}"},
		"url userinfo":             {ptrace.SpanKindServer, "GET", map[string]any{"url.full": "https://admin:" + marker + "@shop.example.com/cart?token=" + marker + "#" + marker}, "/cart"},
		"url without scheme":       {ptrace.SpanKindServer, "GET", map[string]any{"url.full": "admin:" + marker + "@shop.example.com/cart"}, "{id}/cart"},
		"scheme-relative url":      {ptrace.SpanKindServer, "GET", map[string]any{"http.url": "//admin:" + marker + "@shop.example.com/cart"}, "//{id}/cart"},
		"query and fragment":       {ptrace.SpanKindServer, "GET", map[string]any{"http.target": "/search?q=" + marker + "&password=" + marker + "#" + marker}, "/search"},
		"rpc names":                {ptrace.SpanKindServer, "x", map[string]any{"rpc.service": "shop.Users", "rpc.method": marker + "@example.com"}, "/shop.Users/{id}"},
		"destination":              {ptrace.SpanKindConsumer, "x", map[string]any{"messaging.destination.name": "reply-to/" + marker + "@example.com"}, "reply-to/{id}"},
		"name with email":          {ptrace.SpanKindServer, "notify " + marker + "@example.com", nil, "notify {id}"},
		"name with token":          {ptrace.SpanKindServer, "session aB3dE5fG7hJ9kL1mN3pQ5r" + marker, nil, "session {id}"},
		"name with number":         {ptrace.SpanKindServer, "order 4111111111111111", nil, "order {id}"},
		"name is SQL":              {ptrace.SpanKindServer, "SELECT * FROM accounts WHERE pw = '" + marker + "'", nil, "SELECT accounts"},
		"name is lower-case SQL":   {ptrace.SpanKindServer, "  update accounts set pw = '" + marker + "'", nil, "UPDATE accounts"},
		"name holds SQL":           {ptrace.SpanKindServer, "pg.query:SELECT * FROM accounts WHERE pw = '" + marker + "'", nil, "SELECT accounts"},
		"name is SQL of a DB span": {ptrace.SpanKindServer, "accounts '" + marker + "'", map[string]any{"db.system.name": "postgresql"}, "accounts ?"},
		"name with quoted literal": {ptrace.SpanKindServer, "lookup '" + marker + "'", nil, "lookup {id}"},
	} {
		t.Run(name, func(t *testing.T) {
			b := convertOne(t, tc.kind, tc.span, tc.attrs)
			if len(b.API) != 1 {
				t.Fatalf("%d API rows", len(b.API))
			}
			if got := b.Endpoints.Values[0].Route; got != tc.want {
				t.Errorf("endpoint %q, want %q", got, tc.want)
			}
			assertNoMarker(t, b)
		})
	}
}

// Span events (exception.message, exception.stacktrace) are never read.
func TestEventsAreNotRead(t *testing.T) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	sp := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	sp.SetKind(ptrace.SpanKindServer)
	sp.SetName("GET")
	now := time.Now()
	sp.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-time.Second)))
	sp.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
	sp.Status().SetCode(ptrace.StatusCodeError)
	sp.Status().SetMessage("failed for " + marker)
	ev := sp.Events().AppendEmpty()
	ev.SetName("exception " + marker)
	ev.Attributes().PutStr("exception.message", "duplicate key "+marker)
	ev.Attributes().PutStr("exception.stacktrace", "at "+marker)
	ev.Attributes().PutStr("url.path", "/"+marker)
	ev.Attributes().PutStr("http.route", "/"+marker)
	link := sp.Links().AppendEmpty()
	link.Attributes().PutStr("http.route", "/"+marker)
	db := rs.ScopeSpans().At(0).Spans().AppendEmpty()
	db.SetKind(ptrace.SpanKindClient)
	db.SetStartTimestamp(sp.StartTimestamp())
	db.SetEndTimestamp(sp.EndTimestamp())
	db.Attributes().PutStr("db.system.name", "postgresql")
	db.Attributes().PutStr("db.query.text", "SELECT 1")
	dev := db.Events().AppendEmpty()
	dev.Attributes().PutStr("db.query.text", "SELECT '"+marker+"'")
	dev.Attributes().PutStr("exception.message", marker)
	c := NewConverter(Options{DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Minute})
	b := c.Convert(td, now)
	if len(b.API) != 1 || len(b.Queries) != 1 {
		t.Fatalf("%d API rows, %d query rows", len(b.API), len(b.Queries))
	}
	assertNoMarker(t, b)
}

// A connection string in db.namespace loses its credentials.
func TestNamespaceConnectionString(t *testing.T) {
	b := convertOne(t, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": "postgresql",
		"db.namespace": "postgres://app:" + marker + "@db.internal:5432/shop?password=" + marker, "db.query.text": "SELECT 1"})
	if got := b.Databases.Values[0].Namespace; got != "postgres://db.internal:5432/shop" {
		t.Errorf("namespace %q", got)
	}
	assertNoMarker(t, b)
}
