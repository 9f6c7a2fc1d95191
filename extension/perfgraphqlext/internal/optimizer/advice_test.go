package optimizer

import (
	"fmt"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm/likeclass"
)

const (
	fpSleep         int64 = 0x7001
	fpScan          int64 = 0x7002
	fpIndexed       int64 = 0x7003
	fpLikeScan      int64 = 0x7004
	fpLikeScanParam int64 = 0x7005
	fpLikeScanRare  int64 = 0x7006
)

// adviceTarget is the application's database the advice is checked against: orders (200k
// rows, no index but on created_at) and products (50k rows with descriptions).
func adviceTarget(t *testing.T) string {
	dsn := perfdbtest.NewDatabase(t)
	target, err := pgxpool.New(tctx(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(target.Close)
	if _, err := target.Exec(tctx(t), "CREATE EXTENSION IF NOT EXISTS hypopg"); err != nil {
		t.Fatalf("the hypopg extension is required (apt-get install -y postgresql-15-hypopg, matching the server): %v", err)
	}
	perfdbtest.Exec(t, target, `CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, created_at timestamptz NOT NULL, total numeric NOT NULL)`)
	perfdbtest.Exec(t, target, `INSERT INTO orders (customer_id, created_at, total)
		SELECT g % 5000, now() - (g % 1000) * interval '1 hour', g % 100 FROM generate_series(1, 200000) g`)
	perfdbtest.Exec(t, target, `CREATE INDEX orders_created_at ON orders (created_at)`)
	perfdbtest.Exec(t, target, `CREATE TABLE products (id bigserial PRIMARY KEY, name text NOT NULL, description text NOT NULL)`)
	perfdbtest.Exec(t, target, `INSERT INTO products (name, description)
		SELECT 'product ' || g, md5(g::text) || ' ' || md5((g * 7)::text) FROM generate_series(1, 50000) g`)
	perfdbtest.Exec(t, target, "ANALYZE orders, products")
	return dsn
}

// seedAdvice stores executions of the statements in the shop database: a 1.1 s report that
// sleeps, a 1.2 s filter on an unindexed column, a 1.5 s filter on an indexed one, and two
// 8 ms LIKE statements run 120 times each (under a second together: a search on every request
// of an endpoint at modest volume), one with a '%…%' literal, one with a bound pattern, and a
// '%…%' one run 60 times for 5 ms (0.3 s, under like_scan.min_total_duration).
func seedAdvice(t *testing.T, pool *pgxpool.Pool, f fx, now time.Time) {
	db := perfdbtest.Scalar[int32](t, pool, "SELECT db_id FROM perf_databases WHERE tenant_id = $1 AND db_namespace = 'shop'", f.tid)
	for fp, text := range map[int64]string{
		fpSleep:         "SELECT customer_id, sum(total), pg_sleep(?) FROM orders WHERE customer_id = ? GROUP BY customer_id",
		fpScan:          "SELECT id, total FROM orders WHERE customer_id = ?",
		fpIndexed:       "SELECT id, total FROM orders WHERE created_at = ?",
		fpLikeScan:      "SELECT id, name FROM products WHERE description LIKE ?",
		fpLikeScanParam: "SELECT id, description FROM products WHERE name ILIKE ?",
		fpLikeScanRare:  "SELECT id FROM products WHERE name LIKE ?",
	} {
		coll := "orders"
		if strings.Contains(text, "products") {
			coll = "products"
		}
		perfdbtest.Exec(t, pool, `INSERT INTO query_fingerprints VALUES ($1, $2, 'postgresql', 'SELECT', $4, 'SELECT '||$4, $3, now(), now())`, f.tid, fp, text, coll)
	}
	t0 := now.Add(-2 * time.Hour)
	ins := func(fp int64, base int64, n int, durUs int, like likeclass.Class) {
		perfdbtest.Exec(t, pool, `INSERT INTO query_performance_log
			SELECT $3::timestamptz + g * interval '5 s', $2, $4 + g, $4 + 100000 + g, md5(($4 + g)::text)::uuid, $5, $6, $7, $8, 1, $1, false, $9
			FROM generate_series(0, $10 - 1) g`, f.tid, fp, t0, base, f.svc, f.epOrders, db, durUs, int16(like), n)
	}
	ins(fpSleep, 100000, 20, 1100000, likeclass.None)
	ins(fpScan, 200000, 20, 1200000, likeclass.None)
	ins(fpIndexed, 300000, 20, 1500000, likeclass.None)
	ins(fpLikeScan, 400000, 120, 8000, likeclass.LeadingWildcard)
	ins(fpLikeScanParam, 500000, 120, 8000, likeclass.Parameter)
	ins(fpLikeScanRare, 600000, 60, 5000, likeclass.LeadingWildcard)
	refreshAll(t, pool, f.tid, "acme")
}

func adviceFor(recs []Recommendation, fp int64) []Recommendation {
	var out []Recommendation
	for _, r := range recs {
		for _, x := range r.Evidence.Fingerprints {
			if x == fpHex(fp) {
				out = append(out, r)
			}
		}
	}
	return out
}

func logRec(t *testing.T, r Recommendation) {
	t.Helper()
	v := ""
	if r.Evidence.Validation != nil {
		v = "\n  validation: " + r.Evidence.Validation.Status + ": " + r.Evidence.Validation.Message
	}
	t.Logf("%s [%s %s]\n  %s\n  recommendation: %s\n  implementation: %s%s", r.Title, r.Kind, r.Priority, r.Description, r.Recommendation, r.Implementation, v)
}

// Advice that cannot be wrong, against a real application database with HypoPG: a statement
// whose time is a sleep gets no index, a filter on an unindexed column of a large table gets
// one that cuts the estimated cost by at least hypopg.min_cost_reduction, a filter an existing
// index serves gets none, and a leading-wildcard LIKE literal gets a trigram index that the
// planner then uses; a bound pattern gets nothing.
func TestAdviceAgainstTarget(t *testing.T) {
	pool, _ := perfdbtest.NewMigratedPool(t)
	now := time.Now().UTC()
	f := setup(t, pool, now)
	seedAdvice(t, pool, f, now)
	target := adviceTarget(t)
	cfg := DefaultConfig()
	cfg.Targets = []targets.Target{{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(target)}}
	res, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}

	sleep := adviceFor(res.Recommendations, fpSleep)
	if len(sleep) != 1 {
		t.Fatalf("pg_sleep report: %v", summarize(sleep))
	}
	logRec(t, sleep[0])
	if strings.Contains(sleep[0].Implementation, "CREATE INDEX") || sleep[0].Evidence.Validation != nil ||
		!strings.Contains(sleep[0].Description, "No index helps: the time is spent in pg_sleep()") ||
		!strings.Contains(sleep[0].Recommendation, "Remove pg_sleep()") {
		t.Errorf("pg_sleep report: an index or no reason: %+v", sleep[0])
	}

	scan := adviceFor(res.Recommendations, fpScan)
	if len(scan) != 1 {
		t.Fatalf("unindexed filter: %v", summarize(scan))
	}
	logRec(t, scan[0])
	v := scan[0].Evidence.Validation
	if v == nil || v.Status != "VALIDATED" || !v.IndexUsed || (*v.CostBefore-*v.CostAfter)/(*v.CostBefore) < 0.3 ||
		scan[0].Implementation != "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id ON orders (customer_id);" {
		t.Errorf("unindexed filter: want a validated index cutting >= 30%%: %+v %+v", scan[0], v)
	}

	indexed := adviceFor(res.Recommendations, fpIndexed)
	if len(indexed) != 1 {
		t.Fatalf("indexed filter: %v", summarize(indexed))
	}
	logRec(t, indexed[0])
	if v := indexed[0].Evidence.Validation; v == nil || v.Status != "NOT_BENEFICIAL" || strings.Contains(indexed[0].Implementation, "CREATE INDEX") ||
		!strings.Contains(indexed[0].Description, "no index helps") || !strings.Contains(v.Message, "created_at is already indexed by orders_created_at") {
		t.Errorf("indexed filter: want no index, naming the existing one: %+v %+v", indexed[0], v)
	}

	like := adviceFor(res.Recommendations, fpLikeScan)
	if len(like) != 1 || like[0].Kind != KindLikeScan {
		t.Fatalf("leading-wildcard LIKE: %v", summarize(like))
	}
	logRec(t, like[0])
	wantDDL := "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_products_description_trgm ON products USING gin (description gin_trgm_ops);"
	if like[0].Implementation != wantDDL || like[0].AffectedEndpoints[0] != "GET /orders" {
		t.Errorf("trigram advice %q on %v, want %q", like[0].Implementation, like[0].AffectedEndpoints, wantDDL)
	}
	if !strings.Contains(like[0].Description, "checked on the target: products has no trigram index on description") {
		t.Errorf("trigram advice does not say the target was checked: %s", like[0].Description)
	}
	if got := adviceFor(res.Recommendations, fpLikeScanRare); len(got) != 0 {
		t.Errorf("a leading-wildcard LIKE of 0.3 s in the window got advice: %v", summarize(got))
	}
	if got := adviceFor(res.Recommendations, fpLikeScanParam); len(got) != 0 {
		t.Errorf("a bound pattern got advice: %v", summarize(got))
	}
	// the advice is right: once applied, the planner reads a '%…%' search through the index
	tp, err := pgxpool.New(tctx(t), target)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	for _, ddl := range strings.Split(strings.TrimSuffix(wantDDL, ";"), ";\n") {
		perfdbtest.Exec(t, tp, ddl)
	}
	perfdbtest.Exec(t, tp, "ANALYZE products")
	var plan string
	if err := tp.QueryRow(tctx(t), "EXPLAIN (FORMAT JSON) SELECT id, name FROM products WHERE description LIKE '%c0ffee%'").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "idx_products_description_trgm") {
		t.Errorf("the trigram index is not used: %s", plan)
	}

	// with a higher bar the same index no longer counts as validated, and is not offered
	cfg.HypoPG.MinCostReduction = 0.9999
	res2, err := New(cfg, nil).Run(tctx(t), pool, "acme", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := adviceFor(res2.Recommendations, fpLikeScan); len(got) != 0 {
		t.Errorf("the column has a trigram index now, yet: %v", summarize(got))
	}
	scan2 := adviceFor(res2.Recommendations, fpScan)
	if len(scan2) != 1 {
		t.Fatalf("unindexed filter, 99.99%%: %v", summarize(scan2))
	}
	logRec(t, scan2[0])
	if v := scan2[0].Evidence.Validation; v == nil || v.Status != "NOT_BENEFICIAL" || strings.Contains(scan2[0].Implementation, "CREATE INDEX") ||
		!strings.Contains(v.Message, "below the -99.99% required") {
		t.Errorf("a cut below the minimum must not validate: %+v %+v", scan2[0], v)
	}
}

// The partial index the like_scan detector reads through selects the class it asks for.
func TestLikeScanSQLClass(t *testing.T) {
	if !strings.Contains(likeScanSQL, fmt.Sprintf("like_pattern = %d", likeclass.LeadingWildcard)) {
		t.Errorf("likescan.sql does not select likeclass.LeadingWildcard (%d)", likeclass.LeadingWildcard)
	}
}
