// Package tenancyconverter refuses collector configurations in which the tenant of data
// written by the perfpg exporter could be named by the client although the client
// authenticated (see README.md). It is a confmap.Converter: it sees the whole resolved
// configuration before any component is built, so the distribution refuses to start
// (and `otelcol-perf validate` fails) with a message that says what to change.
package tenancyconverter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/confmap"
)

const (
	exporterType      = "perfpg"
	authenticatorType = "perfgraphql"
	batchType         = "batch"
	otlpReceiverType  = "otlp"
	// defaultMetadataKey is the default of perfpg's tenant.metadata_key and perfgraphql's
	// tenants.metadata_key.
	defaultMetadataKey = "X-Scope-OrgID"
	// defaultCardinalityLimit is batch's metadata_cardinality_limit when it is not set.
	defaultCardinalityLimit = 1000
)

type converter struct{}

// NewFactory returns the factory of the tenancy converter.
func NewFactory() confmap.ConverterFactory {
	return confmap.NewConverterFactory(func(confmap.ConverterSettings) confmap.Converter { return converter{} })
}

// Convert leaves conf unchanged; it returns an error naming every unsafe pipeline.
func (converter) Convert(_ context.Context, conf *confmap.Conf) error {
	return check(conf.ToStringMap())
}

func check(cfg map[string]any) error {
	pipelines := mapAt(cfg, "service", "pipelines")
	names := make([]string, 0, len(pipelines))
	for name := range pipelines {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		p, _ := pipelines[name].(map[string]any)
		errs = append(errs, checkPipeline(cfg, name, p)...)
	}
	return errors.Join(errs...)
}

// server is one server of a receiver (an OTLP protocol) and its authenticator ("" when none).
type server struct {
	receiver, name, authenticator string
}

func checkPipeline(cfg map[string]any, pipeline string, p map[string]any) []error {
	var exporters []string
	for _, id := range stringList(p["exporters"]) {
		if componentType(id) == exporterType {
			exporters = append(exporters, id)
		}
	}
	if len(exporters) == 0 {
		return nil
	}
	var servers []server
	for _, id := range stringList(p["receivers"]) {
		servers = append(servers, receiverServers(id, mapAt(cfg, "receivers", id))...)
	}
	var batches []string
	for _, id := range stringList(p["processors"]) {
		if componentType(id) == batchType {
			batches = append(batches, id)
		}
	}

	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("tenancy: pipeline %q: "+format, append([]any{pipeline}, args...)...))
	}
	allPerfgraphql := len(servers) > 0
	tokenTenants := map[string]bool{}
	for _, s := range servers {
		switch {
		case s.authenticator == "":
			allPerfgraphql = false
		case componentType(s.authenticator) != authenticatorType:
			allPerfgraphql = false
			for _, b := range batches {
				fail("receiver %q (%s) authenticates with %q, whose client.Info.Auth the processor %q drops, "+
					"so the perfpg exporter would take the tenant from what the client sends (header or tenant.id); "+
					"remove %q from the pipeline (perfpg batches in its sending_queue) or authenticate with perfgraphql",
					s.receiver, s.name, s.authenticator, b, b)
			}
		default:
			ext := mapAt(cfg, "extensions", s.authenticator)
			authKey := stringAt(mapAt(ext, "tenants"), "metadata_key", defaultMetadataKey)
			for _, t := range listAt(mapAt(ext, "tenants"), "tokens") {
				if m, ok := t.(map[string]any); ok {
					tokenTenants[fmt.Sprint(m["tenant"])] = true
				}
			}
			for _, e := range exporters {
				if key := exporterMetadataKey(cfg, e); !strings.EqualFold(key, authKey) {
					fail("%q writes the authenticated tenant into the metadata key %q (tenants.metadata_key) but exporter %q reads %q "+
						"(tenant.metadata_key); set both to the same key", s.authenticator, authKey, e, key)
				}
			}
			for _, b := range batches {
				if !slices.ContainsFunc(batchMetadataKeys(cfg, b), func(k string) bool { return strings.EqualFold(k, authKey) }) {
					fail("processor %q drops client.Info.Auth and every metadata key but its metadata_keys, so the tenant that %q "+
						"authenticated on receiver %q (%s) would be lost and the client could name another tenant with tenant.id; "+
						"add %q to its metadata_keys (with metadata_cardinality_limit: 0) or remove it from the pipeline",
						b, s.authenticator, s.receiver, s.name, authKey)
				}
			}
		}
	}

	// batch keeps one shard per distinct value of its metadata_keys and refuses new values
	// past metadata_cardinality_limit: keyed on the tenant, it must not cap the tenants
	for _, b := range batches {
		keys := batchMetadataKeys(cfg, b)
		for _, e := range exporters {
			key := exporterMetadataKey(cfg, e)
			if key == "" || !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, key) }) {
				continue
			}
			limit, err := batchCardinalityLimit(cfg, b)
			if err != nil {
				fail("processor %q: %v", b, err)
				continue
			}
			switch {
			case limit == 0:
			case allPerfgraphql && limit >= len(tokenTenants):
				// every request carries one of the token tenants: they all fit
			case allPerfgraphql:
				fail("processor %q keeps %q with metadata_cardinality_limit %d, fewer than the %d tenants of the tokens: "+
					"it would refuse the data of the others; set metadata_cardinality_limit: 0 (unlimited) or at least %d",
					b, key, limit, len(tokenTenants), len(tokenTenants))
			default:
				fail("processor %q keeps %q with metadata_cardinality_limit %d: once clients have named that many tenants it "+
					"refuses the data of every new one; set metadata_cardinality_limit: 0 (perfpg's tenant.max_tenants bounds "+
					"the tenants clients create), or remove it from the pipeline (perfpg batches in its sending_queue)",
					b, key, limit)
			}
		}
	}
	return errs
}

