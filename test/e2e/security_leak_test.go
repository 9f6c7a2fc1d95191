package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// leakCase is one hostile input; its marker must appear nowhere in the database.
type leakCase struct {
	class  string
	name   string
	marker string
	// lexer: the case needs the lexer's fail-closed rules for ambiguous quotes, comments
	// and escapes (ISSUE 12, item 2), not redaction outside the lexer.
	lexer bool
}

// leakCorpus builds the hostile traces and metrics, one marker per case.
type leakCorpus struct {
	cases    []leakCase
	td       ptrace.Traces
	spans    ptrace.SpanSlice
	md       pmetric.Metrics
	points   pmetric.NumberDataPointSlice
	now      time.Time
	nextID   uint64
	api      int // server and consumer spans sent: every one is stored
	queries  int // DB spans with a string statement: every one is stored
	removed  int // DB spans whose statement is not a string
	sentinel string
}

func newLeakCorpus() *leakCorpus {
	c := &leakCorpus{td: ptrace.NewTraces(), md: pmetric.NewMetrics(), now: time.Now(), nextID: 0x7a000000}
	rs := c.td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "leak-svc")
	c.spans = rs.ScopeSpans().AppendEmpty().Spans()
	rm := c.md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("service.name", "leak-svc")
	m := rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty()
	m.SetName("db.client.connection.count")
	c.points = m.SetEmptyGauge().DataPoints()
	return c
}

// marker registers a case and returns its marker: unique, mixed case, no marker a prefix
// of another.
func (c *leakCorpus) marker(class, name string, lexer bool) string {
	m := fmt.Sprintf("zQ8lEaK%03dVx", len(c.cases))
	c.cases = append(c.cases, leakCase{class: class, name: name, marker: m, lexer: lexer})
	return m
}

func (c *leakCorpus) span(spans ptrace.SpanSlice, kind ptrace.SpanKind, name string, attrs map[string]any) ptrace.Span {
	c.nextID++
	s := spans.AppendEmpty()
	var sid pcommon.SpanID
	binary.BigEndian.PutUint64(sid[:], c.nextID)
	var tid pcommon.TraceID
	binary.BigEndian.PutUint64(tid[8:], c.nextID)
	s.SetTraceID(tid)
	s.SetSpanID(sid)
	s.SetKind(kind)
	s.SetName(name)
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(c.now.Add(-20 * time.Millisecond)))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(c.now))
	if err := s.Attributes().FromRaw(attrs); err != nil {
		panic(err)
	}
	switch {
	case kind == ptrace.SpanKindServer || kind == ptrace.SpanKindConsumer:
		c.api++
	case kind == ptrace.SpanKindClient:
		if text, ok := s.Attributes().Get("db.query.text"); ok && text.Type() == pcommon.ValueTypeStr {
			c.queries++
		} else if text, ok := s.Attributes().Get("db.statement"); ok && text.Type() == pcommon.ValueTypeStr {
			c.queries++
		} else if ok || func() bool { _, q := s.Attributes().Get("db.query.text"); return q }() {
			c.removed++
		}
	}
	return s
}

func (c *leakCorpus) server(name string, attrs map[string]any) ptrace.Span {
	return c.span(c.spans, ptrace.SpanKindServer, name, attrs)
}

// statement adds a DB span per semantic-convention generation, each with its own marker.
func (c *leakCorpus) statement(class, name, system string, lexer bool, sql func(m string) any) {
	for _, gen := range [][2]string{{"db.system.name", "db.query.text"}, {"db.system", "db.statement"}} {
		m := c.marker(class, name+" ("+gen[1]+")", lexer)
		c.span(c.spans, ptrace.SpanKindClient, "query", map[string]any{gen[0]: system, gen[1]: sql(m)})
	}
}

