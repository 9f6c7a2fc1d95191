package rollup

import (
	"math"
	"testing"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func TestSplitWindow(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	through := at("2026-03-10T00:00:00Z")
	for _, c := range []struct {
		from, to, d1, d2 string
		through          *time.Time
	}{
		{"2026-03-01T05:00:00Z", "2026-03-09T13:00:00Z", "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z", &through},
		{"2026-03-01T00:00:00Z", "2026-03-11T13:00:00Z", "2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z", &through},
		{"2026-03-09T05:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", &through},
		{"2026-03-01T05:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z", nil},
	} {
		s := SplitWindow(Window{From: at(c.from), To: at(c.to)}, c.through)
		if !s.D1.Equal(at(c.d1)) || !s.D2.Equal(at(c.d2)) {
			t.Errorf("%s..%s: [%s, %s), want [%s, %s)", c.from, c.to, s.D1, s.D2, c.d1, c.d2)
		}
	}
}

func TestHistMerge(t *testing.T) {
	var a, b Hist
	a.add([]int32{10, 200, 300}, []int64{5, 90, 5})
	// the same histogram, binary arrays and packed
	idx := []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 3, 0, 0, 0, 1,
		0, 0, 0, 4, 0, 0, 0, 10, 0, 0, 0, 4, 0, 0, 0, 200, 0, 0, 0, 4, 0, 0, 1, 44}
	cnt := []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 1,
		0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 90, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5}
	if !b.addBinary(idx, cnt) {
		t.Fatal("binary arrays not decoded")
	}
	var c Hist
	if !c.addPacked([]byte{0, 10, 0, 0, 0, 5, 0, 200, 0, 0, 0, 90, 1, 44, 0, 0, 0, 5}) {
		t.Fatal("packed not decoded")
	}
	for _, h := range []*Hist{&a, &b, &c} {
		q := h.Quantiles(0.04, 0.5, 0.99)
		if h.n != 100 || *q[0] != histValue(10) || *q[1] != histValue(200) || *q[2] != histValue(300) {
			t.Errorf("n %d quantiles %v %v %v", h.n, *q[0], *q[1], *q[2])
		}
		if h.CountLE(histValue(200)) != 95 || h.CountGE(histValue(200)) != 95 {
			t.Errorf("counts %d %d", h.CountLE(histValue(200)), h.CountGE(histValue(200)))
		}
	}
	var e Hist
	if q := e.Quantiles(0.5); q[0] != nil {
		t.Error("quantile of an empty histogram")
	}
}

// Every bucket keeps its count, as a plain map of index -> count does, whatever the order the
// buckets arrive in; a released histogram's buffer comes back cleared.
func TestHistCountsAndRelease(t *testing.T) {
	var h, m Hist
	want := map[int]int64{}
	for k := range 2000 {
		i := (k*7919)%1100 - 3 // out of order, up to index 1096, a few negative (-> 0)
		h.add([]int32{int32(i)}, []int64{int64(k%5 + 1)})
		want[max(i, 0)] += int64(k%5 + 1)
	}
	m.merge(&h)
	m.merge(&h)
	for _, x := range []*Hist{&h, &m} {
		f := int64(1)
		if x == &m {
			f = 2
		}
		var n int64
		for i, c := range want {
			if got := x.c[i]; got != f*c {
				t.Fatalf("bucket %d: %d, want %d", i, got, f*c)
			}
			n += f * c
		}
		if x.n != n {
			t.Errorf("n %d, want %d", x.n, n)
		}
	}
	h.Release()
	m.Release()
	for range 4 { // buffers from the pool are empty
		var r Hist
		r.addOne(5, 1)
		for i, c := range r.c {
			if c != 0 && i != 5 || i == 5 && c != 1 {
				t.Fatalf("reused buffer holds %d in bucket %d", c, i)
			}
		}
		r.Release()
	}
}

