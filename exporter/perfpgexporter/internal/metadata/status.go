// Package metadata holds the component type and stability levels declared in metadata.yaml.
package metadata

import "go.opentelemetry.io/collector/component"

var Type = component.MustNewType("perfpg")

const (
	ScopeName        = "github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter"
	TracesStability  = component.StabilityLevelAlpha
	MetricsStability = component.StabilityLevelAlpha
	LogsStability    = component.StabilityLevelAlpha
)
