package rollup

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// A read_dsn that is not a standby (here the shared server, a primary) or that nobody
// answers is not read: the reads go to the primary and the staleness says why.
func TestReplicaUnusableFallsBackToThePrimary(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close() // nothing listens there any more
	for name, c := range map[string]struct{ dsn, reason string }{
		"not a standby": {dsn, "not a standby"},
		"unreachable":   {"postgres://postgres@" + closed + "/perf?sslmode=disable&connect_timeout=2", "replica unreachable"},
	} {
		t.Run(name, func(t *testing.T) {
			rp, err := pgxpool.New(context.Background(), c.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer rp.Close()
			st := &Store{Pool: pool, Replica: &Replica{Pool: rp}}
			ctx, stale := WithStaleness(t.Context())
			var one int
			if err := st.Read(ctx, "nobody", func(tx pgx.Tx, _ int32) error { return tx.QueryRow(ctx, "SELECT 1").Scan(&one) }); err != nil {
				t.Fatal(err)
			}
			rep := stale.Report()
			if rep["readFrom"] != FromPrimary || rep["replayLagSeconds"] != 0.0 || !strings.Contains(rep["replicaUnusable"].(string), c.reason) {
				t.Errorf("staleness %v, want the primary because %q", rep, c.reason)
			}
			if strings.Contains(rep["replicaUnusable"].(string), "127.0.0.1") {
				t.Errorf("the reason names the host: %v", rep)
			}
		})
	}
}

// The probe is cached: within CacheFor no second probe, after it a new one.
func TestReplicaProbeIsCached(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	rp, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &Replica{Pool: rp, Now: func() time.Time { return clock }}
	first := r.State(t.Context())
	if first.Usable || first.CheckedAt != clock {
		t.Fatalf("first probe %+v", first)
	}
	clock = clock.Add(500 * time.Millisecond)
	if again := r.State(t.Context()); again.CheckedAt != first.CheckedAt {
		t.Errorf("probed again within the cache: %+v", again)
	}
	clock = clock.Add(600 * time.Millisecond)
	if again := r.State(t.Context()); again.CheckedAt != clock {
		t.Errorf("not probed again after the cache: %+v", again)
	}
}

// One answer's staleness: nothing read, nothing said; reads on both sides are "mixed" with
// the replica's largest lag.
func TestStalenessReport(t *testing.T) {
	ctx, s := WithStaleness(context.Background())
	if s.Report() != nil {
		t.Fatal("a request that read nothing reports a staleness")
	}
	noteRead(ctx, FromReplica, 0.5, true, "")
	noteRead(ctx, FromReplica, 2.25, true, "")
	if rep := s.Report(); rep["readFrom"] != FromReplica || rep["replayLagSeconds"] != 2.25 || rep["replicaUnusable"] != nil {
		t.Errorf("replica reads: %v", rep)
	}
	noteRead(ctx, FromPrimary, 0, true, "replica unreachable")
	if rep := s.Report(); rep["readFrom"] != FromMixed || rep["replayLagSeconds"] != 2.25 || rep["replicaUnusable"] != "replica unreachable" {
		t.Errorf("mixed reads: %v", rep)
	}
}
