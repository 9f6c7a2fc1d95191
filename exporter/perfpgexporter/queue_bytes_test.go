package perfpgexporter

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
)

// The default queue is bounded in bytes; its batches, when on, are still sized in rows.
func TestDefaultQueueIsBoundedInBytes(t *testing.T) {
	q := createDefaultConfig().(*Config).QueueConfig.Get()
	if q == nil || q.Sizer != exporterhelper.RequestSizerTypeBytes || q.QueueSize != 256<<20 {
		t.Fatalf("default sending_queue %+v, want sizer bytes, queue_size 256 MiB", q)
	}
	if b := q.Batch.Get(); b != nil && b.Sizer != exporterhelper.RequestSizerTypeItems {
		t.Errorf("default batch %+v, want sizer items when batching", b)
	}
	if err := q.Validate(); err != nil {
		t.Error(err)
	}
}

// While the database is down, a queue of N bytes takes requests until their slimmed size
// reaches N, then refuses with "queue is full" (the receiver's "retry later").
func TestQueueFillsByBytes(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: the database is down
	const queueBytes = 30_000
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = "postgres://postgres@" + addr + "/perf?sslmode=disable&connect_timeout=1"
	q := defaultQueueConfig()
	q.QueueSize = queueBytes
	q.NumConsumers = 1
	cfg.QueueConfig = configoptional.Some(q)
	exp, err := NewFactory().CreateTraces(context.Background(), exportertest.NewNopSettings(metadata.Type), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = exp.Shutdown(ctx)
	})

	base := time.Now().Add(-time.Minute)
	probe := noisyTraces(base)
	var m ptrace.ProtoMarshaler
	full := m.TracesSize(probe)
	newSlimmer(cfg).Traces(probe)
	slim := m.TracesSize(probe)
	if full <= queueBytes {
		t.Fatalf("a request of %d bytes fits the queue unslimmed: the test proves nothing", full)
	}
	accepted := 0
	for ; accepted < 1000; accepted++ {
		err := exp.ConsumeTraces(context.Background(), noisyTraces(base))
		if errors.Is(err, exporterhelper.ErrQueueIsFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("request %d bytes, %d slimmed; %d accepted into a %d-byte queue", full, slim, accepted, queueBytes)
	// in flight at one consumer's batcher: at most one flush of requests more than the queue holds
	if accepted < queueBytes/slim || accepted > 2*queueBytes/slim+2 {
		t.Errorf("%d requests of %d bytes accepted into a %d-byte queue", accepted, slim, queueBytes)
	}
}
