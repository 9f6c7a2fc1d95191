// Package pgtestcluster starts a throwaway PostgreSQL cluster for one test: its own data
// directory, port and settings (shared_preload_libraries, logging_collector, auto_explain.*,
// ...), which the shared server that other tests use must never be given. The cluster is made
// with the server's own initdb and pg_ctl, run as the postgres OS user when the test runs as
// root (initdb refuses root), and is stopped and removed when the test ends, failed or not.
//
// The binaries are looked for in PERF_TEST_PG_BINDIR, else /usr/lib/postgresql/15/bin; a
// test is skipped, saying so, only when they are absent.
package pgtestcluster

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultBinDir holds the PostgreSQL 15 server binaries of the Debian/Ubuntu packages.
const DefaultBinDir = "/usr/lib/postgresql/15/bin"

// Cluster is a running private cluster. Its superuser is postgres, trusted on 127.0.0.1.
type Cluster struct {
	// Port the postmaster listens on (127.0.0.1 only).
	Port int
	// DataDir is the cluster's data directory; LogDir is where the logging collector writes
	// (log_directory, absolute) when the caller turned logging_collector on.
	DataDir, LogDir string
	binDir, root    string
	asPostgres      bool
	// baseConf is postgresql.auto.conf before writeConf: empty after initdb, the primary's
	// settings and primary_conninfo (pg_basebackup -R) for a replica
	baseConf string
	// primary is the cluster a replica streams from (nil for a primary)
	primary *Cluster
}

// Options of a cluster.
type Options struct {
	// Settings are written to postgresql.conf as given (values are quoted when they are not
	// plain numbers or booleans): e.g. "shared_preload_libraries": "pg_stat_statements,auto_explain".
	// port, listen_addresses, unix_socket_directories and log_directory are set by Start.
	Settings map[string]string
}

// BinDir is where Start looks for initdb and pg_ctl.
func BinDir() string {
	if d := os.Getenv("PERF_TEST_PG_BINDIR"); d != "" {
		return d
	}
	return DefaultBinDir
}

// Start creates and starts a cluster, and registers its removal with tb.Cleanup. It fails
// the test when the cluster cannot be started, and skips it when the binaries are absent.
func Start(tb testing.TB, opts Options) *Cluster {
	tb.Helper()
	c := newCluster(tb, "initdb", "pg_ctl", "postgres")
	if out, err := c.run("initdb", "-D", c.DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions"); err != nil {
		tb.Fatalf("pgtestcluster: initdb: %v\n%s", err, out)
	}
	c.startOnFreePort(tb, opts.Settings)
	return c
}

