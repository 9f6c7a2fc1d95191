package pgstat

// EntryKey identifies a pg_stat_statements entry.
type EntryKey struct {
	UserID, DBID uint32
	QueryID      int64
	TopLevel     bool
}

// Counters are the cumulative statistics of an entry, or the difference of two snapshots.
type Counters struct {
	Calls       int64
	TotalExecMs float64
	Rows        int64
	SharedHit   int64
	SharedRead  int64
	SharedDirty int64
	SharedWrite int64
	TempRead    int64
	TempWrite   int64
	// WALBytes is nil when the server does not count it (before PostgreSQL 13).
	WALBytes *int64
}

// Entry is one pg_stat_statements entry of a snapshot.
type Entry struct {
	Key         EntryKey
	Fingerprint uint64
	Counters
}

func (c *Counters) add(d Counters) {
	c.Calls += d.Calls
	c.TotalExecMs += d.TotalExecMs
	c.Rows += d.Rows
	c.SharedHit += d.SharedHit
	c.SharedRead += d.SharedRead
	c.SharedDirty += d.SharedDirty
	c.SharedWrite += d.SharedWrite
	c.TempRead += d.TempRead
	c.TempWrite += d.TempWrite
	if d.WALBytes != nil {
		w := *d.WALBytes
		if c.WALBytes != nil {
			w += *c.WALBytes
		}
		c.WALBytes = &w
	}
}

// minus returns cur - prev, and false when a counter went down: then the entry is not the
// one of the previous snapshot (it was evicted and made again, or reset on its own with
// pg_stat_statements_reset(userid, dbid, queryid)) and cur is what it counted since.
func (cur Counters) minus(prev Counters) (Counters, bool) {
	d := Counters{
		Calls: cur.Calls - prev.Calls, TotalExecMs: cur.TotalExecMs - prev.TotalExecMs, Rows: cur.Rows - prev.Rows,
		SharedHit: cur.SharedHit - prev.SharedHit, SharedRead: cur.SharedRead - prev.SharedRead,
		SharedDirty: cur.SharedDirty - prev.SharedDirty, SharedWrite: cur.SharedWrite - prev.SharedWrite,
		TempRead: cur.TempRead - prev.TempRead, TempWrite: cur.TempWrite - prev.TempWrite,
	}
	if cur.WALBytes != nil {
		w := *cur.WALBytes
		if prev.WALBytes != nil {
			w -= *prev.WALBytes
		}
		d.WALBytes = &w
	}
	// a float sum may come back a hair lower for an unchanged entry: only calls, rows and
	// blocks (integers) tell a new entry
	if d.Calls < 0 || d.Rows < 0 || d.SharedHit < 0 || d.SharedRead < 0 || d.SharedDirty < 0 || d.SharedWrite < 0 ||
		d.TempRead < 0 || d.TempWrite < 0 || d.WALBytes != nil && *d.WALBytes < 0 {
		return cur, false
	}
	if d.TotalExecMs < 0 {
		d.TotalExecMs = 0
	}
	return d, true
}

// DeltaStats says how a delta was made.
type DeltaStats struct {
	New, Recreated, Continued int
}

// Deltas sums, per fingerprint, what the entries of cur executed since prev:
//   - an entry of both whose counters did not go down: the difference;
//   - an entry whose counters went down: a new entry under the same key (evicted under
//     pg_stat_statements.max and made again, or reset on its own); its whole counters are
//     what it did since it was made, which is after prev was taken, so they are the delta;
//   - an entry not in prev: made since prev (new statement, or made again after eviction):
//     its whole counters;
//   - an entry of prev not in cur (evicted, or reset): nothing; what it did between prev and
//     its eviction is lost, never negative.
//
// The caller passes an empty prev after a reset of all statistics (stats_reset changed).
// An entry evicted and made again that by the next snapshot counted more than before
// is taken for the same one: its delta then undercounts (PostgreSQL 15 keeps no creation
// time per entry to tell them apart). Entries without calls since prev are left out.
func Deltas(prev map[EntryKey]Counters, cur []Entry) (map[uint64]Counters, DeltaStats) {
	out := map[uint64]Counters{}
	var st DeltaStats
	for _, e := range cur {
		d := e.Counters
		if p, ok := prev[e.Key]; !ok {
			st.New++
		} else if dd, same := e.Counters.minus(p); same {
			d = dd
			st.Continued++
		} else {
			st.Recreated++
		}
		if d.Calls == 0 {
			continue
		}
		sum := out[e.Fingerprint]
		sum.add(d)
		out[e.Fingerprint] = sum
	}
	return out, st
}
