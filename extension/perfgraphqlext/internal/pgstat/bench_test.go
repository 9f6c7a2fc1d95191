package pgstat

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
)

// The leader's cost of snapshotting a database with 5 000 distinct statements
// (pg_stat_statements.max = 10000):
//
//	go test -run '^$' -bench Snapshot5000 -benchtime 5x ./extension/perfgraphqlext/internal/pgstat/
//
// steady: every statement ran since the previous snapshot (5 000 deltas to store, no text to
// read); cold: a leader with no previous snapshot reads and normalizes the 5 000 texts.
// read_ms is the part spent reading the target.
func BenchmarkSnapshot5000(b *testing.B) {
	const n = 5000
	c := pgtestcluster.Start(b, pgtestcluster.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements", "pg_stat_statements.max": "10000"}})
	dsn := c.CreateDatabase(b, "shop")
	cols := make([]string, 100)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d int", i)
	}
	c.Exec(b, "shop", "CREATE EXTENSION pg_stat_statements; CREATE TABLE wide (id int PRIMARY KEY, "+strings.Join(cols, ", ")+")")
	stmts := make([]string, 0, n)
	for i := 0; len(stmts) < n; i++ {
		a, z := i/100, i%100
		if a == z {
			continue
		}
		stmts = append(stmts, fmt.Sprintf("SELECT c%d, c%d FROM wide WHERE id = $1", a, z))
	}
	app := connect(b, dsn, pgx.QueryExecModeExec)
	runAll := func() {
		batch := &pgx.Batch{}
		for _, s := range stmts {
			batch.Queue(s, 1)
		}
		if err := app.SendBatch(tctx(b), batch).Close(); err != nil {
			b.Fatal(err)
		}
	}
	runAll()
	pool, _ := perfdbtest.NewMigratedPool(b)
	tg := targets.Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn)}
	s := &Snapshotter{}
	report := func(b *testing.B, read time.Duration) {
		b.ReportMetric(float64(read.Microseconds())/1000/float64(b.N), "read_ms/op")
	}
	b.Run("steady", func(b *testing.B) {
		snap(b, s, pool, tg)
		var read time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			runAll()
			b.StartTimer()
			res := snap(b, s, pool, tg)
			read += res.ReadTime
			if res.Entries < n || res.Fingerprints < n {
				b.Fatalf("snapshot saw %d entries, %d fingerprints with calls", res.Entries, res.Fingerprints)
			}
		}
		report(b, read)
	})
	b.Run("cold", func(b *testing.B) {
		var read time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			perfdbtest.Exec(b, pool, "DELETE FROM perf_pgss_snapshot; DELETE FROM perf_monitored_databases; DELETE FROM perf_server_statements")
			b.StartTimer()
			res := snap(b, &Snapshotter{}, pool, tg)
			read += res.ReadTime
			if res.TextsFetched < n {
				b.Fatalf("read %d texts", res.TextsFetched)
			}
		}
		report(b, read)
	})
}
