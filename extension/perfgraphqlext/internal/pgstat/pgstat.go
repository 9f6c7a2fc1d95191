// Package pgstat snapshots the pg_stat_statements of the monitored databases (targets) into
// the performance database: per hour, fingerprint and database, what the server executed
// (calls, execution time, rows, shared and temp blocks, WAL bytes). A statement's text, with
// PostgreSQL's $n placeholders where the constants were, is normalized by internal/sqlnorm in
// the PostgreSQL dialect, so it gets the fingerprint the client spans of the same statement
// get: the two sides join on it.
//
// A snapshot is the difference with the previous one, which is kept in the database
// (perf_pgss_snapshot) so that a new scheduler leader continues where the last one stopped.
// The first snapshot of a target only records the baseline: the counters it finds cover an
// unknown time. See Deltas for resets and evictions.
package pgstat

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

var (
	//go:embed read_entries.sql
	readEntriesSQL string
	//go:embed read_texts.sql
	readTextsSQL string
	//go:embed read_info.sql
	readInfoSQL string
	//go:embed tenant_id.sql
	tenantIDSQL string
	//go:embed load_previous.sql
	loadPreviousSQL string
	//go:embed load_status.sql
	loadStatusSQL string
	//go:embed store_status.sql
	storeStatusSQL string
	//go:embed store_deltas.sql
	storeDeltasSQL string
	//go:embed store_statements.sql
	storeStatementsSQL string
	//go:embed store_snapshot.sql
	storeSnapshotSQL string
	//go:embed prune_hourly.sql
	pruneHourlySQL string
)

// DB is the performance database as a snapshot needs it: a connection allowed to write
// every tenant's rows (the scheduler's).
type DB = perfdb.DB

// Snapshotter takes the snapshots. It is not safe for concurrent use (the scheduler's leader
// runs it on its ticks, one target after the other).
type Snapshotter struct {
	// Retention of the hourly rows (the extension's retention.hourly_rollups); 0 keeps them.
	Retention time.Duration
	Logger    *zap.Logger
	norm      *sqlnorm.Normalizer
}

// Result is what one snapshot of one target did.
type Result struct {
	Target targets.Key
	// Reachable: the database answered; Caps is what it offers.
	Reachable bool
	Caps      targets.Capabilities
	// Err is why the target could not be snapshotted (down, no pg_stat_statements, no
	// privilege): reported in its status, never fatal. Status is its description as stored.
	Err    error
	Status string
	// Snapshotted: the counters were read and stored; Baseline: it was the target's first
	// snapshot (or the first after its statistics were reset with no previous one), which
	// records no delta.
	Snapshotted, Baseline, StatsReset bool
	Entries                           int // pg_stat_statements entries of the database
	Hidden                            int // entries of other roles the role may not read
	TextsFetched                      int // texts read for queryids not seen before
	Fingerprints                      int // fingerprints with calls since the previous snapshot
	Deltas                            DeltaStats
	// ReadTime is the time spent reading the target; Duration the whole snapshot's.
	ReadTime, Duration time.Duration
}

// Snapshot reads target t and stores its deltas and status at now. The returned error is
// a failure to store into db; a failure of the target is in Result.Err (and its status).
func (s *Snapshotter) Snapshot(ctx context.Context, db DB, t targets.Target, now time.Time) (Result, error) {
	started := time.Now()
	now = now.UTC().Truncate(time.Microsecond)
	res := Result{Target: t.Key()}
	if s.norm == nil {
		s.norm = sqlnorm.New(sqlnorm.PostgreSQL, 0)
	}
	if s.Logger == nil {
		s.Logger = zap.NewNop()
	}
	var tid int32
	if err := db.QueryRow(ctx, tenantIDSQL, t.Tenant).Scan(&tid); err != nil {
		return res, fmt.Errorf("pgstat: tenant %q: %w", t.Tenant, err)
	}
	snap, err := s.read(ctx, db, tid, t, &res)
	res.ReadTime = time.Since(started)
	if err != nil {
		res.Err = err
		res.Status = targets.Describe(err)
		var pe *probeError
		if errors.As(err, &pe) {
			res.Status = pe.msg
		}
		s.Logger.Debug("pgstat: target not snapshotted", zap.String("tenant", t.Tenant),
			zap.String("db_namespace", t.DBNamespace), zap.Error(err))
		err := s.storeStatus(ctx, db, tid, t, &res, now, nil)
		res.Duration = time.Since(started)
		return res, err
	}
	err = s.store(ctx, db, tid, t, snap, &res, now)
	res.Duration = time.Since(started)
	return res, err
}

