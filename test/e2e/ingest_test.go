package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// postTraces sends td as OTLP/HTTP protobuf, as an SDK does.
func postTraces(t *testing.T, endpoint string, td ptrace.Traces, headers map[string]string) {
	t.Helper()
	body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+endpoint+"/v1/traces", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-protobuf")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("OTLP export: %s %s", resp.Status, b)
	}
}

// A request and its queries go through the real pipeline of config.yaml (queryhash,
// batch with metadata_keys, persistent queue on file_storage) into PostgreSQL, under the
// tenant of the X-Scope-OrgID header, with no literal stored; the GraphQL API answers the
// anonymous (default) tenant without any of that tenant's data.
func TestOTLPThroughTheDefaultPipeline(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir())
	c.waitHealthy(t, 90*time.Second)

	now := time.Now().UTC()
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "checkout")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	trace := pcommon.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	server := spans.AppendEmpty()
	server.SetKind(ptrace.SpanKindServer)
	server.SetName("GET")
	server.SetTraceID(trace)
	server.SetSpanID(pcommon.SpanID{0, 0, 0, 0, 0, 0, 0, 1})
	server.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-time.Second)))
	server.SetEndTimestamp(pcommon.NewTimestampFromTime(now))
	server.Attributes().PutStr("url.path", "/carts/981273")
	server.Attributes().PutStr("http.request.method", "GET")
	server.Attributes().PutInt("http.response.status_code", 200)
	for i := 0; i < 6; i++ {
		db := spans.AppendEmpty()
		db.SetKind(ptrace.SpanKindClient)
		db.SetName("pg.query:SELECT shop")
		db.SetTraceID(trace)
		db.SetSpanID(pcommon.SpanID{0, 0, 0, 0, 0, 0, 1, byte(i)})
		db.SetParentSpanID(server.SpanID())
		db.SetStartTimestamp(pcommon.NewTimestampFromTime(now.Add(-900 * time.Millisecond).Add(time.Duration(i) * 10 * time.Millisecond)))
		db.SetEndTimestamp(pcommon.NewTimestampFromTime(now.Add(-895 * time.Millisecond).Add(time.Duration(i) * 10 * time.Millisecond)))
		db.Attributes().PutStr("db.system.name", "postgresql")
		db.Attributes().PutStr("db.query.text", fmt.Sprintf("SELECT * FROM cart_items WHERE cart_id = %d AND owner = 'bob%d@example.com'", 981273, i))
	}
	postTraces(t, c.otlpHTTP, td, map[string]string{"X-Scope-OrgID": "acme"})

	ctx := contextFor(t, 60*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var queries int
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM query_performance_log q JOIN perf_tenants t USING (tenant_id)
			WHERE t.name = 'acme'`).Scan(&queries); err == nil && queries == 6 {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if queries != 6 {
		t.Fatalf("%d query rows for tenant acme, want 6", queries)
	}
	var fingerprints int
	var text, route string
	if err := conn.QueryRow(ctx, `SELECT count(*), max(normalized_text) FROM query_fingerprints`).Scan(&fingerprints, &text); err != nil {
		t.Fatal(err)
	}
	if fingerprints != 1 || strings.Contains(text, "981273") || strings.Contains(text, "bob") {
		t.Fatalf("%d fingerprints, text %q: the six literal variants must group into one sanitized statement", fingerprints, text)
	}
	if err := conn.QueryRow(ctx, `SELECT e.route FROM api_performance_log a JOIN perf_endpoints e USING (tenant_id, endpoint_id)`).Scan(&route); err != nil {
		t.Fatal(err)
	}
	if route != "/carts/{id}" {
		t.Fatalf("endpoint %q", route)
	}

	// anonymous GraphQL requests are the default tenant's (config.yaml), which has no data
	body := `{"query":"{ performanceOverview(timeRange: LAST_HOUR) { avgResponseTimeMs } slowQueries(timeRange: LAST_HOUR, threshold: 0, limit: 10) { queryHash } }"}`
	resp, err := http.Post(c.graphqlURL+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			SlowQueries []struct{ QueryHash string }
		}
		Errors []json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) > 0 || len(out.Data.SlowQueries) != 0 {
		t.Fatalf("anonymous GraphQL answer: errors %s, %d slow queries (acme's data must not show)", out.Errors, len(out.Data.SlowQueries))
	}
}
