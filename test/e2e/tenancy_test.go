package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A client authenticated as one tenant cannot write into another through a batch
// processor: perfgraphql authenticates OTLP/HTTP, a batch processor keeps X-Scope-OrgID,
// and every request names the other tenant in the header, in tenant.id and in the
// exporter's internal stamp attribute. Every row lands in the tenant of the token, with
// both tenants' requests batched at the same time; tenant.max_tenants (1 here) does not
// cap the tenants of the tokens, although after batch only the metadata key carries them.
func TestTenancyAuthenticatedTenantSurvivesBatch(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::tenants::tokens: [{token: %s, tenant: acme}, {token: %s, tenant: globex}]", acmeToken, globexToken),
		"--config", `yaml:extensions::perfgraphql::tenants::anonymous_tenant: ""`,
		"--config", "yaml:receivers::otlp::protocols::http::auth::authenticator: perfgraphql",
		"--config", "yaml:processors::batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 0, timeout: 500ms}",
		"--config", "yaml:service::pipelines::traces::processors: [memory_limiter, batch, queryhash]",
		"--config", "yaml:exporters::perfpg::tenant::max_tenants: 1",
	)
	c.waitHealthy(t, 90*time.Second)

	type sent struct {
		token, other string
		id0          uint64
	}
	var requests []sent
	for i := range 6 {
		requests = append(requests, sent{acmeToken, "globex", 0x7100 + uint64(i)*10}, sent{globexToken, "acme", 0x7800 + uint64(i)*10})
	}
	for _, r := range requests {
		td := serverSpans("batched-svc", r.id0, 3, nil)
		res := td.ResourceSpans().At(0).Resource().Attributes()
		res.PutStr("tenant.id", r.other)
		res.PutStr("otelcol_perf.tenant", r.other)
		h := bearer(r.token)
		h["X-Scope-OrgID"] = r.other
		if got := postOTLP(t, c.otlpHTTP, "application/x-protobuf", protoOf(t, td), h); got.status != http.StatusOK {
			t.Fatalf("export: %d %s", got.status, got.body)
		}
	}
	ctx := contextFor(t, 60*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, r := range requests {
		want := map[string]string{acmeToken: "acme", globexToken: "globex"}[r.token]
		for i := range uint64(3) {
			if got := tenantOfSpan(t, conn, r.id0+i, 30*time.Second); got != want {
				t.Errorf("span %#x sent with the %s token and %q everywhere else: stored under %q, want %s", r.id0+i, want, r.other, got, want)
			}
		}
	}
	var tenants int
	if err := conn.QueryRow(ctx, `SELECT count(DISTINCT tenant_id) FROM api_performance_log`).Scan(&tenants); err != nil {
		t.Fatal(err)
	}
	if tenants != 2 {
		t.Errorf("rows under %d tenants, want 2", tenants)
	}
}

// The distribution refuses to start with a batch processor that would drop the tenant
// perfgraphql authenticated, and says what to change; the repository's config.yaml passes.
func TestTenancyConverterRefusesBatchWithoutTheTenantKey(t *testing.T) {
	t.Parallel()
	validate := func(overrides ...string) (string, error) {
		args := []string{"validate", "--config", filepath.Join(repoRoot(), "config.yaml")}
		for _, o := range overrides {
			args = append(args, "--config", o)
		}
		out, err := exec.Command(collectorBinary(t), args...).CombinedOutput()
		return string(out), err
	}
	if out, err := validate(); err != nil {
		t.Fatalf("config.yaml refused: %v\n%s", err, out)
	}
	out, err := validate(
		"yaml:receivers::otlp::protocols::http::auth::authenticator: perfgraphql",
		"yaml:processors::batch: {}",
		"yaml:service::pipelines::traces::processors: [memory_limiter, batch, queryhash]",
	)
	if err == nil {
		t.Fatalf("a batch processor without metadata_keys behind perfgraphql was accepted:\n%s", out)
	}
	for _, want := range []string{`tenancy: pipeline "traces"`, `processor "batch"`, `add "X-Scope-OrgID" to its metadata_keys`} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output does not say %q:\n%s", want, out)
		}
	}
}

// Tenant ids past the old smallint range work end to end: with 33 000 tenants in the
// dictionary (inserted directly), a new tenant's spans are stored under an id above 33 000
// and its GraphQL reads (row-level security on that id) return them, also after the
// scheduler refreshed its rollups.
func TestTenancyTenantIDBeyondSmallint(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	c := startCollector(t, dsn, t.TempDir(),
		"--config", fmt.Sprintf("yaml:extensions::perfgraphql::tenants::tokens: [{token: %s, tenant: acme}]", acmeToken),
		"--config", "yaml:receivers::otlp::protocols::http::auth::authenticator: perfgraphql",
		"--config", "yaml:extensions::perfgraphql::scheduler::interval: 1s",
	)
	c.waitHealthy(t, 90*time.Second)
	ctx := contextFor(t, 90*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `INSERT INTO perf_tenants (name) SELECT 'bulk-' || g FROM generate_series(1, 33000) g`); err != nil {
		t.Fatal(err)
	}
	if got := postOTLP(t, c.otlpHTTP, "application/x-protobuf", protoOf(t, serverSpans("big-id-svc", 0x9100, 4, map[string]string{"http.route": "/big"})), bearer(acmeToken)); got.status != http.StatusOK {
		t.Fatalf("export: %d %s", got.status, got.body)
	}
	if got := tenantOfSpan(t, conn, 0x9100, 30*time.Second); got != "acme" {
		t.Fatalf("span stored under %q, want acme", got)
	}
	var id int
	if err := conn.QueryRow(ctx, `SELECT tenant_id FROM perf_tenants WHERE name = 'acme'`).Scan(&id); err != nil || id <= 33000 {
		t.Fatalf("acme's tenant id %d (%v), want > 33000", id, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var d struct {
			EndpointMetrics []struct {
				Route         string
				TotalRequests int
			}
		}
		err := gqlAs(ctx, c.graphqlURL, acmeToken, `{ endpointMetrics(timeRange: LAST_HOUR) { route totalRequests } }`, &d)
		if err == nil && len(d.EndpointMetrics) == 1 && d.EndpointMetrics[0].Route == "/big" && d.EndpointMetrics[0].TotalRequests == 4 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GraphQL for the tenant with id %d: %+v, %v; want /big with 4 requests", id, d, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
