package rollup

import (
	"context"
	_ "embed"
	"errors"
	"math"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
)

// Where a read was answered (the readFrom of a GraphQL answer's staleness).
const (
	FromPrimary = "primary"
	FromReplica = "replica"
	// FromMixed: some fields of one answer were read on the replica, others on the primary
	// (the replica went away, or a read was cancelled by replay, during the request).
	FromMixed = "mixed"
)

// Default timings of the replica's probe.
const (
	// DefaultReplicaCacheFor: a probe is reused this long, so a request costs no extra
	// round trip; the lag an answer reports is at most this much older than the answer.
	DefaultReplicaCacheFor = time.Second
	// probeTimeout bounds one probe: a replica that does not answer in it is treated as
	// down for DefaultReplicaCacheFor, and reads go to the primary.
	probeTimeout = 2 * time.Second
)

//go:embed replica_lag.sql
var sqlReplicaLag string

// Replica is a hot standby of the primary (streaming replication) that the GraphQL reads go
// to while it is usable: reachable, in recovery, and with a known replay lag. While it is
// not, reads go to the primary and their answers say so; nothing ever writes to it.
type Replica struct {
	Pool     *pgxpool.Pool
	CacheFor time.Duration // how long a probe is reused (0: DefaultReplicaCacheFor)
	Logger   *zap.Logger   // state changes (nil: none)
	Now      func() time.Time

	mu      sync.Mutex
	state   ReplicaState
	probing chan struct{} // closed when the probe in flight ends; nil when none
}

// ReplicaState is what the last probe of the replica found.
type ReplicaState struct {
	// Usable: reads go to the replica.
	Usable bool
	// ReplayLagSeconds: 0 when everything the standby received is replayed while its WAL
	// receiver streams; else the age of the last replayed commit (an upper bound of how old
	// the answers are). Meaningful only when Usable.
	ReplayLagSeconds float64
	// Reason the replica is not usable, without connection details (/healthz is public).
	Reason    string
	CheckedAt time.Time
}

func (r *Replica) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// State returns the replica's state, probing it when the last probe is older than
// CacheFor. While a probe is in flight other callers get the previous state (a replica that
// hangs holds up one request per CacheFor, not all), except before the first probe.
func (r *Replica) State(ctx context.Context) ReplicaState {
	cacheFor := r.CacheFor
	if cacheFor <= 0 {
		cacheFor = DefaultReplicaCacheFor
	}
	r.mu.Lock()
	st := r.state
	if !st.CheckedAt.IsZero() && (r.now().Sub(st.CheckedAt) < cacheFor || r.probing != nil) {
		r.mu.Unlock()
		return st
	}
	if wait := r.probing; wait != nil {
		r.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return ReplicaState{Reason: "replica not probed yet", CheckedAt: r.now()}
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.state
	}
	done := make(chan struct{})
	r.probing = done
	r.mu.Unlock()

	// not the request's context: a request cancelled mid-probe says nothing of the replica
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
	next := r.probe(pctx)
	cancel()

	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(next)
	r.probing = nil
	close(done)
	return next
}

// Down marks the replica unusable until the next probe (a read could not start there).
func (r *Replica) Down(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ReplicaState{Reason: unusableReason(err), CheckedAt: r.now()})
}

// record stores st and logs a change of usability (r.mu held).
func (r *Replica) record(st ReplicaState) {
	prev := r.state
	r.state = st
	if r.Logger == nil || (prev.Usable == st.Usable && prev.Reason == st.Reason && !prev.CheckedAt.IsZero()) {
		return
	}
	if st.Usable {
		r.Logger.Info("perfgraphql: GraphQL reads go to the replica (read_dsn)", zap.Float64("replay_lag_seconds", st.ReplayLagSeconds))
	} else {
		r.Logger.Warn("perfgraphql: the replica (read_dsn) is not usable; GraphQL reads go to the primary", zap.String("reason", st.Reason))
	}
}

func (r *Replica) probe(ctx context.Context) ReplicaState {
	st := ReplicaState{CheckedAt: r.now()}
	var inRecovery, receiving bool
	var lag *float64
	if err := r.Pool.QueryRow(ctx, sqlReplicaLag).Scan(&inRecovery, &receiving, &lag); err != nil {
		if r.Logger != nil {
			r.Logger.Debug("perfgraphql: probe of the replica failed", zap.Error(err))
		}
		st.Reason = unusableReason(err)
		return st
	}
	switch {
	case !inRecovery:
		// promoted, or not a standby at all: it no longer follows the primary the
		// collectors write, so its answers could be of any age
		st.Reason = "read_dsn is not a standby in recovery (promoted?)"
	case lag == nil:
		st.Reason = "replica has replayed no transaction since it started and receives no WAL: its lag is unknown"
	default:
		st.Usable = true
		st.ReplayLagSeconds = math.Max(0, math.Round(*lag*1000)/1000)
	}
	return st
}

// unusableReason says why the replica cannot be read, without host, user or database.
func unusableReason(err error) string {
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &pgErr):
		return "replica refused (SQLSTATE " + pgErr.Code + ")"
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return "replica did not answer in time"
	}
	return "replica unreachable"
}

// Staleness collects, for one GraphQL request, where its reads were answered and the replay
// lag of the replica at the time (the request's answer reports it).
type Staleness struct {
	mu         sync.Mutex
	primary    bool
	replica    bool
	lag        float64
	fallback   string
	configured bool
}

type stalenessKey struct{}

// WithStaleness returns a context whose Store reads are recorded in the returned Staleness.
func WithStaleness(ctx context.Context) (context.Context, *Staleness) {
	s := &Staleness{}
	return context.WithValue(ctx, stalenessKey{}, s), s
}

func noteRead(ctx context.Context, from string, lag float64, replicaConfigured bool, fallback string) {
	s, ok := ctx.Value(stalenessKey{}).(*Staleness)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configured = s.configured || replicaConfigured
	if from == FromReplica {
		s.replica = true
		s.lag = math.Max(s.lag, lag)
	} else {
		s.primary = true
		if fallback != "" {
			s.fallback = fallback
		}
	}
}

// Report is the staleness of a request's answer, nil when it read nothing: readFrom
// (primary, replica or mixed), replayLagSeconds (the largest lag of the replica reads; 0 for
// the primary) and, when a replica is configured but was not used, replicaUnusable (why).
func (s *Staleness) Report() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.primary && !s.replica {
		return nil
	}
	from := FromPrimary
	switch {
	case s.primary && s.replica:
		from = FromMixed
	case s.replica:
		from = FromReplica
	}
	out := map[string]any{"readFrom": from, "replayLagSeconds": s.lag}
	if s.configured && s.primary && s.fallback != "" {
		out["replicaUnusable"] = s.fallback
	}
	return out
}