// probeError is a target that answers but cannot be snapshotted; msg is for the API.
type probeError struct{ msg string }

func (e *probeError) Error() string { return e.msg }

// snapshot is what was read from a target.
type snapshot struct {
	entries    []Entry
	newTexts   map[uint64]sqlnorm.Result // fingerprints whose text was read on this snapshot
	prev       map[EntryKey]Counters
	hadPrev    bool
	statsReset *time.Time
	dealloc    *int64
}

func (s *Snapshotter) read(ctx context.Context, db DB, tid int32, t targets.Target, res *Result) (*snapshot, error) {
	conn, err := t.Connect(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	res.Reachable = true
	caps, err := targets.Probe(ctx, conn)
	if err != nil {
		return nil, err
	}
	res.Caps = caps
	if !caps.PgStatStatements {
		return nil, &probeError{caps.PgssMissing}
	}
	schema := pgx.Identifier{caps.PgssSchema}.Sanitize()
	sn := &snapshot{newTexts: map[uint64]sqlnorm.Result{}}

	// the previous snapshot, whose fingerprints save reading the texts again
	var lastAt *time.Time
	var prevReset *time.Time
	var prevDealloc *int64
	err = db.QueryRow(ctx, loadStatusSQL, tid, t.DBNamespace).Scan(&lastAt, &prevReset, &prevDealloc)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstat: load status: %w", err)
	}
	sn.hadPrev = lastAt != nil
	prevEntries, err := loadPrevious(ctx, db, tid, t.DBNamespace)
	if err != nil {
		return nil, err
	}
	fps := make(map[int64]uint64, len(prevEntries))
	sn.prev = make(map[EntryKey]Counters, len(prevEntries))
	for _, e := range prevEntries {
		fps[e.Key.QueryID] = e.Fingerprint
		sn.prev[e.Key] = e.Counters
	}

	if caps.ServerVersion >= 140000 {
		var dealloc int64
		var reset time.Time
		if err := conn.QueryRow(ctx, fillSQL(readInfoSQL, schema, caps.ServerVersion)).Scan(&dealloc, &reset); err != nil {
			return nil, fmt.Errorf("pgstat: pg_stat_statements_info: %w", err)
		}
		sn.dealloc, sn.statsReset = &dealloc, &reset
		if prevReset != nil && !reset.Equal(*prevReset) {
			// every entry was reset since the previous snapshot: what they count now is
			// what they did since the reset
			res.StatsReset = true
			sn.prev = map[EntryKey]Counters{}
		}
	}
	rows, err := conn.Query(ctx, fillSQL(readEntriesSQL, schema, caps.ServerVersion))
	if err != nil {
		return nil, fmt.Errorf("pgstat: read pg_stat_statements: %w", err)
	}
	var unknown []int64
	seenUnknown := map[int64]bool{}
	for rows.Next() {
		var e Entry
		var qid *int64
		if err := rows.Scan(&e.Key.UserID, &e.Key.DBID, &e.Key.TopLevel, &qid, &e.Calls, &e.TotalExecMs, &e.Rows,
			&e.SharedHit, &e.SharedRead, &e.SharedDirty, &e.SharedWrite, &e.TempRead, &e.TempWrite, &e.WALBytes); err != nil {
			rows.Close()
			return nil, fmt.Errorf("pgstat: read pg_stat_statements: %w", err)
		}
		if qid == nil {
			res.Hidden++
			continue
		}
		e.Key.QueryID = *qid
		if fp, ok := fps[*qid]; ok {
			e.Fingerprint = fp
		} else if !seenUnknown[*qid] {
			seenUnknown[*qid] = true
			unknown = append(unknown, *qid)
		}
		sn.entries = append(sn.entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstat: read pg_stat_statements: %w", err)
	}
	res.Entries = len(sn.entries)
	if len(unknown) > 0 {
		rows, err := conn.Query(ctx, fillSQL(readTextsSQL, schema, caps.ServerVersion), unknown)
		if err != nil {
			return nil, fmt.Errorf("pgstat: read statement texts: %w", err)
		}
		for rows.Next() {
			var qid int64
			var text string
			if err := rows.Scan(&qid, &text); err != nil {
				rows.Close()
				return nil, fmt.Errorf("pgstat: read statement texts: %w", err)
			}
			// the text carries $n where the constants were, and the constants of
			// utility statements (which are not normalized by the server): the
			// normalizer redacts both
			r := s.norm.Normalize(text)
			fps[qid] = r.Fingerprint
			sn.newTexts[r.Fingerprint] = r
			res.TextsFetched++
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("pgstat: read statement texts: %w", err)
		}
	}
	// an entry whose text vanished between the two reads (evicted meanwhile) is left out
	kept := sn.entries[:0]
	for _, e := range sn.entries {
		if fp, ok := fps[e.Key.QueryID]; ok {
			e.Fingerprint = fp
			kept = append(kept, e)
		}
	}
	sn.entries = kept
	res.Entries = len(kept)
	return sn, nil
}

func loadPrevious(ctx context.Context, db DB, tid int32, ns string) ([]Entry, error) {
	var userid, dbid []uint32
	var top []bool
	var qid, fp, calls, rows, hit, read, dirt, writ, tr, tw []int64
	var total []float64
	var wal []*int64
	err := db.QueryRow(ctx, loadPreviousSQL, tid, ns).Scan(&userid, &dbid, &top, &qid, &fp, &calls, &total, &rows,
		&hit, &read, &dirt, &writ, &tr, &tw, &wal)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pgstat: load previous snapshot: %w", err)
	}
	n := len(qid)
	for _, l := range []int{len(userid), len(dbid), len(top), len(fp), len(calls), len(total), len(rows), len(hit), len(read),
		len(dirt), len(writ), len(tr), len(tw), len(wal)} {
		if l != n {
			return nil, fmt.Errorf("pgstat: previous snapshot of %q: arrays of different lengths", ns)
		}
	}
	out := make([]Entry, n)
	for i := range out {
		out[i] = Entry{Key: EntryKey{UserID: userid[i], DBID: dbid[i], QueryID: qid[i], TopLevel: top[i]}, Fingerprint: uint64(fp[i]),
			Counters: Counters{Calls: calls[i], TotalExecMs: total[i], Rows: rows[i], SharedHit: hit[i], SharedRead: read[i],
				SharedDirty: dirt[i], SharedWrite: writ[i], TempRead: tr[i], TempWrite: tw[i], WALBytes: wal[i]}}
	}
	return out, nil
}

