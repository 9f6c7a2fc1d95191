// Package tenantstamp carries the tenant of a request's client metadata through the
// exporter's queue. Client metadata lives in the request context, which a persistent
// queue does not keep; so before the queue the tenant is written into the data itself, as
// a resource attribute that the converters read first.
package tenantstamp

import (
	"context"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
)

// Attribute is the resource attribute that holds the stamped tenant. It is internal: a
// value sent by a client is removed, so it cannot be used to pick a tenant.
const Attribute = "otelcol_perf.tenant"

// AuthAttributes are the attributes of an authenticated client's auth data
// (client.Info.Auth, set by the receiver's server authenticator) that name its tenant, in
// order of preference. They are the names the perfgraphql extension reads on its side, and
// the one it provides as an OTLP receiver authenticator ("tenant").
var AuthAttributes = []string{"tenant", "tenant.id", "tenant_id", "subject", "sub"}

// FromContext returns the tenant of the request: when the client is authenticated and its
// auth data names a tenant (AuthAttributes), that tenant, whatever the metadata says (an
// authenticated client cannot write into another tenant with a header); else the first
// value of metadataKey in the request's client metadata; else "".
func FromContext(ctx context.Context, metadataKey string) string {
	info := client.FromContext(ctx)
	if info.Auth != nil {
		for _, name := range AuthAttributes {
			if v, ok := info.Auth.GetAttribute(name).(string); ok && v != "" {
				return v
			}
		}
	}
	if metadataKey == "" {
		return ""
	}
	if vals := info.Metadata.Get(metadataKey); len(vals) > 0 {
		return vals[0]
	}
	return ""
}

// maxTenantLength caps a tenant name (bytes).
const maxTenantLength = 128

// Resolve returns the tenant of a resource: the stamped metadata tenant, else the value
// of resourceAttribute (when configured), else def; cleaned for storage.
func Resolve(res pcommon.Map, resourceAttribute, def string) string {
	// Only a string names a tenant: any other type (a list, bytes, a number) is ignored,
	// never stringified into a tenant name.
	if v, ok := res.Get(Attribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
		return pgtext.Clean(v.Str(), maxTenantLength)
	}
	if resourceAttribute != "" {
		if v, ok := res.Get(resourceAttribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
			return pgtext.Clean(v.Str(), maxTenantLength)
		}
	}
	return pgtext.Clean(def, maxTenantLength)
}

func stamp(res pcommon.Map, tenant string) {
	if tenant == "" {
		res.Remove(Attribute)
		return
	}
	res.PutStr(Attribute, tenant)
}

// Traces writes tenant into every resource of td (or removes a client-sent stamp).
func Traces(td ptrace.Traces, tenant string) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		stamp(rss.At(i).Resource().Attributes(), tenant)
	}
}

// Metrics writes tenant into every resource of md (or removes a client-sent stamp).
func Metrics(md pmetric.Metrics, tenant string) {
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		stamp(rms.At(i).Resource().Attributes(), tenant)
	}
}
