package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func TestComponentsListsTheDistribution(t *testing.T) {
	out, err := exec.Command(collectorBinary(t), "components").CombinedOutput()
	if err != nil {
		t.Fatalf("components: %v\n%s", err, out)
	}
	for _, name := range []string{
		"otlp", "host_metrics", "batch", "memory_limiter", "queryhash", "debug", "perfpg",
		"file_storage", "health_check", "pprof", "bearertokenauth", "perfgraphql",
	} {
		if !strings.Contains(string(out), "- name: "+name+"\n") {
			t.Errorf("component %q missing from:\n%s", name, out)
		}
	}
	for _, provider := range []string{"env", "file", "yaml"} {
		if !strings.Contains(string(out), "scheme: "+provider+"\n") {
			t.Errorf("provider %q missing", provider)
		}
	}
}

// Two collectors started at the same moment against one new database: both come up, the
// database is created once and every migration is applied once.
func TestTwoCollectorsStartTogetherOnANewDatabase(t *testing.T) {
	t.Parallel()
	dsn := perfdbtest.NewDatabaseName(t)
	a := startCollector(t, dsn, t.TempDir())
	b := startCollector(t, dsn, t.TempDir())
	a.waitHealthy(t, 90*time.Second)
	b.waitHealthy(t, 90*time.Second)

	ctx := contextFor(t, 30*time.Second)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var versions, duplicates int
	if err := conn.QueryRow(ctx, `SELECT count(DISTINCT version_id), count(*) - count(DISTINCT version_id)
		FROM perf_schema_version WHERE version_id > 0`).Scan(&versions, &duplicates); err != nil {
		t.Fatal(err)
	}
	if versions == 0 || duplicates != 0 {
		t.Fatalf("%d migrations recorded with %d duplicates", versions, duplicates)
	}
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
		WHERE c.relname IN ('query_performance_log','api_performance_log','system_resource_metrics','db_pool_metrics')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 4 {
		t.Fatalf("%d partitioned log tables, want 4", tables)
	}
	for _, c := range []*collector{a, b} {
		if strings.Contains(c.output.String(), "\terror\t") {
			t.Errorf("collector logged errors:\n%s", c.output.String())
		}
	}
}
