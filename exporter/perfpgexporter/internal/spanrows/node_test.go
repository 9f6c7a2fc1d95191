package spanrows

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// nodeSpan is one span as testdata/node/record.js prints it (the SDK's ReadableSpan).
type nodeSpan struct {
	Name         string         `json:"name"`
	Scope        string         `json:"scope"`
	ScopeVersion string         `json:"scopeVersion"`
	Kind         int            `json:"kind"` // api.SpanKind: INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER
	TraceID      string         `json:"traceId"`
	SpanID       string         `json:"spanId"`
	ParentSpanID string         `json:"parentSpanId"`
	Start        [2]int64       `json:"start"` // HrTime: seconds, nanoseconds
	End          [2]int64       `json:"end"`
	Status       int            `json:"status"` // UNSET, OK, ERROR
	Attributes   map[string]any `json:"attributes"`
}

// Node pg and mysql2 through the official OpenTelemetry instrumentations
// (@opentelemetry/instrumentation-pg, -mysql2), installed with npm at the versions of
// testdata/node/package.json: pg.connect and pg-pool.connect spans are no executions; a
// named (prepared) statement and mysql2's execute() give one span per execution.
func TestNodeInstrumentationsOneRowPerExecution(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not found: this test installs the Node OpenTelemetry instrumentations with npm (CI has npm and node)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: this test runs the Node OpenTelemetry instrumentations (CI has npm and node)")
	}
	dir := t.TempDir()
	for _, f := range []string{"package.json", "record.js"} {
		b, err := os.ReadFile(filepath.Join("testdata", "node", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	install := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--loglevel=error")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm install: %v\n%s", err, out)
	}

	run := exec.CommandContext(ctx, node, "record.js")
	run.Dir = dir
	run.Env = append(os.Environ(), "PG_DSN="+instrumentedDB(t))
	want := map[string]int{
		"postgresql|SELECT id, qty FROM items WHERE qty > ? ORDER BY id": 1,
		"postgresql|SELECT qty FROM items WHERE id = ?":                  3, // a named statement: prepared once
		"postgresql|BEGIN":                          1,
		"postgresql|DELETE FROM items WHERE id = ?": 1,
		"postgresql|COMMIT":                         1,
		"postgresql|SELECT * FROM no_such_table":    1,
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:3306", time.Second); err == nil {
		c.Close()
		run.Env = append(run.Env, "MYSQL_URL=mysql://root@127.0.0.1:3306", fmt.Sprintf("MYSQL_DB=spanrows_node_%d", os.Getpid()))
		want["mysql|SELECT id, qty FROM items WHERE qty > ? ORDER BY id"] = 1
		want["mysql|SELECT qty FROM items WHERE id = ?"] = 3 // execute(): prepared once, one span per execution
		want["mysql|SELECT * FROM no_such_table"] = 1
	} else {
		t.Log("no MySQL/MariaDB at 127.0.0.1:3306: mysql2 not exercised")
	}
	var stderr bytes.Buffer
	run.Stderr = &stderr
	out, err := run.Output()
	if err != nil {
		t.Fatalf("node record.js: %v\n%s", err, stderr.Bytes())
	}

	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "node-shop")
	scopes := map[string]ptrace.ScopeSpans{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s nodeSpan
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("%v: %s", err, sc.Bytes())
		}
		ss, ok := scopes[s.Scope]
		if !ok {
			ss = rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName(s.Scope)
			ss.Scope().SetVersion(s.ScopeVersion)
			scopes[s.Scope] = ss
		}
		nodeSpanTo(t, s, ss.Spans().AppendEmpty())
	}
	c := NewConverter(Options{DefaultTenant: "default", Retention: 24 * time.Hour, MaxFutureSkew: time.Minute, MaxStatementLen: 4096})
	b := c.Convert(td, time.Now())
	text := map[int64]string{} // the fingerprint does not hold the system: the same text in both is one
	for _, s := range b.Statements {
		text[s.Fingerprint] = s.Normalized
	}
	got := map[string]int{}
	for _, q := range b.Queries {
		got[b.Databases.Values[q.Database].System+"|"+text[q.Fingerprint]]++
		if q.Endpoint == NoEndpoint {
			t.Errorf("a row of %q has no endpoint", text[q.Fingerprint])
		}
	}
	assertCounts(t, got, want)
	ss := rs.ScopeSpans()
	for i := 0; i < ss.Len(); i++ {
		spans := ss.At(i).Spans()
		for k := 0; k < spans.Len(); k++ {
			sp := spans.At(k)
			want := RoleExecution
			if sp.Name() == "pg.connect" || sp.Name() == "pg-pool.connect" {
				want = RoleConnection
			}
			if got := Classify(ss.At(i).Scope().Name(), sp.Name(), sp.Attributes()); got != want {
				t.Errorf("%s span %q: role %s, want %s", ss.At(i).Scope().Name(), sp.Name(), got, want)
			}
		}
	}
}

func nodeSpanTo(t *testing.T, s nodeSpan, span ptrace.Span) {
	t.Helper()
	id := func(h string, n int) []byte {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != n {
			t.Fatalf("id %q: %v", h, err)
		}
		return b
	}
	span.SetName(s.Name)
	span.SetTraceID(pcommon.TraceID(id(s.TraceID, 16)))
	span.SetSpanID(pcommon.SpanID(id(s.SpanID, 8)))
	if s.ParentSpanID != "" {
		span.SetParentSpanID(pcommon.SpanID(id(s.ParentSpanID, 8)))
	}
	span.SetKind([]ptrace.SpanKind{ptrace.SpanKindInternal, ptrace.SpanKindServer, ptrace.SpanKindClient,
		ptrace.SpanKindProducer, ptrace.SpanKindConsumer}[s.Kind])
	span.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Unix(s.Start[0], s.Start[1])))
	span.SetEndTimestamp(pcommon.NewTimestampFromTime(time.Unix(s.End[0], s.End[1])))
	span.Status().SetCode([]ptrace.StatusCode{ptrace.StatusCodeUnset, ptrace.StatusCodeOk, ptrace.StatusCodeError}[s.Status])
	for k, v := range s.Attributes {
		switch v := v.(type) {
		case string:
			span.Attributes().PutStr(k, v)
		case bool:
			span.Attributes().PutBool(k, v)
		case float64: // JSON has one number type; the SDK's integers print without a fraction
			if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
				span.Attributes().PutInt(k, int64(v))
			} else {
				span.Attributes().PutDouble(k, v)
			}
		default:
			if err := span.Attributes().PutEmpty(k).FromRaw(v); err != nil {
				t.Fatalf("attribute %s: %v", k, err)
			}
		}
	}
}
