package perfgraphqlext

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/client"
)

// perfgraphql authenticates OTLP clients with tenants.tokens and names their tenant in
// client.Info.Auth ("tenant"), keeping the metadata the receiver already put in the context.
func TestAuthenticateOTLPClients(t *testing.T) {
	var _ interface {
		Authenticate(context.Context, map[string][]string) (context.Context, error)
	} = (*perfExtension)(nil) // the shape of extensionauth.Server
	e := &perfExtension{cfg: &Config{Tenants: TenantsConfig{
		Tokens:          []TokenConfig{{Token: "acme-secret", Tenant: "acme"}, {Token: "globex-secret", Tenant: "globex"}},
		AnonymousTenant: "default",
	}}}
	base := client.NewContext(context.Background(), client.Info{
		Metadata: client.NewMetadata(map[string][]string{"X-Scope-OrgID": {"globex"}}),
	})
	ctx, err := e.Authenticate(base, map[string][]string{"Authorization": {"Bearer acme-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	info := client.FromContext(ctx)
	if info.Auth == nil || info.Auth.GetAttribute("tenant") != "acme" {
		t.Fatalf("auth data %v, want tenant acme", info.Auth)
	}
	if got := info.Metadata.Get("X-Scope-OrgID"); len(got) != 1 || got[0] != "globex" {
		t.Fatalf("metadata lost: %v", got)
	}
	// gRPC metadata keys are lower case
	if ctx, err := e.Authenticate(base, map[string][]string{"authorization": {"bearer globex-secret"}}); err != nil ||
		client.FromContext(ctx).Auth.GetAttribute("tenant") != "globex" {
		t.Fatalf("gRPC-style header: %v", err)
	}
	for name, h := range map[string]map[string][]string{
		"missing":            {},
		"empty":              {"Authorization": {""}},
		"unknown token":      {"Authorization": {"Bearer acme-secret-expired"}},
		"basic scheme":       {"Authorization": {"Basic YWNtZTpzZWNyZXQ="}},
		"bearer without one": {"Authorization": {"Bearer "}},
	} {
		if _, err := e.Authenticate(base, h); err == nil {
			t.Errorf("%s: accepted, want refused (anonymous_tenant does not apply to ingest)", name)
		}
	}
}
