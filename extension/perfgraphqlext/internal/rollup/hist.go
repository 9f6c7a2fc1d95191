package rollup

import (
	"math"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Hist is a latency histogram merged in Go from the sparse (…_idx, …_cnt) arrays of the
// rollups (log-scale buckets of ratio 1.02). Merging a few thousand rows
// here is much cheaper than unnest + GROUP BY + array_agg in SQL.
//
// The bucket layout is SQL's (perf_hist_bucket: the rollup refresh writes the buckets); the
// arithmetic over the buckets is this Go code for every GraphQL answer, and the SQL
// functions perf_hist_value, perf_hist_quantiles and perf_hist_count_le compute the same for
// the SQL readers and get_performance_summary. TestHistGoEqualsSQL (rollup_read_test.go) is
// the one test that pins the two equal.
//
// Counts are dense over every bucket index (c[i] is bucket i) in a buffer taken from a pool
// and given back by release: a request merges hundreds of histograms, and allocating (and
// growing) one for each made the garbage collector the largest cost of endpointMetrics. lo..hi
// is the range of buckets touched, which bounds every scan.
type Hist struct {
	c      []int64
	buf    *[]int64
	lo, hi int
	n      int64
}

// histBuckets bounds the bucket index: perf_hist_bucket of the largest bigint duration is
// 2206; an index beyond (impossible from the rollups) is counted in the last bucket.
const histBuckets = 2208

var histBuffers = sync.Pool{New: func() any {
	b := make([]int64, histBuckets)
	return &b
}}

// addOne adds cnt to bucket i.
func (h *Hist) addOne(i int, cnt int64) {
	i = min(max(i, 0), histBuckets-1)
	h.touch(i, i)
	h.c[i] += cnt
	h.n += cnt
}

// touch takes a buffer when there is none and widens lo..hi to hold lo..hi.
func (h *Hist) touch(lo, hi int) {
	if h.c == nil {
		h.buf = histBuffers.Get().(*[]int64)
		h.c, h.lo, h.hi = *h.buf, lo, hi
		return
	}
	h.lo, h.hi = min(h.lo, lo), max(h.hi, hi)
}

// release clears the buffer and gives it back to the pool; the histogram is empty afterwards.
func (h *Hist) Release() {
	if h.c == nil {
		return
	}
	clear(h.c[h.lo : h.hi+1])
	histBuffers.Put(h.buf)
	*h = Hist{}
}

// add merges one sparse histogram (buckets ascending or not; parallel arrays).
func (h *Hist) add(idx []int32, cnt []int64) {
	for k, i := range idx {
		if k >= len(cnt) {
			break
		}
		h.addOne(int(i), cnt[k])
	}
}

// merge adds another histogram.
func (h *Hist) merge(o *Hist) {
	if o == nil || o.c == nil {
		return
	}
	h.touch(o.lo, o.hi)
	for i := o.lo; i <= o.hi; i++ {
		h.c[i] += o.c[i]
	}
	h.n += o.n
}

// histValue is the representative duration (µs) of a bucket, as perf_hist_value.
func histValue(i int) float64 {
	if i <= 0 {
		return 1
	}
	return 2 * math.Pow(1.02, float64(i)) / 2.02
}

// quantiles (µs) for each q, as perf_hist_quantiles (migrations/functions/20_histograms.sql) and as
// percentile_cont over the raw values: at rank r = 1 + q·(n-1), interpolated between the
// values of ranks floor(r) and ceil(r), each taken as the value of its bucket. Each bucket
// value is within 1% of every duration in its bucket, so the interpolation is within 1% of
// percentile_cont's; nil entries when the histogram is empty.
func (h *Hist) Quantiles(qs ...float64) []*float64 {
	res := make([]*float64, len(qs))
	if h == nil || h.n <= 0 {
		return res
	}
	// the value of the rank-th smallest duration (1-based), as its bucket's value
	valueAt := func(rank int64) float64 {
		var acc int64
		for i := h.lo; i <= h.hi; i++ {
			if acc += h.c[i]; acc >= rank {
				return histValue(i)
			}
		}
		return histValue(h.hi)
	}
	for j, q := range qs {
		r := 1 + q*float64(h.n-1)
		lo, hi := valueAt(int64(math.Floor(r))), valueAt(int64(math.Ceil(r)))
		v := lo + (r-math.Floor(r))*(hi-lo)
		res[j] = &v
	}
	return res
}

// QuantilesWithin is Quantiles with each value clamped to [lo, hi], the smallest and largest
// duration of the group (nil: unknown): a bucket's value may lie outside the durations it
// holds (a single 1000 µs request is reported as 1000.5 µs), and no quantile is reported
// outside what was measured. perf_hist_quantiles(…, p_min, p_max) clamps the same way.
func (h *Hist) QuantilesWithin(lo, hi *float64, qs ...float64) []*float64 {
	res := h.Quantiles(qs...)
	for _, v := range res {
		if v == nil {
			continue
		}
		if hi != nil && *v > *hi {
			*v = *hi
		}
		if lo != nil && *v < *lo {
			*v = *lo
		}
	}
	return res
}

// CountLE counts the values whose bucket value is <= us (perf_hist_count_le).
func (h *Hist) CountLE(us float64) int64 {
	if h == nil {
		return 0
	}
	var n int64
	for i := h.lo; h.c != nil && i <= h.hi; i++ {
		if c := h.c[i]; c != 0 && histValue(i) <= us {
			n += c
		}
	}
	return n
}

// countGE counts the values whose bucket value is >= us.
func (h *Hist) CountGE(us float64) int64 {
	if h == nil {
		return 0
	}
	var n int64
	for i := h.lo; h.c != nil && i <= h.hi; i++ {
		if c := h.c[i]; c != 0 && histValue(i) >= us {
			n += c
		}
	}
	return n
}

// addBinary merges a histogram given as the raw binary wire values of its integer[] and
// bigint[] arrays (rows.RawValues() of a binary-format result), skipping pgx's generic array
// decoding, which dominates when thousands of rows are merged. ok is false when the values
// are not one-dimensional binary int4/int8 arrays without NULLs; the caller then scans them.
func (h *Hist) addBinary(idx, cnt []byte) (ok bool) {
	ni, pi, ok1 := arrayHeader(idx, 4)
	nc, pc, ok2 := arrayHeader(cnt, 8)
	if !ok1 || !ok2 || ni != nc {
		return false
	}
	if len(idx) < pi+ni*8 || len(cnt) < pc+nc*12 {
		return false
	}
	for k := 0; k < ni; k++ {
		io, co := pi+k*8, pc+k*12
		if be32(idx[io:]) != 4 || be32(cnt[co:]) != 8 {
			return false
		}
	}
	for k := 0; k < ni; k++ {
		h.addOne(int(int32(be32(idx[pi+k*8+4:]))), int64(be64(cnt[pc+k*12+4:])))
	}
	return true
}

// arrayHeader parses the header of a binary PostgreSQL array of elemSize-byte elements:
// element count and offset of the first element.
func arrayHeader(b []byte, elemSize int) (n, off int, ok bool) {
	if len(b) < 12 {
		return 0, 0, false
	}
	ndim, hasNull := int32(be32(b)), be32(b[4:])
	if ndim == 0 {
		return 0, 12, true
	}
	if ndim != 1 || hasNull != 0 || len(b) < 20 {
		return 0, 0, false
	}
	if oid := be32(b[8:]); (elemSize == 4 && oid != 23) || (elemSize == 8 && oid != 20) {
		return 0, 0, false
	}
	return int(int32(be32(b[12:]))), 20, true
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func be64(b []byte) uint64 { return uint64(be32(b))<<32 | uint64(be32(b[4:])) }

// addColumns merges the histogram in columns i (integer[]) and j (bigint[]) of the current
// row: from the raw binary values when possible, else through Scan.
func (h *Hist) AddColumns(rows pgx.Rows, i, j int) error {
	fd := rows.FieldDescriptions()
	raw := rows.RawValues()
	// A NULL array adds nothing (as add of a nil slice): the branches of Summaries without a
	// histogram (resources and pools) leave it NULL, and scanning it through Scan costs more.
	if raw[i] == nil || raw[j] == nil {
		return nil
	}
	if fd[i].Format == pgx.BinaryFormatCode && fd[j].Format == pgx.BinaryFormatCode &&
		h.addBinary(raw[i], raw[j]) {
		return nil
	}
	var idx []int32
	var cnt []int64
	dest := make([]any, len(fd))
	dest[i], dest[j] = &idx, &cnt
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	h.add(idx, cnt)
	return nil
}

// addPacked merges a histogram packed by perf_hist_pack: per bucket a
// big-endian int2 index and int4 count. The touched range is widened once for the whole
// value, then counts are added in a tight loop: a 30-day endpointMetrics merges millions of
// buckets.
func (h *Hist) addPacked(b []byte) bool {
	if len(b)%6 != 0 {
		return false
	}
	if len(b) == 0 {
		return true
	}
	// bucket index of the entry at offset o, clamped as addOne clamps it
	index := func(o int) int { return min(max(0, int(int16(uint16(b[o])<<8|uint16(b[o+1])))), histBuckets-1) }
	lo, hi := histBuckets-1, 0
	for o := 0; o < len(b); o += 6 {
		lo, hi = min(lo, index(o)), max(hi, index(o))
	}
	h.touch(lo, hi)
	var n int64
	for o := 0; o < len(b); o += 6 {
		v := int64(int32(be32(b[o+2:])))
		h.c[index(o)] += v
		n += v
	}
	h.n += n
	return true
}

// addPackedOrColumns merges column p (a packed bytea, NULL when absent) or else the arrays in
// columns i and j of the current row.
func (h *Hist) AddPackedOrColumns(rows pgx.Rows, p, i, j int) error {
	if raw := rows.RawValues(); raw[p] != nil && rows.FieldDescriptions()[p].Format == pgx.BinaryFormatCode && h.addPacked(raw[p]) {
		return nil
	}
	return h.AddColumns(rows, i, j)
}

// RawInts reads the first len(dst) columns of the current row, all binary int2/int4/int8
// and not NULL, without Scan; false when one is not.
func RawInts(rows pgx.Rows, dst []int64) bool {
	fd, raw := rows.FieldDescriptions(), rows.RawValues()
	if len(raw) < len(dst) {
		return false
	}
	for i := range dst {
		if fd[i].Format != pgx.BinaryFormatCode {
			return false
		}
		b := raw[i]
		switch {
		case fd[i].DataTypeOID == 20 && len(b) == 8:
			dst[i] = int64(be64(b))
		case fd[i].DataTypeOID == 23 && len(b) == 4:
			dst[i] = int64(int32(be32(b)))
		case fd[i].DataTypeOID == 21 && len(b) == 2:
			dst[i] = int64(int16(uint16(b[0])<<8 | uint16(b[1])))
		default:
			return false
		}
	}
	return true
}

// MinUs is the smallest duration of a group merged from rollup rows whose min_us may be
// NULL (rows written before the column): unknown as soon as one row does not know it, as
// the SQL merges do (CASE WHEN count(min_us) = count(*) THEN min(min_us) END).
type MinUs struct {
	v       int64
	rows    int64
	unknown bool
}

// Add merges one row's min_us (nil: NULL).
func (m *MinUs) Add(v *int64) {
	switch {
	case v == nil:
		m.unknown = true
	case m.rows == 0 || *v < m.v:
		m.v = *v
	}
	m.rows++
}

// Bound is the smallest duration as a lower bound for QuantilesWithin: nil when unknown.
func (m *MinUs) Bound() *float64 {
	if m.unknown || m.rows == 0 {
		return nil
	}
	v := float64(m.v)
	return &v
}

// RawNullInt reads column i of the current row as a nullable integer from its binary
// value (nil for NULL); ok is false when it is not a binary int2/int4/int8 and the caller
// has to Scan it.
func RawNullInt(rows pgx.Rows, i int) (v *int64, ok bool) {
	fd, raw := rows.FieldDescriptions(), rows.RawValues()
	if i >= len(raw) || fd[i].Format != pgx.BinaryFormatCode {
		return nil, false
	}
	b := raw[i]
	if b == nil {
		return nil, true
	}
	var x int64
	switch {
	case fd[i].DataTypeOID == 20 && len(b) == 8:
		x = int64(be64(b))
	case fd[i].DataTypeOID == 23 && len(b) == 4:
		x = int64(int32(be32(b)))
	case fd[i].DataTypeOID == 21 && len(b) == 2:
		x = int64(int16(uint16(b[0])<<8 | uint16(b[1])))
	default:
		return nil, false
	}
	return &x, true
}

// Count is the number of values added.
func (h *Hist) Count() int64 { return h.n }