// The Go histogram arithmetic equals the SQL functions' (hist.go says which is which): the
// bucket values (perf_hist_value), the quantiles interpolated between the two ranks around
// 1 + q·(n-1) as percentile_cont does (perf_hist_quantiles) and the counts at or under a
// duration (perf_hist_count_le), over a table of histograms.
func TestHistGoEqualsSQL(t *testing.T) {
	t.Parallel()
	pool, _ := perfdbtest.NewMigratedPool(t)
	var values []float64
	if err := pool.QueryRow(t.Context(), "SELECT array_agg(perf_hist_value(i) ORDER BY i) FROM generate_series(0, $1 - 1) i", histBuckets).Scan(&values); err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		if math.Abs(histValue(i)-v) > 1e-9*v {
			t.Fatalf("bucket %d: Go %v, SQL perf_hist_value %v", i, histValue(i), v)
		}
	}
	qs := []float64{0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1}
	for _, c := range []struct {
		idx []int32
		cnt []int64
	}{
		{[]int32{100, 200, 300}, []int64{1, 1, 2}},
		{[]int32{0}, []int64{1}},
		{[]int32{5}, []int64{1000}},
		{[]int32{0, 1, 2, 3}, []int64{1, 0, 0, 1}},
		{[]int32{10, 500, 501, 2000, 2206}, []int64{7, 1, 3, 2, 1}},
		{[]int32{300, 310, 320, 330, 340, 350, 360}, []int64{100, 90, 80, 70, 60, 50, 1}},
	} {
		var h Hist
		h.add(c.idx, c.cnt)
		got := h.Quantiles(qs...)
		var sqlQ []float64
		if err := pool.QueryRow(t.Context(), "SELECT perf_hist_quantiles($1::integer[], $2::bigint[], $3::float8[])", c.idx, c.cnt, qs).Scan(&sqlQ); err != nil {
			t.Fatal(err)
		}
		for i := range qs {
			if math.Abs(*got[i]-sqlQ[i]) > 1e-9*sqlQ[i] {
				t.Errorf("%v×%v q %.2f: Go %.6f, SQL %.6f", c.idx, c.cnt, qs[i], *got[i], sqlQ[i])
			}
		}
		// clamped to [min, max] of the group: bounds inside the histogram's range, so that
		// some quantiles move
		lo, hi := histValue(int(c.idx[0]))*1.003, histValue(int(c.idx[len(c.idx)-1]))*0.997
		if lo > hi {
			lo, hi = hi, lo
		}
		gotC := h.QuantilesWithin(&lo, &hi, qs...)
		var sqlC []float64
		if err := pool.QueryRow(t.Context(), "SELECT perf_hist_quantiles($1::integer[], $2::bigint[], $3::float8[], $4, $5)", c.idx, c.cnt, qs, lo, hi).Scan(&sqlC); err != nil {
			t.Fatal(err)
		}
		for i := range qs {
			if *gotC[i] < lo || *gotC[i] > hi {
				t.Errorf("%v×%v q %.2f: %.6f outside [%.6f, %.6f]", c.idx, c.cnt, qs[i], *gotC[i], lo, hi)
			}
			if math.Abs(*gotC[i]-sqlC[i]) > 1e-9*sqlC[i] {
				t.Errorf("%v×%v q %.2f clamped: Go %.6f, SQL %.6f", c.idx, c.cnt, qs[i], *gotC[i], sqlC[i])
			}
		}
		// thresholds off the bucket values (exactly on one, the two pow implementations may
		// round apart), and the apdex thresholds of the default T (500 ms, 2 s)
		for _, i := range []int{0, 9, 10, 11, 300, 333, 2206} {
			for _, us := range []float64{histValue(i) * 0.999, histValue(i) * 1.001, 500000, 2000000} {
				var sqlN int64
				if err := pool.QueryRow(t.Context(), "SELECT perf_hist_count_le($1::integer[], $2::bigint[], $3::float8)", c.idx, c.cnt, us).Scan(&sqlN); err != nil {
					t.Fatal(err)
				}
				if n := h.CountLE(us); n != sqlN {
					t.Errorf("%v×%v count <= %.3f: Go %d, SQL %d", c.idx, c.cnt, us, n, sqlN)
				}
			}
		}
		h.Release()
	}
	// and the interpolation is percentile_cont's: ranks 1: b100, 2: b200, 3-4: b300
	var h Hist
	h.add([]int32{100, 200, 300}, []int64{1, 1, 2})
	defer h.Release()
	want := []float64{histValue(100), histValue(100) + 0.75*(histValue(200)-histValue(100)),
		histValue(200) + 0.5*(histValue(300)-histValue(200)), histValue(300), histValue(300)}
	for i, q := range h.Quantiles(0, 0.25, 0.5, 0.9, 1) {
		if math.Abs(*q-want[i]) > 1e-6*want[i] {
			t.Errorf("quantile %d: %.3f, want %.3f", i, *q, want[i])
		}
	}
}
