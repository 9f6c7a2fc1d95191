package e2e

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// rawCodec sends bytes as they are, to put a malformed protobuf on the wire.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// OTLP/gRPC bad input: a malformed protobuf is refused with a non-retryable gRPC error and
// the collector keeps serving; invalid UTF-8 inside a well-formed request is stored cleaned,
// under the tenant of the x-scope-orgid metadata.
func TestSecurityGRPCBadInput(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir())
	c.waitHealthy(t, 90*time.Second)

	conn, err := grpc.NewClient(c.otlpGRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := contextFor(t, 60*time.Second)

	garbage := []byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02}
	var reply []byte
	err = conn.Invoke(ctx, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", &garbage, &reply, grpc.ForceCodec(rawCodec{}))
	switch status.Code(err) {
	case codes.InvalidArgument, codes.Internal:
	default:
		t.Fatalf("malformed protobuf: got %v, want InvalidArgument or Internal (not OK, not retryable)", err)
	}

	td := serverSpans("grpc-svc", 7_000_000, 3, map[string]string{"http.route": "/bad\xff\xfe/route"})
	md := metadata.Pairs("x-scope-orgid", "acme")
	if _, err := ptraceotlp.NewGRPCClient(conn).Export(metadata.NewOutgoingContext(ctx, md), ptraceotlp.NewExportRequestFromTraces(td)); err != nil {
		t.Fatalf("well-formed export after a malformed one: %v", err)
	}
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	var n int
	var route, tenant string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		err = db.QueryRow(ctx, `SELECT count(*), max(e.route), max(t.name) FROM api_performance_log a
			JOIN perf_endpoints e USING (tenant_id, endpoint_id) JOIN perf_tenants t USING (tenant_id)`).Scan(&n, &route, &tenant)
		if err == nil && n == 3 {
			break
		}
	}
	if n != 3 || route != "/bad\uFFFD/route" || tenant != "acme" {
		t.Fatalf("stored %d rows, route %q, tenant %q; want 3, the route with one U+FFFD for the invalid run, acme", n, route, tenant)
	}
	if lines := c.errorLines(); len(lines) > 0 {
		t.Fatalf("error-level log lines: %v", lines)
	}
}
