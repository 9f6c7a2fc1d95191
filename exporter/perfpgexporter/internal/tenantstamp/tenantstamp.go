// Package tenantstamp carries the tenant of a request's client metadata through the
// exporter's queue. Client metadata lives in the request context, which a persistent
// queue does not keep; so before the queue the tenant is written into the data itself, as
// a resource attribute that the converters read first.
package tenantstamp

import (
	"context"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/localdict"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
)

// Attribute is the resource attribute that holds the stamped tenant. It is internal: a
// value sent by a client is removed, so it cannot be used to pick a tenant.
const Attribute = "otelcol_perf.tenant"

// SourceAttribute says where the stamped tenant came from; like Attribute it is internal
// and a client-sent value is removed. Its value is sourceCredentials when the tenant was
// named by the client's credentials (tenants named so are never capped).
const SourceAttribute = "otelcol_perf.tenant_source"

const sourceCredentials = "credentials"

// Attributes are the internal resource attributes a stamp writes; whatever reduces data
// between the stamp and the converters must keep them.
var Attributes = []string{Attribute, SourceAttribute}

// AuthAttributes are the attributes of an authenticated client's auth data
// (client.Info.Auth, set by the receiver's server authenticator) that name its tenant, in
// order of preference. They are the names the perfgraphql extension reads on its side, and
// the one it provides as an OTLP receiver authenticator ("tenant").
var AuthAttributes = []string{"tenant", "tenant.id", "tenant_id", "subject", "sub"}

// Origin is the tenant a request context names, and how.
type Origin struct {
	Tenant string
	// FromCredentials: the receiver's authenticator accepted the client; Tenant is what
	// its auth data names, or the default tenant when it names none.
	FromCredentials bool
}

// FromContext returns the tenant of the request:
//   - when the client is authenticated (client.Info.Auth is set), the tenant its auth data
//     names (AuthAttributes), else defaultTenant: nothing the client sends — header,
//     resource attribute — may name the tenant of authenticated data;
//   - else the first value of metadataKey in the request's client metadata (after a batch
//     processor this is where perfgraphql's authenticated tenant is: its Authenticate
//     overwrites the key);
//   - else the zero Origin: the resource attribute or the default decide.
func FromContext(ctx context.Context, metadataKey, defaultTenant string) Origin {
	info := client.FromContext(ctx)
	if info.Auth != nil {
		for _, name := range AuthAttributes {
			if v, ok := info.Auth.GetAttribute(name).(string); ok && v != "" {
				return Origin{Tenant: v, FromCredentials: true}
			}
		}
		return Origin{Tenant: defaultTenant, FromCredentials: true}
	}
	if metadataKey == "" {
		return Origin{}
	}
	if vals := info.Metadata.Get(metadataKey); len(vals) > 0 && vals[0] != "" {
		return Origin{Tenant: vals[0]}
	}
	return Origin{}
}

// maxTenantLength caps a tenant name (bytes).
const maxTenantLength = 128

// Resolve returns the tenant of a resource: the stamped tenant, else the value of
// resourceAttribute (when configured), else def; cleaned for storage. clientNamed reports
// a tenant named by what a client sends without credentials (a header or the resource
// attribute): those are the tenants that tenant.max_tenants caps. Only a string names a
// tenant: any other type (a list, bytes, a number) is ignored, never stringified.
func Resolve(res pcommon.Map, resourceAttribute, def string) (name string, clientNamed bool) {
	if v, ok := res.Get(Attribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
		src, _ := res.Get(SourceAttribute)
		return pgtext.Clean(v.Str(), maxTenantLength), src.Str() != sourceCredentials
	}
	if resourceAttribute != "" {
		if v, ok := res.Get(resourceAttribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
			return pgtext.Clean(v.Str(), maxTenantLength), true
		}
	}
	return pgtext.Clean(def, maxTenantLength), false
}

func stamp(res pcommon.Map, o Origin) {
	res.Remove(SourceAttribute)
	if o.Tenant == "" {
		res.Remove(Attribute)
		return
	}
	res.PutStr(Attribute, o.Tenant)
	if o.FromCredentials {
		res.PutStr(SourceAttribute, sourceCredentials)
	}
}

// Traces writes o into every resource of td (or removes a client-sent stamp).
func Traces(td ptrace.Traces, o Origin) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		stamp(rss.At(i).Resource().Attributes(), o)
	}
}

// Metrics writes o into every resource of md (or removes a client-sent stamp).
func Metrics(md pmetric.Metrics, o Origin) {
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		stamp(rms.At(i).Resource().Attributes(), o)
	}
}

// Logs writes o into every resource of ld (or removes a client-sent stamp).
func Logs(ld plog.Logs, o Origin) {
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		stamp(rls.At(i).Resource().Attributes(), o)
	}
}

// Claimed returns the tenant a resource names, without a default: the stamped tenant, else
// the value of resourceAttribute (for a filelog receiver, the operator's `resource:` setting).
// "" when neither names one.
func Claimed(res pcommon.Map, resourceAttribute string) string {
	if v, ok := res.Get(Attribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
		return pgtext.Clean(v.Str(), maxTenantLength)
	}
	if resourceAttribute != "" {
		if v, ok := res.Get(resourceAttribute); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
			return pgtext.Clean(v.Str(), maxTenantLength)
		}
	}
	return ""
}

// Dict interns the tenant names of one batch and remembers which of them only a client
// named (Resolve's clientNamed): a name that also came from credentials in the same batch
// is not client-named.
type Dict struct {
	localdict.Dict[string]
	ClientNamed []bool
}

// Intern returns the index of name.
func (d *Dict) Intern(name string, clientNamed bool) int32 {
	i := d.Dict.Intern(name)
	if int(i) == len(d.ClientNamed) {
		d.ClientNamed = append(d.ClientNamed, clientNamed)
	} else if !clientNamed {
		d.ClientNamed[i] = false
	}
	return i
}
