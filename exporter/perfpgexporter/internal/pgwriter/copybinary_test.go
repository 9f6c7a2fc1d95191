package pgwriter

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// edge timestamps: both epochs, before 2000 with a fraction (rounding toward -inf),
// nanoseconds below a microsecond (truncated), another zone, and the ends of time.Time's
// year range that PostgreSQL stores (4713 BC to 294276 AD)
var edgeTimes = []time.Time{
	time.Unix(0, 0).UTC(),
	time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(1999, 12, 31, 23, 59, 59, 999_999_000, time.UTC),
	time.Date(1969, 7, 20, 20, 17, 40, 123_456_000, time.UTC),
	time.Date(2026, 3, 29, 1, 30, 0, 999, time.UTC),
	time.Date(2026, 3, 29, 3, 30, 0, 1_000, time.FixedZone("CEST", 2*3600)),
	time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(9999, 12, 31, 23, 59, 59, 999_999_000, time.UTC),
}

var edgeUUIDs = [][16]byte{{}, {0: 1, 15: 0xff}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}

// pgxField is one field as pgx's binary codec encodes value: its length, then its bytes.
func pgxField(t *testing.T, oid uint32, value any) []byte {
	t.Helper()
	enc, err := pgtype.NewMap().Encode(oid, pgtype.BinaryFormatCode, value, nil)
	if err != nil {
		t.Fatalf("pgx cannot encode %v as oid %d: %v", value, oid, err)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(enc))), enc...)
}

func encoded(write func(copyWriter)) []byte {
	var buf bytes.Buffer
	write(copyWriter{&buf})
	return buf.Bytes()
}

// Every column type the encoder writes gives the bytes pgx's binary codec gives.
func TestCopyWriterMatchesPgx(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 1 << 40, math.MaxInt64, math.MinInt64} {
		if got, want := encoded(func(w copyWriter) { w.int8(v) }), pgxField(t, pgtype.Int8OID, v); !bytes.Equal(got, want) {
			t.Errorf("int8 %d: % x, pgx % x", v, got, want)
		}
	}
	for _, v := range []int32{0, 1, -1, math.MaxInt32, math.MinInt32} {
		if got, want := encoded(func(w copyWriter) { w.int4(v) }), pgxField(t, pgtype.Int4OID, v); !bytes.Equal(got, want) {
			t.Errorf("int4 %d: % x, pgx % x", v, got, want)
		}
	}
	for _, v := range []int16{0, 1, -1, 200, 599, math.MaxInt16, math.MinInt16} {
		if got, want := encoded(func(w copyWriter) { w.int2(v) }), pgxField(t, pgtype.Int2OID, v); !bytes.Equal(got, want) {
			t.Errorf("int2 %d: % x, pgx % x", v, got, want)
		}
	}
	for _, v := range []bool{false, true} {
		if got, want := encoded(func(w copyWriter) { w.bool(v) }), pgxField(t, pgtype.BoolOID, v); !bytes.Equal(got, want) {
			t.Errorf("bool %v: % x, pgx % x", v, got, want)
		}
	}
	for _, v := range edgeUUIDs {
		if got, want := encoded(func(w copyWriter) { w.uuid(v) }), pgxField(t, pgtype.UUIDOID, v); !bytes.Equal(got, want) {
			t.Errorf("uuid %x: % x, pgx % x", v, got, want)
		}
	}
	for _, v := range edgeTimes {
		if got, want := encoded(func(w copyWriter) { w.timestamptz(v) }), pgxField(t, pgtype.TimestamptzOID, v); !bytes.Equal(got, want) {
			t.Errorf("timestamptz %s: % x, pgx % x", v, got, want)
		}
	}
	// a tuple starts with its field count as int16
	if got := encoded(func(w copyWriter) { w.fields(11) }); !bytes.Equal(got, []byte{0, 11}) {
		t.Errorf("fields(11): % x", got)
	}
}

// edgeRow holds one value of each type the encoder writes.
type edgeRow struct {
	TS    time.Time
	Big   int64
	Int   int32
	Small int16
	Flag  bool
	ID    [16]byte
}

// Rows written by the encoder are read back equal from PostgreSQL, limits included.
func TestCopyBinaryRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, perfdbtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE edge (n int, ts timestamptz, big bigint, i int, small smallint, flag boolean, id uuid)`); err != nil {
		t.Fatal(err)
	}

	var rows []edgeRow
	ints := []struct {
		big   int64
		i     int32
		small int16
	}{{0, 0, 0}, {math.MaxInt64, math.MaxInt32, math.MaxInt16}, {math.MinInt64, math.MinInt32, math.MinInt16}, {-1, -1, -1}}
	for k, ts := range edgeTimes {
		n := ints[k%len(ints)]
		rows = append(rows, edgeRow{TS: ts, Big: n.big, Int: n.i, Small: n.small, Flag: k%2 == 1, ID: edgeUUIDs[k%len(edgeUUIDs)]})
	}
	copied, err := copyBinary(ctx, tx, "edge", []string{"n", "ts", "big", "i", "small", "flag", "id"}, len(rows), func(w copyWriter) {
		for k, r := range rows {
			w.fields(7)
			w.int4(int32(k))
			w.timestamptz(r.TS)
			w.int8(r.Big)
			w.int4(r.Int)
			w.int2(r.Small)
			w.bool(r.Flag)
			w.uuid(r.ID)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if copied != int64(len(rows)) {
		t.Fatalf("copied %d rows, want %d", copied, len(rows))
	}

	res, err := tx.Query(ctx, `SELECT ts, big, i, small, flag, id FROM edge ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	var got []edgeRow
	for res.Next() {
		var r edgeRow
		if err := res.Scan(&r.TS, &r.Big, &r.Int, &r.Small, &r.Flag, &r.ID); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := make([]edgeRow, len(rows))
	for k, r := range rows {
		r.TS = r.TS.Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		want[k] = r
	}
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for k := range want {
		if !got[k].TS.Equal(want[k].TS) {
			t.Errorf("row %d: ts %s, want %s", k, got[k].TS, want[k].TS)
		}
		got[k].TS, want[k].TS = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("row %d: %+v, want %+v", k, got[k], want[k])
		}
	}
	// the text PostgreSQL renders pins the timestamps independently of both Go encoders
	var first, last string
	if err := tx.QueryRow(ctx, `SELECT (min(ts) AT TIME ZONE 'UTC')::text, (max(ts) AT TIME ZONE 'UTC')::text FROM edge`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if first != "0001-01-01 00:00:00" || last != "9999-12-31 23:59:59.999999" {
		t.Errorf("stored range %s .. %s", first, last)
	}
}
