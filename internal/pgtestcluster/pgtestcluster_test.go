package pgtestcluster

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestClusterSettingsLogsAndCleanup(t *testing.T) {
	var c *Cluster
	t.Run("run", func(t *testing.T) {
		c = Start(t, Options{Settings: map[string]string{
			"shared_preload_libraries":      "pg_stat_statements,auto_explain",
			"logging_collector":             "on",
			"log_destination":               "jsonlog",
			"auto_explain.log_format":       "json",
			"auto_explain.log_min_duration": "0",
			"pg_stat_statements.max":        "10000",
		}})
		if c.Port == 5432 {
			t.Fatal("the private cluster must not use the shared server's port")
		}
		dsn := c.CreateDatabase(t, "app")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var libs, max, format string
		if err := conn.QueryRow(ctx, "SELECT current_setting('shared_preload_libraries'), current_setting('pg_stat_statements.max'), current_setting('auto_explain.log_format')").Scan(&libs, &max, &format); err != nil {
			t.Fatal(err)
		}
		if libs != "pg_stat_statements,auto_explain" || max != "10000" || format != "json" {
			t.Fatalf("settings not applied: %q %q %q", libs, max, format)
		}
		if _, err := conn.Exec(ctx, "SELECT 42 AS marker_for_the_log"); err != nil {
			t.Fatal(err)
		}
		// the json log appears in LogDir, with auto_explain's entry for the statement above
		deadline := time.Now().Add(10 * time.Second)
		for {
			files, _ := filepath.Glob(filepath.Join(c.LogDir, "*.json"))
			found := false
			for _, f := range files {
				b, _ := os.ReadFile(f)
				if strings.Contains(string(b), "marker_for_the_log") && strings.Contains(string(b), "Plan") {
					found = true
				}
			}
			if found {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no jsonlog entry with the auto_explain plan in %s (files %v)", c.LogDir, files)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	if c == nil {
		t.Fatal("cluster not started")
	}
	// the subtest's cleanup stopped the server and removed its files
	if _, err := os.Stat(c.root); !os.IsNotExist(err) {
		t.Fatalf("cluster directory %s still exists: %v", c.root, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, c.DSN("postgres")); err == nil {
		conn.Close(ctx)
		t.Fatal("the cluster still accepts connections after its test ended")
	}
}

// A test that fails still stops its cluster.
func TestClusterStoppedAfterFailure(t *testing.T) {
	if os.Getenv("PGTESTCLUSTER_FAILING_CHILD") == "1" {
		c := Start(t, Options{})
		_ = os.WriteFile(os.Getenv("PGTESTCLUSTER_DIR_FILE"), []byte(c.root+"\n"+c.DSN("postgres")), 0o600)
		t.Fatal("deliberate failure")
	}
	if _, err := os.Stat(filepath.Join(BinDir(), "initdb")); err != nil {
		t.Skipf("PostgreSQL server binaries not in %s", BinDir())
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	info := filepath.Join(t.TempDir(), "dir")
	cmd := exec.Command(exe, "-test.run", "^TestClusterStoppedAfterFailure$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PGTESTCLUSTER_FAILING_CHILD=1", "PGTESTCLUSTER_DIR_FILE="+info)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "deliberate failure") {
		t.Fatalf("the child test should have failed deliberately: %v\n%s", err, out)
	}
	b, err := os.ReadFile(info)
	if err != nil {
		t.Fatalf("child did not start its cluster: %v\n%s", err, out)
	}
	root, dsn, _ := strings.Cut(string(b), "\n")
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatalf("cluster directory %s of the failed test still exists", root)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, dsn); err == nil {
		conn.Close(ctx)
		t.Fatal("the failed test's cluster still runs")
	}
}

func TestConfValue(t *testing.T) {
	for in, want := range map[string]string{"on": "on", "10000": "10000", "0.5": "0.5",
		"pg_stat_statements,auto_explain": "'pg_stat_statements,auto_explain'", "it's": "'it''s'", "250ms": "'250ms'"} {
		if got := confValue(in); got != want {
			t.Errorf("confValue(%q) = %s, want %s", in, got, want)
		}
	}
}

// A replica made by StartReplica is a hot standby that streams the primary's writes,
// refuses its own, and is removed with the test.
func TestReplicaStreams(t *testing.T) {
	var r *Cluster
	t.Run("run", func(t *testing.T) {
		p := Start(t, Options{})
		p.CreateDatabase(t, "app")
		p.Exec(t, "app", "CREATE TABLE t(v int); INSERT INTO t VALUES (1)")
		r = p.StartReplica(t, Options{Settings: map[string]string{"hot_standby_feedback": "on"}})
		if r.Port == p.Port || r.Port == 5432 {
			t.Fatalf("replica port %d (primary %d)", r.Port, p.Port)
		}
		var inRecovery bool
		var n int
		var feedback string
		r.QueryRow(t, "app", "SELECT pg_is_in_recovery(), (SELECT count(*) FROM t), current_setting('hot_standby_feedback')", nil, &inRecovery, &n, &feedback)
		if !inRecovery || n != 1 || feedback != "on" {
			t.Fatalf("replica: in recovery %v, rows %d, hot_standby_feedback %s", inRecovery, n, feedback)
		}
		p.Exec(t, "app", "INSERT INTO t SELECT generate_series(2, 100)")
		r.CatchUp(t, 30*time.Second)
		r.QueryRow(t, "app", "SELECT count(*) FROM t", nil, &n)
		if n != 100 {
			t.Fatalf("replica has %d rows after catching up, want 100", n)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, r.DSN("app"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "INSERT INTO t VALUES (0)"); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("a write on the replica: %v, want a read-only error", err)
		}
	})
	if r == nil {
		t.Fatal("replica not started")
	}
	if _, err := os.Stat(r.root); !os.IsNotExist(err) {
		t.Fatalf("replica directory %s still exists: %v", r.root, err)
	}
}