// receiverServers lists the servers of a receiver with their authenticators: each protocol
// of an OTLP receiver; for another receiver, every block with an endpoint or an auth.
func receiverServers(id string, cfg map[string]any) []server {
	var out []server
	if componentType(id) == otlpReceiverType {
		protocols := mapAt(cfg, "protocols")
		for _, name := range []string{"grpc", "http"} {
			if _, ok := protocols[name]; ok {
				out = append(out, server{receiver: id, name: name, authenticator: stringAt(mapAt(protocols, name, "auth"), "authenticator", "")})
			}
		}
		return out
	}
	var walk func(path string, m map[string]any)
	walk = func(path string, m map[string]any) {
		_, hasEndpoint := m["endpoint"]
		auth := stringAt(mapAt(m, "auth"), "authenticator", "")
		if hasEndpoint || auth != "" {
			out = append(out, server{receiver: id, name: strings.TrimPrefix(path, "."), authenticator: auth})
		}
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok && k != "auth" {
				walk(path+"."+k, sub)
			}
		}
	}
	walk("", cfg)
	return out
}

func exporterMetadataKey(cfg map[string]any, id string) string {
	return stringAt(mapAt(cfg, "exporters", id, "tenant"), "metadata_key", defaultMetadataKey)
}

func batchMetadataKeys(cfg map[string]any, id string) []string {
	return stringList(mapAt(cfg, "processors", id)["metadata_keys"])
}

func batchCardinalityLimit(cfg map[string]any, id string) (int, error) {
	v, ok := mapAt(cfg, "processors", id)["metadata_cardinality_limit"]
	if !ok || v == nil {
		return defaultCardinalityLimit, nil
	}
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case uint64:
		return int(n), nil
	case float64:
		return int(n), nil
	case string:
		var i int
		if _, err := fmt.Sscan(n, &i); err == nil {
			return i, nil
		}
	}
	return 0, fmt.Errorf("metadata_cardinality_limit %v is not a number", v)
}

// componentType is the type of a component id "type[/name]".
func componentType(id string) string {
	t, _, _ := strings.Cut(id, "/")
	return t
}

// mapAt walks nested maps; a missing or non-map level gives nil.
func mapAt(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		next, _ := m[k].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

func listAt(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

// stringAt returns m[key] as a string, def when it is absent.
func stringAt(m map[string]any, key, def string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return def
	}
	return fmt.Sprint(v)
}

func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, fmt.Sprint(x))
	}
	return out
}
