package perfgraphqlext

import (
	"context"
	"crypto/subtle"
	"errors"
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
// client.Info.Auth whose attribute "tenant" names the tenant, which the perfpg exporter
// stamps in preference to the X-Scope-OrgID header (an authenticated client cannot write
// into another tenant). A missing or unknown token is refused (HTTP 401, gRPC
// Unauthenticated); tenants.anonymous_tenant does not apply to ingest.
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
	return client.NewContext(ctx, info), nil
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