// fillSQL fills the version-dependent names of the target-side queries: total_time became
// total_exec_time and wal_bytes appeared in PostgreSQL 13, toplevel in 14.
func fillSQL(sql, schema string, version int) string {
	total, wal, top := "total_exec_time", "wal_bytes::bigint", "toplevel"
	if version < 130000 {
		total, wal = "total_time", "NULL::bigint"
	}
	if version < 140000 {
		top = "true"
	}
	return strings.NewReplacer("{{schema}}", schema, "{{total_exec_time}}", total, "{{wal_bytes}}", wal,
		"{{toplevel}}", top).Replace(sql)
}

func (s *Snapshotter) store(ctx context.Context, db DB, tid int32, t targets.Target, sn *snapshot, res *Result, now time.Time) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstat: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	ns := t.DBNamespace
	// the first snapshot of a target (or one after a reset with none before) is the baseline
	res.Baseline = !sn.hadPrev
	if !res.Baseline {
		deltas, st := Deltas(sn.prev, sn.entries)
		res.Deltas = st
		res.Fingerprints = len(deltas)
		if len(deltas) > 0 {
			n := len(deltas)
			fp := make([]int64, 0, n)
			calls, rows, hit, read, dirt, writ, tr, tw := make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n),
				make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n)
			total := make([]float64, 0, n)
			wal := make([]*int64, 0, n)
			for f, d := range deltas {
				fp = append(fp, int64(f))
				calls, total, rows = append(calls, d.Calls), append(total, d.TotalExecMs), append(rows, d.Rows)
				hit, read, dirt, writ = append(hit, d.SharedHit), append(read, d.SharedRead), append(dirt, d.SharedDirty), append(writ, d.SharedWrite)
				tr, tw, wal = append(tr, d.TempRead), append(tw, d.TempWrite), append(wal, d.WALBytes)
			}
			if _, err := tx.Exec(ctx, storeDeltasSQL, tid, now.Truncate(time.Hour), ns, fp, calls, total, rows, hit, read, dirt, writ, tr, tw, wal); err != nil {
				return fmt.Errorf("pgstat: store deltas: %w", err)
			}
		}
	}
	if len(sn.newTexts) > 0 {
		n := len(sn.newTexts)
		fp, txt, sum, op := make([]int64, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		for f, r := range sn.newTexts {
			fp, txt, sum, op = append(fp, int64(f)), append(txt, r.Normalized), append(sum, r.Summary), append(op, r.Operation)
		}
		if _, err := tx.Exec(ctx, storeStatementsSQL, tid, ns, now, fp, txt, sum, op); err != nil {
			return fmt.Errorf("pgstat: store statements: %w", err)
		}
	}
	if err := storeSnapshot(ctx, tx, tid, ns, now, sn.entries); err != nil {
		return err
	}
	if s.Retention > 0 {
		if _, err := tx.Exec(ctx, pruneHourlySQL, tid, now.Add(-s.Retention).Truncate(time.Hour)); err != nil {
			return fmt.Errorf("pgstat: retention: %w", err)
		}
	}
	if res.Hidden > 0 {
		res.Status = fmt.Sprintf("%d statements of other roles are hidden from the monitoring role: grant it pg_read_all_stats", res.Hidden)
	}
	res.Snapshotted = true
	if err := s.storeStatus(ctx, tx, tid, t, res, now, sn); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstat: %w", err)
	}
	return nil
}

