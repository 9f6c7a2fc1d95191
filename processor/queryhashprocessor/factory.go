// Package queryhashprocessor normalizes and fingerprints the SQL statements of database
// client spans (component type "queryhash").
package queryhashprocessor

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor/internal/metadata"
)

// DefaultFingerprintAttribute is where the fingerprint goes unless configured otherwise.
const DefaultFingerprintAttribute = "db.query.fingerprint"

// NewFactory returns the factory of the queryhash processor.
func NewFactory() processor.Factory {
	return processor.NewFactory(metadata.Type, createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability))
}

func createDefaultConfig() component.Config {
	return &Config{
		MaxStatementLength:   32 << 10,
		FingerprintAttribute: DefaultFingerprintAttribute,
	}
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	// The normalizer is wired in with the queryhash issue; until then spans pass unchanged.
	return processorhelper.NewTraces(ctx, set, cfg, next,
		func(_ context.Context, td ptrace.Traces) (ptrace.Traces, error) { return td, nil },
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}))
}