func (c *leakCorpus) pool(name any) {
	p := c.points.AppendEmpty()
	p.SetTimestamp(pcommon.NewTimestampFromTime(c.now))
	p.SetIntValue(2)
	_ = p.Attributes().FromRaw(map[string]any{"db.client.connection.pool.name": name, "db.client.connection.state": "used"})
}

// maxStatementLength is the queryhash processor's cap in this test: statements are cut
// there, with literals cut in half.
const maxStatementLength = 256

func buildLeakCorpus() *leakCorpus {
	c := newLeakCorpus()
	sel := func(m string) string { return "SELECT * FROM accounts WHERE email = '" + m + "'" }

	// ---- statements that are not strings (item 1) ----
	for _, system := range []string{"postgresql", "mysql"} {
		c.statement("non-string", "array "+system, system, false, func(m string) any { return []any{sel(m)} })
		c.statement("non-string", "kvlist "+system, system, false, func(m string) any { return map[string]any{"text": sel(m), "args": []any{m}} })
		c.statement("non-string", "bytes "+system, system, false, func(m string) any { return []byte(sel(m)) })
	}
	// other attributes that are not strings
	m := c.marker("non-string", "http.route array", false)
	c.server("GET", map[string]any{"http.route": []any{"/users/" + m}})
	m = c.marker("non-string", "url.path kvlist", false)
	c.server("GET", map[string]any{"url.path": map[string]any{"p": "/users/" + m}})
	m = c.marker("non-string", "http.request.method bytes", false)
	c.server("GET", map[string]any{"http.request.method": []byte(m), "http.route": "/method"})
	m = c.marker("non-string", "db.namespace array", false)
	c.span(c.spans, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": "postgresql", "db.namespace": []any{m}, "db.query.text": "SELECT 1"})
	m = c.marker("non-string", "tenant.id bytes", false)
	rs := c.td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "leak-svc")
	rs.Resource().Attributes().PutEmptyBytes("tenant.id").FromRaw([]byte(m))
	c.span(rs.ScopeSpans().AppendEmpty().Spans(), ptrace.SpanKindServer, "GET", map[string]any{"http.route": "/tenant-bytes"})
	m = c.marker("non-string", "pool name array", false)
	c.pool([]any{"postgres://app:" + m + "@db/shop"})
	m = c.marker("non-string", "pool name bytes", false)
	c.pool([]byte(m))

	// ---- statements the lexer must read the cautious way (item 2) ----
	for _, l := range []struct {
		name, system string
		sql          func(m string) string
	}{
		{"MySQL backslash, NO_BACKSLASH_ESCAPES reading", "mysql", func(m string) string { return `SELECT 'a\', '` + m + `'` }},
		{"MySQL backslash escape", "mysql", func(m string) string { return `SELECT * FROM t WHERE a = 'it\'s ` + m + `'` }},
		{"PostgreSQL standard_conforming_strings off", "postgresql", func(m string) string { return `SELECT 'a\', ` + m + `, 'b' FROM t` }},
		{"PostgreSQL E'' escape", "postgresql", func(m string) string { return `SELECT E'it\'s ` + m + `'` }},
		{"PostgreSQL non-ASCII dollar tag", "postgresql", func(m string) string { return "SELECT $ä$" + m + "$ä$" }},
		{"SQL Server nested comment", "mssql", func(m string) string { return "SELECT 1 /* a /* b */ " + m + " */ FROM t" }},
		{"Oracle q quote", "oracle", func(m string) string { return "SELECT q'[it's " + m + "]' FROM dual" }},
		{"SQLite double-quoted string", "sqlite", func(m string) string { return `SELECT * FROM t WHERE a = "` + m + `"` }},
		{"ClickHouse backslash", "clickhouse", func(m string) string { return `SELECT 'a\', ` + m + `, 'b' FROM t` }},
		{"Cassandra dollar string", "cassandra", func(m string) string { return "SELECT * FROM t WHERE a = $$" + m + "$$" }},
		{"unknown system, double quotes", "foodb", func(m string) string { return `SELECT * FROM t WHERE a = "` + m + `"` }},
		{"unknown system, backslash", "foodb", func(m string) string { return `SELECT 'a\', ` + m + `, 'b'` }},
	} {
		c.statement("lexer", l.name, l.system, true, func(m string) any { return l.sql(m) })
	}

	// ---- truncation at max_statement_length (item 4) ----
	pad := strings.Repeat("AND b = 2 ", maxStatementLength/10)
	c.statement("truncation", "marker after the cut", "postgresql", false, func(m string) any {
		return "SELECT * FROM t WHERE a = 1 " + pad + "AND c = '" + m + "'"
	})
	c.statement("truncation", "literal cut in half", "postgresql", false, func(m string) any {
		return "SELECT * FROM t WHERE a = '" + m + " " + strings.Repeat("word ", maxStatementLength/4) + "'"
	})
	c.statement("truncation", "literal cut in half, MySQL", "mysql", false, func(m string) any {
		return "SELECT * FROM t WHERE a = \"" + m + " " + strings.Repeat("wo\\\"rd ", maxStatementLength/6) + "\""
	})
	c.statement("truncation", "literal without spaces cut", "postgresql", false, func(m string) any {
		return "SELECT * FROM t WHERE a = '" + m + strings.Repeat("x", 2*maxStatementLength) + "'"
	})

	// ---- SQL in span names (item 3) ----
	m = c.marker("span-name", "DB span named after its statement", false)
	c.span(c.spans, ptrace.SpanKindClient, sel(m), map[string]any{"db.system.name": "postgresql", "db.query.text": sel(m)})
	m = c.marker("span-name", "DB span name holds other SQL", false)
	c.span(c.spans, ptrace.SpanKindClient, "pg.query:UPDATE accounts SET pw = '"+m+"'", map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 1"})
	m = c.marker("span-name", "DB span without statement named SQL", false)
	c.span(c.spans, ptrace.SpanKindClient, "INSERT INTO audit VALUES ('"+m+"')", map[string]any{"db.system": "mysql"})
	m = c.marker("span-name", "server span without route named SQL", false)
	c.server(sel(m), nil)
	m = c.marker("span-name", "server span without route, SQL inside the name", false)
	c.server("pg.query:UPDATE accounts SET pw = '"+m+"'", nil)
	m = c.marker("span-name", "server span without route, lower-case SQL", false)
	c.server("delete from sessions where token = '"+m+"'", nil)
	m = c.marker("span-name", "server span DB name", false)
	c.server("accounts '"+m+"'", map[string]any{"db.system": "postgresql"})
	m = c.marker("span-name", "server span name with e-mail", false)
	c.server("notify "+m+"@example.com", nil)
	m = c.marker("span-name", "server span name with token", false)
	c.server("session aB3dE5fG7hJ9kL1mN3pQ5r"+m, nil)
	m = c.marker("span-name", "server span name: method and path", false)
	c.server("DELETE /users/"+m+"@example.com", nil)

	// ---- secrets in paths, routes and URLs (item 3) ----
	for name, path := range map[string]func(m string) map[string]any{
		"e-mail in url.path": func(m string) map[string]any {
			return map[string]any{"url.path": "/users/" + m + "@example.com/orders"}
		},
		"percent-encoded e-mail": func(m string) map[string]any { return map[string]any{"url.path": "/users/" + m + "%40example.com"} },
		"double-encoded e-mail":  func(m string) map[string]any { return map[string]any{"url.path": "/users/" + m + "%2540example.com"} },
		"fully percent-encoded":  func(m string) map[string]any { return map[string]any{"url.path": "/u/" + percentEncodeAll(m)} },
		"e-mail in http.target":  func(m string) map[string]any { return map[string]any{"http.target": "/users/" + m + "@example.com"} },
		"e-mail in http.route":   func(m string) map[string]any { return map[string]any{"http.route": "/users/" + m + "@example.com"} },
		"token": func(m string) map[string]any {
			return map[string]any{"url.path": "/reset/" + m + "xK-_pQrTvWyBnMzLaHd"}
		},
		"JWT":              func(m string) map[string]any { return map[string]any{"url.path": "/auth/" + jwtWith(m)} },
		"matrix parameter": func(m string) map[string]any { return map[string]any{"url.path": "/cart;jsessionid=" + m} },
		"query string and fragment": func(m string) map[string]any {
			return map[string]any{"http.target": "/search?q=" + m + "&password=" + m + "#" + m}
		},
		"url.full userinfo and query": func(m string) map[string]any {
			return map[string]any{"url.full": "https://admin:" + m + "@shop.example.com/cart?token=" + m + "#" + m}
		},
		"http.url userinfo": func(m string) map[string]any {
			return map[string]any{"http.url": "https://" + m + "@shop.example.com/"}
		},
		"url without scheme, userinfo": func(m string) map[string]any {
			return map[string]any{"url.full": "admin:" + m + "@shop.example.com/cart"}
		},
		"rpc method": func(m string) map[string]any {
			return map[string]any{"rpc.service": "shop.Users", "rpc.method": m + "@example.com"}
		},
		"rpc service token": func(m string) map[string]any {
			return map[string]any{"rpc.service": "aB3dE5fG7hJ9kL1mN3pQ5r" + m, "rpc.method": "Get"}
		},
		"messaging destination": func(m string) map[string]any {
			return map[string]any{"messaging.destination.name": "reply/" + m + "@example.com"}
		},
		"method is free text": func(m string) map[string]any { return map[string]any{"http.request.method": m, "http.route": "/m"} },
	} {
		m := c.marker("path", name, false)
		attrs := path(m)
		if _, ok := attrs["messaging.destination.name"]; ok {
			c.span(c.spans, ptrace.SpanKindConsumer, "process", attrs)
			continue
		}
		c.server("GET", attrs)
	}

	// ---- connection strings as pool and database names (item 3) ----
	for name, dsn := range map[string]func(m string) string{
		"URL": func(m string) string {
			return "postgres://app:" + m + "@db.internal:5432/shop?sslmode=disable&password=" + m
		},
		"URL, user only":    func(m string) string { return "postgresql://" + m + "@db.internal/shop" },
		"key=value":         func(m string) string { return "host=db.internal port=5432 dbname=shop user=app password=" + m },
		"key=value, quoted": func(m string) string { return "host=db.internal password='a b " + m + "' dbname=shop" },
		"ADO.NET": func(m string) string {
			return "Data Source=db.internal;Initial Catalog=shop;User ID=sa;Password=" + m + ";"
		},
		"ODBC":     func(m string) string { return "Server=db;Database=shop;Uid=" + m + ";Pwd=" + m },
		"JDBC URL": func(m string) string { return "jdbc:postgresql://db.internal:5432/shop?user=app&password=" + m },
		"JDBC SQL Server": func(m string) string {
			return "jdbc:sqlserver://db.internal:1433;databaseName=shop;user=sa;password=" + m
		},
		"JDBC Oracle thin":   func(m string) string { return "jdbc:oracle:thin:app/" + m + "@db.internal:1521/ORCL" },
		"Go MySQL DSN (URL)": func(m string) string { return "mysql://root:" + m + "@tcp(db:3306)/shop" },
	} {
		c.pool(dsn(c.marker("pool", "pool name "+name, false)))
		m := c.marker("pool", "db.namespace "+name, false)
		c.span(c.spans, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": "postgresql", "db.namespace": dsn(m), "db.query.text": "SELECT 2"})
	}

	// ---- events, exception messages, status messages: never read (item 3) ----
	m = c.marker("events", "exception event on a server span", false)
	s := c.server("GET", map[string]any{"http.route": "/events"})
	s.Status().SetCode(ptrace.StatusCodeError)
	s.Status().SetMessage("failed for " + m)
	ev := s.Events().AppendEmpty()
	ev.SetName("exception")
	ev.Attributes().PutStr("exception.type", "Error "+m)
	ev.Attributes().PutStr("exception.message", "duplicate key "+m)
	ev.Attributes().PutStr("exception.stacktrace", "at "+m+" (x.js:1)")
	ev.Attributes().PutStr("http.route", "/"+m)
	m = c.marker("events", "exception event on a DB span", false)
	s = c.span(c.spans, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 3"})
	ev = s.Events().AppendEmpty()
	ev.SetName("exception")
	ev.Attributes().PutStr("exception.message", "ERROR: invalid input '"+m+"'")
	ev.Attributes().PutStr("db.query.text", sel(m))
	m = c.marker("events", "link attributes", false)
	s = c.server("GET", map[string]any{"http.route": "/links"})
	s.Links().AppendEmpty().Attributes().PutStr("url.path", "/"+m)

	// sentinels: once they are stored, so is the batch they came in
	c.sentinel = "/leak-sentinel"
	c.server("GET", map[string]any{"http.route": c.sentinel})
	c.span(c.spans, ptrace.SpanKindClient, "q", map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT leak_sentinel FROM t"})
	c.pool("leak-sentinel")
	return c
}

func percentEncodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func jwtWith(m string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"HS256"}`)) + "." + enc.EncodeToString([]byte(`{"sub":"`+m+`"}`)) + "." + enc.EncodeToString([]byte("signature-bytes"))
}

// markerForms are the texts that betray a marker: the marker itself, its base64 (standard
// and URL alphabets, at each of the three byte alignments it can have inside longer
// data), its percent-encoding, its JSON \u escapes and its hex. Compared in lower case.
func markerForms(m string) []string {
	forms := map[string]bool{m: true}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for off := 0; off < 3; off++ {
			s := enc.EncodeToString(append(make([]byte, off), m...))
			// keep the characters that depend on the marker's bytes only
			from := (8*off + 5) / 6
			to := 8 * (off + len(m)) / 6
			forms[s[from:to]] = true
		}
	}
	forms[percentEncodeAll(m)] = true
	var js strings.Builder
	for i := 0; i < len(m); i++ {
		fmt.Fprintf(&js, `\u%04x`, m[i])
	}
	forms[js.String()] = true
	forms[hex.EncodeToString([]byte(m))] = true
	out := make([]string, 0, len(forms))
	for f := range forms {
		out = append(out, strings.ToLower(f))
	}
	return out
}

func pgDump(t *testing.T, dsn string) string {
	t.Helper()
	bin := "pg_dump"
	if _, err := exec.LookPath(bin); err != nil {
		bin = "/usr/lib/postgresql/15/bin/pg_dump"
	}
	if _, err := os.Stat(bin); err != nil && bin != "pg_dump" {
		t.Fatalf("pg_dump not found: %v", err)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, "--no-owner", "--dbname="+dsn)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, errOut.String())
	}
	return out.String()
}

func postMetrics(t *testing.T, endpoint string, md pmetric.Metrics) {
	t.Helper()
	body, err := pmetricotlp.NewExportRequestFromMetrics(md).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post("http://"+endpoint+"/v1/metrics", "application/x-protobuf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("OTLP metrics export: %s %s", resp.Status, b)
	}
}

func waitFor(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !ok(); time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
	}
}

// A corpus of hostile inputs of every class of ISSUE 12 items 1-3 goes through the real
// binary (queryhash with a short max_statement_length, the perfpg exporter, the rollups);
// then no marker may be found in a pg_dump of the database, in any encoding, nor in the
// GraphQL answers.
func TestSecurityNoLiteralOrSecretReachesStorage(t *testing.T) {
	t.Parallel()
	started := time.Now()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", fmt.Sprintf("yaml:processors::queryhash::max_statement_length: %d", maxStatementLength),
		"--config", "yaml:extensions::perfgraphql::scheduler::interval: 1s",
	)
	c.waitHealthy(t, 90*time.Second)
	corpus := buildLeakCorpus()
	postTraces(t, c.otlpHTTP, corpus.td, nil)
	postMetrics(t, c.otlpHTTP, corpus.md)

	ctx := contextFor(t, 100*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	count := func(sql string) int {
		var n int
		if err := conn.QueryRow(ctx, sql).Scan(&n); err != nil {
			return -1
		}
		return n
	}
	// everything that is to be stored is, so the search below is not of an empty database
	waitFor(t, "the corpus stored", 45*time.Second, func() bool {
		return count("SELECT count(*) FROM api_performance_log") >= corpus.api &&
			count("SELECT count(*) FROM query_performance_log") >= corpus.queries &&
			count("SELECT count(*) FROM db_pool_metrics WHERE pool_name = 'leak-sentinel'") == 1
	})
	// statements that are not strings make no query row
	if api, queries := count("SELECT count(*) FROM api_performance_log"), count("SELECT count(*) FROM query_performance_log"); api != corpus.api || queries != corpus.queries {
		t.Errorf("%d API rows, %d query rows; want %d and %d", api, queries, corpus.api, corpus.queries)
	}
	gql := func(query string) string {
		body, _ := json.Marshal(map[string]any{"query": query})
		resp, err := http.Post(c.graphqlURL+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("GraphQL: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var answers []string
	waitFor(t, "the rollups to show the sentinels", 30*time.Second, func() bool {
		answers = []string{
			gql(`{ slowQueries(timeRange: LAST_HOUR, threshold: 0, limit: 500) { queryHash queryPreview endpoint service } }`),
			gql(`{ endpointMetrics(timeRange: LAST_HOUR, limit: 500) { endpoint method route service } }`),
			gql(`{ databasePoolMetrics(timeRange: LAST_HOUR) { pools { service instance poolName } } }`),
		}
		ok := strings.Contains(answers[0], "leak_sentinel") && strings.Contains(answers[1], corpus.sentinel) && strings.Contains(answers[2], "leak-sentinel")
		return ok
	})
	// the processor removed every statement that was not a string, and counted it
	removed, _ := c.metricSum(t, "otelcol_queryhash_statements_removed", `reason="not_string"`)
	if int(removed) != corpus.removed {
		t.Errorf("otelcol_queryhash_statements_removed{reason=not_string} = %v, want %d", removed, corpus.removed)
	}

	dump := strings.ToLower(pgDump(t, dsn))
	if !strings.Contains(dump, "leak_sentinel") || !strings.Contains(dump, "leak-sentinel") {
		t.Fatal("the dump does not hold the sentinels: wrong database?")
	}
	answer := strings.ToLower(strings.Join(answers, "\n"))
	lexerLeaks := 0
	for _, lc := range corpus.cases {
		t.Run(lc.class+"/"+lc.name, func(t *testing.T) {
			for _, form := range markerForms(lc.marker) {
				if i := strings.Index(dump, form); i >= 0 {
					ctxStart, ctxEnd := max(0, i-80), min(len(dump), i+len(form)+40)
					why := ""
					if lc.lexer {
						why = " (needs the lexer's fail-closed rules, ISSUE 12 item 2)"
						lexerLeaks++
					}
					t.Errorf("marker %s found in the dump as %q%s: …%s…", lc.marker, form, why, dump[ctxStart:ctxEnd])
					return
				}
				if strings.Contains(answer, form) {
					t.Errorf("marker %s found in a GraphQL answer as %q", lc.marker, form)
					return
				}
			}
		})
	}
	if !c.alive() {
		t.Error("collector died")
	}
	t.Logf("%d cases (%d lexer cases leaked), %d API rows, %d query rows, dump %d bytes, %s",
		len(corpus.cases), lexerLeaks, corpus.api, corpus.queries, len(dump), time.Since(started).Round(time.Second))
}