// execer is what storeStatus needs (the scheduler's connection or a transaction on it).
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func (s *Snapshotter) storeStatus(ctx context.Context, db execer, tid int32, t targets.Target, res *Result, now time.Time, sn *snapshot) error {
	var version *int
	if res.Caps.ServerVersion > 0 {
		version = &res.Caps.ServerVersion
	}
	var errText *string
	if res.Status != "" {
		errText = &res.Status
	}
	var snapAt *time.Time
	var statements *int
	var reset *time.Time
	var dealloc *int64
	if sn != nil {
		snapAt, statements, reset, dealloc = &now, &res.Entries, sn.statsReset, sn.dealloc
	}
	if _, err := db.Exec(ctx, storeStatusSQL, tid, t.DBNamespace, res.Reachable, version, res.Caps.PgStatStatements,
		res.Caps.AutoExplain, res.Caps.HypoPG, errText, now, snapAt, statements, reset, dealloc); err != nil {
		return fmt.Errorf("pgstat: store status: %w", err)
	}
	return nil
}

//go:embed forget.sql
var forgetSQL string

// Forget drops the status and previous snapshot of every target not in ts (removed from the
// configuration): the API no longer lists them, and a target added back starts from a new
// baseline.
func Forget(ctx context.Context, db DB, ts []targets.Target) error {
	tenants, nss := make([]string, len(ts)), make([]string, len(ts))
	for i, t := range ts {
		tenants[i], nss[i] = t.Tenant, t.DBNamespace
	}
	if _, err := db.Exec(ctx, forgetSQL, tenants, nss); err != nil {
		return fmt.Errorf("pgstat: forget removed targets: %w", err)
	}
	return nil
}

func storeSnapshot(ctx context.Context, tx pgx.Tx, tid int32, ns string, now time.Time, es []Entry) error {
	n := len(es)
	userid, dbid := make([]uint32, n), make([]uint32, n)
	top := make([]bool, n)
	qid, fp, calls, rows, hit, read, dirt, writ, tr, tw := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n),
		make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	total := make([]float64, n)
	wal := make([]*int64, n)
	for i := range es {
		e := &es[i]
		userid[i], dbid[i], top[i], qid[i], fp[i] = e.Key.UserID, e.Key.DBID, e.Key.TopLevel, e.Key.QueryID, int64(e.Fingerprint)
		calls[i], total[i], rows[i], hit[i], read[i] = e.Calls, e.TotalExecMs, e.Rows, e.SharedHit, e.SharedRead
		dirt[i], writ[i], tr[i], tw[i], wal[i] = e.SharedDirty, e.SharedWrite, e.TempRead, e.TempWrite, e.WALBytes
	}
	if _, err := tx.Exec(ctx, storeSnapshotSQL, tid, ns, now, userid, dbid, qid, top, fp, calls, total, rows,
		hit, read, dirt, writ, tr, tw, wal); err != nil {
		return fmt.Errorf("pgstat: store snapshot: %w", err)
	}
	return nil
}
