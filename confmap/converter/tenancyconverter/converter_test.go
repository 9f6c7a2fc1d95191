package tenancyconverter

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// conf builds a collector configuration: a perfgraphql extension with two token tenants,
// the receivers and processors given, and a traces pipeline otlp -> processors -> perfpg.
func conf(t *testing.T, receiver, processors, pipelineProcessors, exporter string) *confmap.Conf {
	t.Helper()
	yaml := `
extensions:
  perfgraphql:
    tenants:
      tokens:
        - {token: a-secret, tenant: acme}
        - {token: g-secret, tenant: globex}
  bearertokenauth:
    token: shared
receivers:
  otlp:
` + receiver + `
processors:
  memory_limiter: {check_interval: 1s, limit_mib: 100}
` + processors + `
exporters:
  debug:
  perfpg:
` + exporter + `
service:
  extensions: [perfgraphql, bearertokenauth]
  pipelines:
    traces:
      receivers: [otlp]
      processors: ` + pipelineProcessors + `
      exporters: [perfpg]
`
	r, err := confmap.NewRetrievedFromYAML([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.AsConf()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	perfgraphqlBoth = `    protocols:
      grpc: {auth: {authenticator: perfgraphql}}
      http: {auth: {authenticator: perfgraphql}}`
	perfgraphqlGRPCOnly = `    protocols:
      grpc: {auth: {authenticator: perfgraphql}}
      http: {include_metadata: true}`
	bearerBoth = `    protocols:
      grpc: {auth: {authenticator: bearertokenauth}}
      http: {auth: {authenticator: bearertokenauth}}`
	unauthenticated = `    protocols:
      grpc: {include_metadata: true}
      http: {include_metadata: true}`
	defaultExporter = `    tenant: {metadata_key: X-Scope-OrgID}`
)

func TestRefusesConfigurationsThatLoseTheAuthenticatedTenant(t *testing.T) {
	for _, tc := range []struct {
		name                                          string
		receiver, processors, pipelineProcs, exporter string
		want                                          []string // substrings of the error; none: accepted
	}{
		{"perfgraphql without batch", perfgraphqlBoth, "", "[memory_limiter]", defaultExporter, nil},
		{"perfgraphql, batch keeps the key, unlimited", perfgraphqlBoth,
			"  batch: {metadata_keys: [x-scope-orgid], metadata_cardinality_limit: 0}", "[memory_limiter, batch]", defaultExporter, nil},
		{"perfgraphql on every server, batch limit fits the token tenants", perfgraphqlBoth,
			"  batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 2}", "[batch]", defaultExporter, nil},
		{"other authenticator without batch", bearerBoth, "", "[memory_limiter]", defaultExporter, nil},
		{"unauthenticated, batch keeps the key, unlimited", unauthenticated,
			"  batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 0}", "[batch]", defaultExporter, nil},
		{"unauthenticated batch without metadata keys (the client names the tenant anyway)", unauthenticated,
			"  batch:", "[batch]", defaultExporter, nil},

		{"perfgraphql, batch without metadata_keys", perfgraphqlBoth, "  batch:", "[memory_limiter, batch]", defaultExporter,
			[]string{`pipeline "traces"`, `processor "batch" drops client.Info.Auth`, `add "X-Scope-OrgID" to its metadata_keys`, `receiver "otlp" (grpc)`, `receiver "otlp" (http)`}},
		{"perfgraphql, batch keeps another key", perfgraphqlGRPCOnly, "  batch/tenant: {metadata_keys: [X-Tenant], metadata_cardinality_limit: 0}",
			"[batch/tenant]", defaultExporter, []string{`processor "batch/tenant" drops client.Info.Auth`}},
		{"another authenticator with batch", bearerBoth, "  batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 0}", "[batch]", defaultExporter,
			[]string{`authenticates with "bearertokenauth"`, `remove "batch" from the pipeline`}},
		{"batch keeps the key with the default cardinality limit", unauthenticated, "  batch: {metadata_keys: [X-Scope-OrgID]}", "[batch]", defaultExporter,
			[]string{`metadata_cardinality_limit 1000`, `set metadata_cardinality_limit: 0`}},
		{"a finite limit with an unauthenticated server", perfgraphqlGRPCOnly, "  batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 50}", "[batch]", defaultExporter,
			[]string{`metadata_cardinality_limit 50`}},
		{"a limit below the token tenants", perfgraphqlBoth, "  batch: {metadata_keys: [X-Scope-OrgID], metadata_cardinality_limit: 1}", "[batch]", defaultExporter,
			[]string{`fewer than the 2 tenants of the tokens`}},
		{"perfpg reads another key than perfgraphql writes", perfgraphqlBoth, "", "[memory_limiter]", `    tenant: {metadata_key: X-Tenant}`,
			[]string{`"perfgraphql" writes the authenticated tenant into the metadata key "X-Scope-OrgID"`, `exporter "perfpg" reads "X-Tenant"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := NewFactory().Create(confmap.ConverterSettings{}).Convert(context.Background(),
				conf(t, tc.receiver, tc.processors, tc.pipelineProcs, tc.exporter))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused a safe configuration: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted, want refused")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// Pipelines that do not export to perfpg are not its business.
func TestIgnoresPipelinesWithoutPerfpg(t *testing.T) {
	c := conf(t, bearerBoth, "  batch:", "[batch]", defaultExporter)
	if err := c.Merge(confmap.NewFromStringMap(map[string]any{"service": map[string]any{"pipelines": map[string]any{
		"traces": map[string]any{"receivers": []any{"otlp"}, "processors": []any{"batch"}, "exporters": []any{"debug"}},
	}}})); err != nil {
		t.Fatal(err)
	}
	if err := NewFactory().Create(confmap.ConverterSettings{}).Convert(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// The repository's config.yaml (no batch processor, no authenticator) starts.
func TestAcceptsTheRepositoryConfig(t *testing.T) {
	c, err := confmaptest.LoadConf(filepath.Join("..", "..", "..", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := NewFactory().Create(confmap.ConverterSettings{}).Convert(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}
