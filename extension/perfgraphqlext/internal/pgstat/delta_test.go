package pgstat

import "testing"

func i64(v int64) *int64 { return &v }

// The rules of Deltas, entry by entry: continued, made again (a counter went down), new,
// gone, idle; entries of one fingerprint summed; WAL bytes absent stay absent.
func TestDeltas(t *testing.T) {
	k := func(q int64, user uint32, top bool) EntryKey {
		return EntryKey{UserID: user, DBID: 5, QueryID: q, TopLevel: top}
	}
	prev := map[EntryKey]Counters{
		k(1, 10, true):  {Calls: 10, TotalExecMs: 100, Rows: 10, SharedHit: 50, WALBytes: i64(1000)},
		k(2, 10, true):  {Calls: 40, TotalExecMs: 80, Rows: 40, SharedRead: 9},
		k(3, 10, true):  {Calls: 5, TotalExecMs: 5, Rows: 5},                   // gone: nothing
		k(4, 10, true):  {Calls: 7, TotalExecMs: 7, Rows: 7},                   // idle
		k(1, 11, false): {Calls: 1, TotalExecMs: 2, Rows: 3, WALBytes: i64(7)}, // same fingerprint, another role, nested
	}
	cur := []Entry{
		{Key: k(1, 10, true), Fingerprint: 0xa, Counters: Counters{Calls: 15, TotalExecMs: 160, Rows: 15, SharedHit: 80, WALBytes: i64(1500)}},
		{Key: k(1, 11, false), Fingerprint: 0xa, Counters: Counters{Calls: 3, TotalExecMs: 4, Rows: 3, WALBytes: i64(9)}},
		// made again: fewer calls than before, its counters are the delta
		{Key: k(2, 10, true), Fingerprint: 0xb, Counters: Counters{Calls: 2, TotalExecMs: 3, Rows: 2, SharedRead: 1}},
		{Key: k(4, 10, true), Fingerprint: 0xc, Counters: Counters{Calls: 7, TotalExecMs: 7, Rows: 7}},
		{Key: k(9, 10, true), Fingerprint: 0xd, Counters: Counters{Calls: 4, TotalExecMs: 1, Rows: 0}},
	}
	got, st := Deltas(prev, cur)
	if st != (DeltaStats{New: 1, Recreated: 1, Continued: 3}) {
		t.Errorf("stats %+v", st)
	}
	if len(got) != 3 {
		t.Fatalf("fingerprints %v, want a, b, d (c was idle)", got)
	}
	a := got[0xa]
	if a.Calls != 5+2 || a.TotalExecMs != 60+2 || a.Rows != 5+0 || a.SharedHit != 30 || a.WALBytes == nil || *a.WALBytes != 500+2 {
		t.Errorf("a: %+v wal %v", a, a.WALBytes)
	}
	if b := got[0xb]; b.Calls != 2 || b.TotalExecMs != 3 || b.SharedRead != 1 || b.WALBytes != nil {
		t.Errorf("b: %+v", b)
	}
	if d := got[0xd]; d.Calls != 4 {
		t.Errorf("d: %+v", d)
	}
	for fp, c := range got {
		if c.Calls < 0 || c.TotalExecMs < 0 || c.Rows < 0 || c.SharedHit < 0 || c.SharedRead < 0 {
			t.Errorf("%x: negative %+v", fp, c)
		}
	}
	// a total time that came back a hair lower on an entry that ran: no negative time
	got, _ = Deltas(map[EntryKey]Counters{k(1, 10, true): {Calls: 1, TotalExecMs: 10}},
		[]Entry{{Key: k(1, 10, true), Fingerprint: 1, Counters: Counters{Calls: 2, TotalExecMs: 9.999999}}})
	if got[1].TotalExecMs != 0 || got[1].Calls != 1 {
		t.Errorf("float drift: %+v", got[1])
	}
}
