package perfpgexporter

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"go.opentelemetry.io/collector/exporter/exporterhelper/xexporterhelper"
	"go.opentelemetry.io/collector/pdata/ptrace"
	pdatareq "go.opentelemetry.io/collector/pdata/xpdata/request"
)

func queueTestTraces(n int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "checkout")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	for i := range n {
		s := spans.AppendEmpty()
		s.SetName("SELECT shop")
		s.SetKind(ptrace.SpanKindClient)
		s.Attributes().PutStr("db.system.name", "postgresql")
		s.Attributes().PutStr("db.query.text", fmt.Sprintf("SELECT id FROM t%d WHERE id = ?", i%7))
	}
	return td
}

// A queued request comes back whole; an item queued by an earlier version (plain
// exporterhelper encoding) still decodes after an upgrade; a corrupt one is an error.
func TestCompressedQueueEncoding(t *testing.T) {
	for _, set := range []struct {
		name string
		set  xexporterhelper.QueueBatchSettings
	}{
		{"traces", xexporterhelper.NewTracesQueueBatchSettings()},
		{"metrics", xexporterhelper.NewMetricsQueueBatchSettings()},
		{"logs", xexporterhelper.NewLogsQueueBatchSettings()},
	} {
		if _, ok := compressQueue(set.set).Encoding.(compressedEncoding); !ok {
			t.Errorf("%s: queue encoding %T, want compressedEncoding", set.name, compressQueue(set.set).Encoding)
		}
	}
	plain := xexporterhelper.NewTracesQueueBatchSettings().Encoding
	enc := compressQueue(xexporterhelper.NewTracesQueueBatchSettings()).Encoding
	ctx := context.Background()
	legacy, err := pdatareq.MarshalTraces(ctx, queueTestTraces(500))
	if err != nil {
		t.Fatal(err)
	}
	_, req, err := enc.Unmarshal(legacy)
	if err != nil || req.ItemsCount() != 500 {
		t.Fatalf("item of the plain encoding: %v, %d spans, want 500", err, req.ItemsCount())
	}
	item, err := enc.Marshal(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if item[0] != compressedItem || len(item) > len(legacy)/3 {
		t.Errorf("queued item: first byte %#x, %d bytes for %d plain, want %#x and under a third", item[0], len(item), len(legacy), compressedItem)
	}
	_, back, err := enc.Unmarshal(item)
	if err != nil {
		t.Fatal(err)
	}
	again, err := plain.Marshal(ctx, back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, legacy) {
		t.Error("request read back from the queue differs from the one queued")
	}
	if _, _, err := enc.Unmarshal(append([]byte{compressedItem}, 0xff, 0xff, 0xff)); err == nil {
		t.Error("corrupt compressed item decoded without error")
	}
}
