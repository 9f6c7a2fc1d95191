package targets

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/otelcol-perf/otelcol-perf/internal/pgtestcluster"
)

// Probe tells what each module gives: pg_stat_statements preloaded but not created, created,
// auto_explain loaded and logging, hypopg absent; Connect applies the target's timeouts.
func TestProbeAndConnect(t *testing.T) {
	c := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements,auto_explain", "auto_explain.log_min_duration": "100"}})
	dsn := c.CreateDatabase(t, "shop")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tg := Target{DBNamespace: "shop", Tenant: "acme", DSN: configopaque.String(dsn), StatementTimeout: 1500 * time.Millisecond}
	conn, err := tg.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var timeout, app string
	if err := conn.QueryRow(ctx, "SELECT current_setting('statement_timeout'), current_setting('application_name')").Scan(&timeout, &app); err != nil {
		t.Fatal(err)
	}
	if timeout != "1500ms" || app != "otelcol-perf" {
		t.Errorf("statement_timeout %q, application_name %q", timeout, app)
	}
	caps, err := Probe(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if caps.ServerVersion < 150000 || caps.PgStatStatements || !strings.Contains(caps.PgssMissing, "CREATE EXTENSION") ||
		!caps.AutoExplain || caps.HypoPG || !caps.ReadAllStats {
		t.Errorf("before CREATE EXTENSION: %+v", caps)
	}
	c.Exec(t, "shop", "CREATE SCHEMA monitoring; CREATE EXTENSION pg_stat_statements SCHEMA monitoring; CREATE ROLE app LOGIN")
	if caps, err = Probe(ctx, conn); err != nil || !caps.PgStatStatements || caps.PgssSchema != "monitoring" {
		t.Errorf("after CREATE EXTENSION: %+v %v", caps, err)
	}
	// a role without pg_read_all_stats is told apart
	appTarget := Target{DSN: configopaque.String(strings.Replace(dsn, "postgres@", "app@", 1))}
	appConn, err := appTarget.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer appConn.Close(ctx)
	if caps, err := Probe(ctx, appConn); err != nil || caps.ReadAllStats || !caps.PgStatStatements {
		t.Errorf("role app: %+v %v", caps, err)
	}

	// auto_explain loaded but not logging (-1), pg_stat_statements not loaded
	c2 := pgtestcluster.Start(t, pgtestcluster.Options{Settings: map[string]string{"shared_preload_libraries": "auto_explain"}})
	c2.Exec(t, "postgres", "CREATE EXTENSION pg_stat_statements")
	conn2, err := Target{DSN: configopaque.String(c2.DSN("postgres"))}.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close(ctx)
	if caps, err := Probe(ctx, conn2); err != nil || caps.AutoExplain || caps.PgStatStatements || !strings.Contains(caps.PgssMissing, "shared_preload_libraries") {
		t.Errorf("second cluster: %+v %v", caps, err)
	}
	// a server that does not answer: the connect timeout holds, and the description names no host
	down := Target{DSN: "postgres://u:pw@127.0.0.1:1/x?sslmode=disable", ConnectTimeout: time.Second}
	start := time.Now()
	_, err = down.Connect(ctx)
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("connect to a closed port: %v after %s", err, time.Since(start))
	}
	if d := Describe(err); d != "PostgreSQL is unreachable" {
		t.Errorf("Describe: %q", d)
	}
}
