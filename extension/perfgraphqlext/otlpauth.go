package perfgraphqlext

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/client"
)

// Authenticate makes perfgraphql a server authenticator (extensionauth.Server) for the OTLP
// receiver, so that one token table (tenants.tokens) decides the tenant of reads and writes:
//
//	receivers:
//	  otlp:
//	    protocols:
//	      http: {auth: {authenticator: perfgraphql}}
//	      grpc: {auth: {authenticator: perfgraphql}}
//
// "Authorization: Bearer <token>" is looked up in tenants.tokens; the request then carries
// client.Info.Auth whose attribute "tenant" names the tenant, and the same tenant as the
// only value of the metadata key tenants.metadata_key (X-Scope-OrgID), whatever the client
// sent there. The receiver runs Authenticate before any processor and hands its context
// to the pipeline, so the tenant is fixed here: a batch processor drops client.Info.Auth
// but keeps its metadata_keys, and the perfpg exporter reads the key when Auth is gone
// (the tenancy converter refuses a batch that does not keep it). A missing or unknown
// token is refused (HTTP 401, gRPC Unauthenticated); tenants.anonymous_tenant does not
// apply to ingest.
func (e *perfExtension) Authenticate(ctx context.Context, headers map[string][]string) (context.Context, error) {
	var values []string
	for _, k := range []string{"Authorization", "authorization"} {
		if v, ok := headers[k]; ok {
			values = v
			break
		}
	}
	if len(values) == 0 || values[0] == "" {
		return ctx, errors.New("missing Authorization header")
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
		return ctx, errors.New("unsupported Authorization header: use Bearer <token>")
	}
	tenant := ""
	for _, t := range e.cfg.Tenants.Tokens {
		// constant-time comparison over every configured token
		if subtle.ConstantTimeCompare([]byte(t.Token), []byte(token)) == 1 {
			tenant = t.Tenant
		}
	}
	if tenant == "" {
		return ctx, errors.New("invalid token")
	}
	info := client.FromContext(ctx)
	info.Auth = tenantAuthData{tenant: tenant}
	info.Metadata = withOnly(info.Metadata, e.cfg.Tenants.MetadataKey, tenant)
	return client.NewContext(ctx, info), nil
}

// withOnly returns md with value as the only value of key (client metadata keys are
// case-insensitive: every spelling the client sent is replaced).
func withOnly(md client.Metadata, key, value string) client.Metadata {
	m := map[string][]string{}
	for k := range md.Keys() {
		if !strings.EqualFold(k, key) {
			m[k] = md.Get(k)
		}
	}
	m[key] = []string{value}
	return client.NewMetadata(m)
}

// tenantAuthData is the client.AuthData of a request authenticated by perfgraphql.
type tenantAuthData struct{ tenant string }

func (a tenantAuthData) GetAttribute(name string) any {
	if name == "tenant" {
		return a.tenant
	}
	return nil
}

func (tenantAuthData) GetAttributeNames() []string { return []string{"tenant"} }

// TokenTenants lists the tenants of tenants.tokens. The perfpg exporter finds it among the
// host's extensions: these tenants are named by credentials even where only the metadata
// key carries them (after a batch processor), so tenant.max_tenants never caps them.
func (e *perfExtension) TokenTenants() []string {
	var out []string
	for _, t := range e.cfg.Tenants.Tokens {
		if !slices.Contains(out, t.Tenant) {
			out = append(out, t.Tenant)
		}
	}
	return out
}

// TargetTenants maps each target's db_namespace to the tenants that have a target of that
// name. The perfpg exporter finds it among the host's extensions: an auto_explain plan read
// from a server log is stored under the tenant of the target of its database, and dropped when
// no target names that database.
func (e *perfExtension) TargetTenants() map[string][]string {
	out := map[string][]string{}
	for _, t := range e.cfg.Targets {
		if !slices.Contains(out[t.DBNamespace], t.Tenant) {
			out[t.DBNamespace] = append(out[t.DBNamespace], t.Tenant)
		}
	}
	return out
}
