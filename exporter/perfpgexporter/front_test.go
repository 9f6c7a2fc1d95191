package perfpgexporter

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter/exportertest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metadata"
)

// Every signal's front changes the data it gets (tenant stamp, slimming, plan redaction):
// it must say so, or a pipeline that fans out to another exporter would hand that one the
// changed data. Created only: no database is needed.
func TestFrontsDeclareTheyMutateData(t *testing.T) {
	f, set, cfg := NewFactory(), exportertest.NewNopSettings(metadata.Type), createDefaultConfig()
	ctx := context.Background()
	te, terr := f.CreateTraces(ctx, set, cfg)
	me, merr := f.CreateMetrics(ctx, set, cfg)
	le, lerr := f.CreateLogs(ctx, set, cfg)
	if err := errors.Join(terr, merr, lerr); err != nil {
		t.Fatal(err)
	}
	for signal, c := range map[string]consumer.Capabilities{"traces": te.Capabilities(), "metrics": me.Capabilities(), "logs": le.Capabilities()} {
		if !c.MutatesData {
			t.Errorf("%s front: MutatesData false", signal)
		}
	}
}
