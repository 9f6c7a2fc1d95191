// Package queryhashprocessor normalizes and fingerprints the SQL statements of database
// client spans (component type "queryhash").
package queryhashprocessor

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-perf/otelcol-perf/internal/semconv"
	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

// NewFactory returns the factory of the queryhash processor.
func NewFactory() processor.Factory {
	return processor.NewFactory(metadata.Type, createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability))
}

func createDefaultConfig() component.Config {
	return &Config{
		MaxStatementLength:   32 << 10,
		FingerprintAttribute: semconv.DBQueryFingerprint, // perfpg reads the same default
	}
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	p, err := newProcessor(cfg.(*Config), set)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, p.processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}))
}
