package perfgraphqlext

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/collector/client"
)

// authAttributes are the auth-data attributes of an authenticator extension that name the
// tenant, in order of preference.
var authAttributes = []string{"tenant", "tenant.id", "tenant_id", "subject", "sub"}

// tenantOf decides the tenant of a request:
//  1. an authenticator extension configured on the server (confighttp `auth:`) already
//     accepted the request and left client.Info in the context: its auth data attribute
//     "tenant" (or "tenant.id", "tenant_id", "subject", "sub") names the tenant;
//  2. else "Authorization: Bearer <token>" looked up in tenants.tokens;
//  3. else, without any credentials, tenants.anonymous_tenant when it is set.
//
// Credentials that are present but map to no tenant are refused, never downgraded to the
// anonymous tenant. anonymous reports case 3.
func (e *perfExtension) tenantOf(r *http.Request) (tenant string, anonymous bool, err error) {
	if info := client.FromContext(r.Context()); info.Auth != nil {
		for _, name := range authAttributes {
			if v, ok := info.Auth.GetAttribute(name).(string); ok && v != "" {
				return v, false, nil
			}
		}
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		if e.cfg.Tenants.AnonymousTenant != "" {
			return e.cfg.Tenants.AnonymousTenant, true, nil
		}
		return "", false, fmt.Errorf("authentication required: send Authorization: Bearer <token>")
	}
	tenant, err = e.tenantOfAuthorization(h)
	return tenant, false, err
}

// credentialed tells whether r carries credentials (an authenticator's or a header).
func credentialed(r *http.Request) bool {
	return client.FromContext(r.Context()).Auth != nil || r.Header.Get("Authorization") != ""
}

// tenantOfAuthorization maps an Authorization value ("Bearer <token>") to its tenant.
func (e *perfExtension) tenantOfAuthorization(h string) (string, error) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
		return "", fmt.Errorf("unsupported Authorization header: use Bearer <token>")
	}
	token = strings.TrimSpace(token)
	tenant := ""
	for _, t := range e.cfg.Tenants.Tokens {
		// constant-time comparison over every configured token
		if subtle.ConstantTimeCompare([]byte(t.Token), []byte(token)) == 1 {
			tenant = t.Tenant
		}
	}
	if tenant == "" {
		return "", fmt.Errorf("invalid token")
	}
	return tenant, nil
}