// StartReplica makes a streaming hot standby of c (pg_basebackup -R -X stream from c, so
// standby.signal and primary_conninfo are written by pg_basebackup itself), starts it on
// another free port with opts' settings on top of the ones copied from c, and waits until it
// is in recovery and has replayed everything c had written. It is stopped and removed with
// tb.Cleanup, before c (cleanups run last in, first out). c's initdb allows replication
// connections from 127.0.0.1 (trust) and PostgreSQL 15's defaults (wal_level replica,
// max_wal_senders 10) are what a standby needs.
func (c *Cluster) StartReplica(tb testing.TB, opts Options) *Cluster {
	tb.Helper()
	r := newCluster(tb, "pg_basebackup", "pg_ctl", "postgres")
	r.primary = c
	// pg_basebackup creates the data directory itself: it must not exist yet
	if out, err := r.run("pg_basebackup", "-D", r.DataDir, "-d", c.DSN("postgres"), "-R", "-X", "stream",
		"-c", "fast", "--no-sync"); err != nil {
		tb.Fatalf("pgtestcluster: pg_basebackup: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(r.DataDir, "standby.signal")); err != nil {
		tb.Fatalf("pgtestcluster: pg_basebackup -R wrote no standby.signal: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(r.DataDir, "postgresql.auto.conf"))
	if err != nil {
		tb.Fatalf("pgtestcluster: %v", err)
	}
	if !strings.Contains(string(b), "primary_conninfo") {
		tb.Fatalf("pgtestcluster: pg_basebackup -R wrote no primary_conninfo:\n%s", b)
	}
	r.baseConf = string(b)
	r.startOnFreePort(tb, opts.Settings)
	var inRecovery bool
	r.QueryRow(tb, "postgres", "SELECT pg_is_in_recovery()", nil, &inRecovery)
	if !inRecovery {
		tb.Fatal("pgtestcluster: the replica is not in recovery")
	}
	r.CatchUp(tb, time.Minute)
	return r
}

// CatchUp waits until the replica r has replayed all WAL its primary had written when
// CatchUp was called (the primary's pg_current_wal_lsn()), failing the test after timeout.
func (r *Cluster) CatchUp(tb testing.TB, timeout time.Duration) {
	tb.Helper()
	if r.primary == nil {
		tb.Fatal("pgtestcluster: CatchUp of a cluster that is not a replica")
	}
	var target string
	r.primary.QueryRow(tb, "postgres", "SELECT pg_current_wal_lsn()::text", nil, &target)
	deadline := time.Now().Add(timeout)
	for {
		var done bool
		var replayed string
		r.QueryRow(tb, "postgres", "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn, pg_last_wal_replay_lsn()::text", []any{target}, &done, &replayed)
		if done {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("pgtestcluster: replica replayed up to %s, not %s, after %s", replayed, target, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// newCluster checks the binaries and makes the cluster's root directory (owned by postgres
// when the test runs as root); its removal is registered before anything can start a
// postmaster, so a failed start is cleaned up too.
func newCluster(tb testing.TB, binaries ...string) *Cluster {
	tb.Helper()
	bin := BinDir()
	for _, b := range binaries {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			tb.Skipf("pgtestcluster: PostgreSQL server binaries not found in %s (%v); set PERF_TEST_PG_BINDIR or install postgresql-15", bin, err)
		}
	}
	c := &Cluster{binDir: bin, asPostgres: os.Geteuid() == 0}
	if c.asPostgres {
		if _, err := exec.LookPath("runuser"); err != nil {
			tb.Fatalf("pgtestcluster: running as root needs runuser to run initdb as postgres: %v", err)
		}
	}
	root, err := os.MkdirTemp("", "pgtestcluster-")
	if err != nil {
		tb.Fatalf("pgtestcluster: %v", err)
	}
	c.root = root
	tb.Cleanup(func() { c.stop(tb) })
	if c.asPostgres {
		if err := chownPostgres(root); err != nil {
			tb.Fatalf("pgtestcluster: %v", err)
		}
	}
	c.DataDir = filepath.Join(root, "data")
	c.LogDir = filepath.Join(root, "log")
	for _, d := range []string{c.LogDir, c.sockDir()} {
		if err := os.Mkdir(d, 0o755); err != nil {
			tb.Fatalf("pgtestcluster: %v", err)
		}
		if c.asPostgres {
			if err := chownPostgres(d); err != nil {
				tb.Fatalf("pgtestcluster: %v", err)
			}
		}
	}
	return c
}

func (c *Cluster) sockDir() string { return filepath.Join(c.root, "sock") }

// startOnFreePort writes the settings and starts the postmaster on a free port. A port taken
// between the probe and the postmaster's bind makes pg_ctl fail: it tries again.
func (c *Cluster) startOnFreePort(tb testing.TB, settings map[string]string) {
	tb.Helper()
	var lastOut string
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			tb.Fatalf("pgtestcluster: %v", err)
		}
		c.Port = port
		if err := c.writeConf(settings, c.sockDir()); err != nil {
			tb.Fatalf("pgtestcluster: %v", err)
		}
		out, err := c.run("pg_ctl", "-D", c.DataDir, "-l", filepath.Join(c.root, "startup.log"), "-w", "-t", "60", "start")
		if err == nil {
			return
		}
		startup, _ := os.ReadFile(filepath.Join(c.root, "startup.log"))
		lastOut = out + "\n" + string(startup)
		if !strings.Contains(lastOut, "in use") {
			break
		}
	}
	tb.Fatalf("pgtestcluster: pg_ctl start failed:\n%s", lastOut)
}

// Stop stops the postmaster (fast shutdown) and leaves its files: a test of what happens
// when a server goes away. Start it again with Restart; the cleanup removes it either way.
func (c *Cluster) Stop(tb testing.TB) {
	tb.Helper()
	if out, err := c.run("pg_ctl", "-D", c.DataDir, "-m", "fast", "-w", "-t", "30", "stop"); err != nil {
		tb.Fatalf("pgtestcluster: pg_ctl stop: %v\n%s", err, out)
	}
}

// Restart starts a stopped cluster again on the same port and settings.
func (c *Cluster) Restart(tb testing.TB) {
	tb.Helper()
	if out, err := c.run("pg_ctl", "-D", c.DataDir, "-l", filepath.Join(c.root, "startup.log"), "-w", "-t", "60", "start"); err != nil {
		startup, _ := os.ReadFile(filepath.Join(c.root, "startup.log"))
		tb.Fatalf("pgtestcluster: pg_ctl start: %v\n%s\n%s", err, out, startup)
	}
}

// DSN returns a connection string to database db of the cluster as postgres.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// CreateDatabase creates database name in the cluster and returns its DSN.
func (c *Cluster) CreateDatabase(tb testing.TB, name string) string {
	tb.Helper()
	c.Exec(tb, "postgres", "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return c.DSN(name)
}

// QueryRow runs a query with args in database db and scans its one row into dest, failing
// the test on error.
func (c *Cluster) QueryRow(tb testing.TB, db, sql string, args []any, dest ...any) {
	tb.Helper()
	c.withConn(tb, db, sql, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, sql, args...).Scan(dest...)
	})
}

// Exec runs statements in database db, failing the test on error.
func (c *Cluster) Exec(tb testing.TB, db, sql string, args ...any) {
	tb.Helper()
	c.withConn(tb, db, sql, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, sql, args...)
		return err
	})
}

// withConn runs sql through do on a connection of its own to database db (a minute at
// most), failing the test on error.
func (c *Cluster) withConn(tb testing.TB, db, sql string, do func(context.Context, *pgx.Conn) error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN(db))
	if err != nil {
		tb.Fatalf("pgtestcluster: connect: %v", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if err := do(ctx, conn); err != nil {
		tb.Fatalf("pgtestcluster: %s: %v", sql, err)
	}
}

func (c *Cluster) writeConf(settings map[string]string, sock string) error {
	all := map[string]string{}
	for k, v := range settings {
		all[k] = v
	}
	all["port"] = strconv.Itoa(c.Port)
	all["listen_addresses"] = "127.0.0.1"
	all["unix_socket_directories"] = sock
	all["log_directory"] = c.LogDir
	all["fsync"] = "off" // a test cluster is thrown away: no crash safety needed
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(c.baseConf)
	b.WriteString("\n# pgtestcluster\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s\n", k, confValue(all[k]))
	}
	// postgresql.auto.conf is read after postgresql.conf, so these win; rewriting it on a
	// retry replaces the port.
	path := filepath.Join(c.DataDir, "postgresql.auto.conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return err
	}
	if c.asPostgres {
		return chownPostgres(path)
	}
	return nil
}

// confValue quotes a setting unless it is a number or a boolean.
func confValue(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	switch strings.ToLower(v) {
	case "on", "off", "true", "false":
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// stop stops the postmaster (fast, then immediate, then by its pid) and removes the files.
func (c *Cluster) stop(tb testing.TB) {
	if c.DataDir != "" {
		if _, err := os.Stat(filepath.Join(c.DataDir, "postmaster.pid")); err == nil {
			if out, err := c.run("pg_ctl", "-D", c.DataDir, "-m", "fast", "-w", "-t", "20", "stop"); err != nil {
				tb.Logf("pgtestcluster: pg_ctl stop: %v\n%s", err, out)
				_, _ = c.run("pg_ctl", "-D", c.DataDir, "-m", "immediate", "-w", "-t", "10", "stop")
			}
		}
		c.killStray(tb)
	}
	if c.root != "" {
		if err := os.RemoveAll(c.root); err != nil {
			tb.Logf("pgtestcluster: remove %s: %v", c.root, err)
		}
	}
}

// killStray kills a postmaster of this data directory that pg_ctl could not stop.
func (c *Cluster) killStray(tb testing.TB) {
	b, err := os.ReadFile(filepath.Join(c.DataDir, "postmaster.pid"))
	if err != nil {
		return
	}
	lines := strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 1 {
		return
	}
	// only a postgres process whose data directory is ours (the pid may have been reused)
	if cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err != nil || !strings.Contains(string(cmd), c.DataDir) {
		return
	}
	tb.Logf("pgtestcluster: killing postmaster %d of %s", pid, c.DataDir)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for i := 0; i < 50; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// run runs a binary of the server, as postgres when the test runs as root.
func (c *Cluster) run(name string, args ...string) (string, error) {
	path := filepath.Join(c.binDir, name)
	var cmd *exec.Cmd
	if c.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.root
	// The postmaster's stdio must not keep the test's pipes open: pg_ctl -l redirects it.
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func chownPostgres(path string) error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("the postgres OS user is needed to run the cluster as root: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
