package indexadvisor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// TestHypoPGValidation runs against a real database with the hypopg extension. It fails (does
// not skip) when the extension is not installed on the server.
func TestHypoPGValidation(t *testing.T) {
	dsn := perfdbtest.NewDatabase(t)
	pool, err := pgxpool.New(tctx(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(tctx(t), "CREATE EXTENSION IF NOT EXISTS hypopg"); err != nil {
		t.Fatalf("the hypopg extension is required for this test: install it on the PostgreSQL server "+
			"(Debian/Ubuntu: apt-get install -y postgresql-15-hypopg, matching the server's major version): %v", err)
	}
	perfdbtest.Exec(t, pool, `CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, created_at timestamptz NOT NULL, total numeric NOT NULL)`)
	perfdbtest.Exec(t, pool, `INSERT INTO orders (customer_id, created_at, total)
		SELECT g % 5000, now() - (g % 1000) * interval '1 hour', g % 100 FROM generate_series(1, 100000) g`)
	perfdbtest.Exec(t, pool, "ANALYZE orders")
	perfdbtest.Exec(t, pool, `CREATE TABLE tiny (id int, v int)`)

	h := NewValidator(Config{}, []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}})
	stmt := "SELECT * FROM orders WHERE customer_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT ?"
	v := h.Validate(tctx(t), "acme", "shop", AnalyzeStatement(stmt), stmt)
	t.Logf("%+v", v)
	if v.Status != "VALIDATED" || !v.IndexUsed || v.CostBefore == nil || v.CostAfter == nil || *v.CostAfter >= *v.CostBefore {
		t.Fatalf("want a validated index with a lower cost, got %+v", v)
	}
	if !strings.Contains(v.PlanAfter, "btree_orders") {
		t.Errorf("plan after does not use the hypothetical index:\n%s", v.PlanAfter)
	}
	// an index on a column the planner has no use for: a full scan of a tiny table stays cheaper
	stmt2 := "SELECT * FROM tiny WHERE v > ?"
	v2 := h.Validate(tctx(t), "acme", "shop", AnalyzeStatement(stmt2), stmt2)
	if v2.Status != "NOT_BENEFICIAL" && v2.Status != "VALIDATED" {
		t.Errorf("tiny table: %+v", v2)
	}
	// no target for the namespace: not validated
	v3 := h.Validate(tctx(t), "acme", "other", AnalyzeStatement(stmt), stmt)
	if v3.Status != "NOT_VALIDATED" || !strings.Contains(v3.Message, "not validated") {
		t.Errorf("no target: %+v", v3)
	}
	// another tenant's target of the same namespace is never used
	v5 := h.Validate(tctx(t), "globex", "shop", AnalyzeStatement(stmt), stmt)
	if v5.Status != "NOT_VALIDATED" {
		t.Errorf("another tenant's target was used: %+v", v5)
	}
	// a target without the extension: a clear error, not a guess
	dsn2 := perfdbtest.NewDatabase(t)
	h2 := NewValidator(Config{}, []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn2)}})
	v4 := h2.Validate(tctx(t), "acme", "shop", AnalyzeStatement(stmt), stmt)
	if v4.Status != "ERROR" || !strings.Contains(v4.Message, "CREATE EXTENSION hypopg") {
		t.Errorf("missing extension: %+v", v4)
	}
}

func tctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}
