// Package metadata holds the component type and stability level declared in metadata.yaml.
package metadata

import "go.opentelemetry.io/collector/component"

var Type = component.MustNewType("perfgraphql")

const (
	ScopeName          = "github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext"
	ExtensionStability = component.StabilityLevelAlpha
)
