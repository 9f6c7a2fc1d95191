// Package perfgraphqlext is the read side of otelcol-perf (component type "perfgraphql"):
// partition and rollup scheduler, optimization engine, GraphQL API and dashboard.
package perfgraphqlext

import (
	"context"
	"os"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/extension"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// DefaultEndpoint of the GraphQL API and dashboard.
const DefaultEndpoint = "127.0.0.1:4000"

// NewFactory returns the factory of the perfgraphql extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(metadata.Type, createDefaultConfig, createExtension, metadata.ExtensionStability)
}

func createDefaultConfig() component.Config {
	dsn := os.Getenv("PERF_PG_DSN")
	if dsn == "" {
		dsn = perfdb.DefaultDSN
	}
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = DefaultEndpoint
	return &Config{DSN: dsn, ServerConfig: server}
}

func createExtension(_ context.Context, set extension.Settings, cfg component.Config) (extension.Extension, error) {
	return newExtension(cfg.(*Config), set), nil
}
