package pgwriter

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
)

// The log rows have a fixed layout of fixed-width columns, so the exporter writes
// PostgreSQL's binary COPY format itself instead of going through pgx.CopyFrom: pgx's
// generic path boxes every value in an interface and looks up an encode plan per value,
// which was most of the exporter's CPU per span. The bytes are the same ones pgx would
// send (see "COPY ... FORMAT binary" in the PostgreSQL manual); the connection, protocol
// and errors stay pgx's (PgConn.CopyFrom).

var copySignature = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// postgresEpochMicros is 2000-01-01 00:00:00 UTC in Unix microseconds.
const postgresEpochMicros = 946_684_800_000_000

var copyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

type copyWriter struct{ buf *bytes.Buffer }

func (w copyWriter) fields(n int16) {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], uint16(n))
	w.buf.Write(b[:])
}

func (w copyWriter) timestamptz(t time.Time) {
	w.int8(t.UnixMicro() - postgresEpochMicros)
}

func (w copyWriter) int8(v int64) {
	var b [12]byte // length, then the value
	w.buf.Write(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(b[:0], 8), uint64(v)))
}

func (w copyWriter) int4(v int32) {
	var b [8]byte // length, then the value
	w.buf.Write(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(b[:0], 4), uint32(v)))
}

func (w copyWriter) int2(v int16) {
	var b [6]byte // length, then the value
	w.buf.Write(binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(b[:0], 2), uint16(v)))
}

func (w copyWriter) bool(v bool) {
	b := [5]byte{0, 0, 0, 1, 0}
	if v {
		b[4] = 1
	}
	w.buf.Write(b[:])
}

func (w copyWriter) uuid(v [16]byte) {
	var b [20]byte
	b[3] = 16
	copy(b[4:], v[:])
	w.buf.Write(b[:])
}

// copyBinary runs COPY table (columns) FROM STDIN in binary format with rows written by
// encode, and returns the number of rows copied.
func copyBinary(ctx context.Context, tx pgx.Tx, table string, columns []string, rows int, encode func(copyWriter)) (int64, error) {
	buf := copyBuffers.Get().(*bytes.Buffer)
	defer copyBuffers.Put(buf)
	buf.Reset()
	buf.Grow(len(copySignature) + rows*96 + 2)
	buf.Write(copySignature)
	encode(copyWriter{buf})
	buf.Write([]byte{0xff, 0xff}) // trailer
	sql := "COPY " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(columns, ", ") + ") FROM STDIN (FORMAT binary)"
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(buf.Bytes()), sql)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func copyAPI(ctx context.Context, tx pgx.Tx, table string, b *spanrows.Batch, m *ids) (int64, error) {
	return copyBinary(ctx, tx, table, apiColumns, len(b.API), func(w copyWriter) {
		for i := range b.API {
			r := &b.API[i]
			w.fields(int16(len(apiColumns)))
			w.timestamptz(r.TS)
			w.int8(r.SpanID)
			w.uuid(r.TraceID)
			w.int4(m.services[r.Service])
			w.int4(m.endpoints[r.Endpoint])
			w.int4(r.DurationUS)
			w.int4(r.RequestSize)
			w.int4(r.ResponseSize)
			w.int2(r.StatusCode)
			w.int4(m.tenants[r.Tenant])
			w.bool(r.IsError)
		}
	})
}

func copyQueries(ctx context.Context, tx pgx.Tx, table string, b *spanrows.Batch, m *ids) (int64, error) {
	return copyBinary(ctx, tx, table, queryColumns, len(b.Queries), func(w copyWriter) {
		for i := range b.Queries {
			r := &b.Queries[i]
			endpoint := int32(0) // 0: request unknown at write time, attributed at rollup time
			if r.Endpoint != spanrows.NoEndpoint {
				endpoint = m.endpoints[r.Endpoint]
			}
			w.fields(int16(len(queryColumns)))
			w.timestamptz(r.TS)
			w.int8(r.Fingerprint)
			w.int8(r.SpanID)
			w.int8(r.ParentSpanID)
			w.uuid(r.TraceID)
			w.int4(m.services[r.Service])
			w.int4(endpoint)
			w.int4(m.databases[r.Database])
			w.int4(r.DurationUS)
			w.int4(r.RowsReturned)
			w.int4(m.tenants[r.Tenant])
			w.bool(r.IsError)
			w.int2(int16(r.LikePattern))
		}
	})
}
