// Package metadata holds the component type and stability levels declared in metadata.yaml.
package metadata

import "go.opentelemetry.io/collector/component"

var Type = component.MustNewType("queryhash")

const (
	ScopeName       = "github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor"
	TracesStability = component.StabilityLevelAlpha
)
