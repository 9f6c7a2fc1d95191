package perfgraphqlext

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/perfgraphqltest"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/pgstat"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// queryDetail.serverStats and monitoredDatabases show a tenant its own databases only: two
// tenants' databases on one server run the same statement, each sees its own executions.
func TestServerStatsAndMonitoredDatabasesPerTenant(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{"shared_preload_libraries": "pg_stat_statements"}})
	const stmt = "SELECT id FROM items WHERE id = $1"
	fp := sqlnorm.New(sqlnorm.PostgreSQL, 0).Normalize(stmt).Fingerprint
	pool, dsn := perfdbtest.NewMigratedPool(t)
	perfgraphqltest.SeedTenant(t, pool, "acme", int64(fp))
	perfgraphqltest.SeedTenant(t, pool, "globex", int64(fp))

	var ts []targets.Target
	for _, db := range []struct{ name, tenant string }{{"shop", "acme"}, {"shop2", "globex"}} {
		tdsn := c.CreateDatabase(t, db.name)
		c.Exec(t, db.name, "CREATE EXTENSION pg_stat_statements; CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)")
		ts = append(ts, targets.Target{DBNamespace: db.name, Tenant: db.tenant, DSN: configopaque.String(tdsn)})
	}
	ts = append(ts, targets.Target{DBNamespace: "billing", Tenant: "acme", DSN: "postgres://postgres@127.0.0.1:1/billing?sslmode=disable", ConnectTimeout: time.Second})
	s := &pgstat.Snapshotter{}
	snapAll := func() {
		for _, tg := range ts {
			if _, err := s.Snapshot(tctx(t), pool, tg, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	snapAll()
	for i, tg := range ts[:2] {
		conn, err := pgx.Connect(tctx(t), string(tg.DSN))
		if err != nil {
			t.Fatal(err)
		}
		for range 3 + 4*i { // acme 3, globex 7
			if _, err := conn.Exec(tctx(t), stmt, 5); err != nil {
				t.Fatal(err)
			}
		}
		conn.Close(context.Background())
	}
	snapAll()

	url := startExt(t, dsn, nil, "acme", "globex")
	d := mustData(t, query(t, url, "token-acme", `{
		queryDetail(fingerprint: "`+sqlnorm.FormatFingerprint(fp)+`", timeRange: LAST_HOUR) {
			serverStats { dbNamespace calls totalTimeMs meanTimeMs rows sharedBlksHit sharedBlksRead cacheHitRatio tempBlksWritten walBytes firstHour lastHour }
		}
		monitoredDatabases { dbNamespace status reachable hasPgStatStatements hasAutoExplain hasHypopg error lastSnapshotAt statements }
	}`, nil))
	ss := d["queryDetail"].(map[string]any)["serverStats"].([]any)
	if len(ss) != 1 {
		t.Fatalf("serverStats %v, want acme's shop only", ss)
	}
	st := ss[0].(map[string]any)
	if st["dbNamespace"] != "shop" || st["calls"] != 3.0 || st["rows"] != 3.0 || st["meanTimeMs"].(float64) <= 0 ||
		st["cacheHitRatio"] == nil || st["walBytes"] == nil {
		t.Errorf("serverStats %v", st)
	}
	if r := st["cacheHitRatio"].(float64); r < 0 || r > 1 || r != st["sharedBlksHit"].(float64)/(st["sharedBlksHit"].(float64)+st["sharedBlksRead"].(float64)) {
		t.Errorf("cacheHitRatio %v of %v", r, st)
	}
	dbs := d["monitoredDatabases"].([]any)
	if len(dbs) != 2 {
		t.Fatalf("monitoredDatabases %v, want acme's billing and shop", dbs)
	}
	billing, shop := dbs[0].(map[string]any), dbs[1].(map[string]any)
	if billing["dbNamespace"] != "billing" || billing["status"] != "UNREACHABLE" || billing["error"] != "PostgreSQL is unreachable" || billing["lastSnapshotAt"] != nil {
		t.Errorf("billing %v", billing)
	}
	if shop["dbNamespace"] != "shop" || shop["status"] != "OK" || shop["hasPgStatStatements"] != true || shop["hasAutoExplain"] != false ||
		shop["error"] != nil || shop["lastSnapshotAt"] == nil {
		t.Errorf("shop %v", shop)
	}
	g := mustData(t, query(t, url, "token-globex", `{ queryDetail(fingerprint: "`+sqlnorm.FormatFingerprint(fp)+`", timeRange: LAST_HOUR) { serverStats { dbNamespace calls } } monitoredDatabases { dbNamespace } }`, nil))
	gs := g["queryDetail"].(map[string]any)["serverStats"].([]any)
	if len(gs) != 1 || gs[0].(map[string]any)["dbNamespace"] != "shop2" || gs[0].(map[string]any)["calls"] != 7.0 {
		t.Errorf("globex serverStats %v", gs)
	}
	if gd := g["monitoredDatabases"].([]any); len(gd) != 1 || gd[0].(map[string]any)["dbNamespace"] != "shop2" {
		t.Errorf("globex monitoredDatabases %v", gd)
	}
}
