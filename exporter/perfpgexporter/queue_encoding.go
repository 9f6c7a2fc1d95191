package perfpgexporter

import (
	"context"
	"errors"

	"github.com/klauspost/compress/s2"
	"go.opentelemetry.io/collector/exporter/exporterhelper/xexporterhelper"
)

// queueEncoding is what exporterhelper's persistent queue needs of an encoding.
type queueEncoding interface {
	Marshal(context.Context, xexporterhelper.Request) ([]byte, error)
	Unmarshal([]byte) (context.Context, xexporterhelper.Request, error)
}

// compressedEncoding stores exporterhelper's own encoding of a request compressed with S2.
// file_storage (bbolt) rewrites a whole leaf, with the 2–4 queued requests it holds, on
// every write, read and removal, so it copies and allocates about ten times the bytes it
// queues, whatever the size of the requests: fewer bytes are what the exporter can change.
// S2 makes them about 5× fewer for far less CPU than those copies cost.
//
// A compressed item starts with compressedItem, a byte no protobuf message starts with
// (field number 0), so items an earlier version queued (plain protobuf) still decode after
// an upgrade.
type compressedEncoding struct{ inner queueEncoding }

const compressedItem = 0x00

func (e compressedEncoding) Marshal(ctx context.Context, req xexporterhelper.Request) ([]byte, error) {
	b, err := e.inner.Marshal(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+s2.MaxEncodedLen(len(b)))
	out[0] = compressedItem
	return out[:1+len(s2.Encode(out[1:], b))], nil
}

func (e compressedEncoding) Unmarshal(b []byte) (context.Context, xexporterhelper.Request, error) {
	if len(b) == 0 || b[0] != compressedItem {
		return e.inner.Unmarshal(b)
	}
	raw, err := s2.Decode(nil, b[1:])
	if err != nil {
		return context.Background(), nil, errors.Join(errors.New("perfpg: corrupt queue item"), err)
	}
	return e.inner.Unmarshal(raw)
}

// compressQueue wraps a signal's default queue settings' encoding (see compressedEncoding).
func compressQueue(set xexporterhelper.QueueBatchSettings) xexporterhelper.QueueBatchSettings {
	set.Encoding = compressedEncoding{inner: set.Encoding}
	return set
}
