package perfgraphqlext

import (
	"context"
	"slices"
	"testing"

	"go.opentelemetry.io/collector/client"
)

// perfgraphql authenticates OTLP clients with tenants.tokens and names their tenant in
// client.Info.Auth ("tenant") and in the tenant metadata key, replacing what the client
// sent there (a batch processor keeps only metadata; the tenant must survive it), and
// keeping the rest of the metadata the receiver already put in the context.
func TestAuthenticateOTLPClients(t *testing.T) {
	var _ interface {
		Authenticate(context.Context, map[string][]string) (context.Context, error)
	} = (*perfExtension)(nil) // the shape of extensionauth.Server
	e := &perfExtension{cfg: &Config{Tenants: TenantsConfig{
		Tokens:          []TokenConfig{{Token: "acme-secret", Tenant: "acme"}, {Token: "globex-secret", Tenant: "globex"}},
		AnonymousTenant: "default",
		MetadataKey:     "X-Scope-OrgID",
	}}}
	base := client.NewContext(context.Background(), client.Info{
		Metadata: client.NewMetadata(map[string][]string{"x-scope-orgid": {"globex", "initech"}, "User-Agent": {"sdk"}}),
	})
	ctx, err := e.Authenticate(base, map[string][]string{"Authorization": {"Bearer acme-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	info := client.FromContext(ctx)
	if info.Auth == nil || info.Auth.GetAttribute("tenant") != "acme" {
		t.Fatalf("auth data %v, want tenant acme", info.Auth)
	}
	if got := info.Metadata.Get("X-Scope-OrgID"); len(got) != 1 || got[0] != "acme" {
		t.Fatalf("tenant metadata %v, want exactly [acme] (the client sent globex)", got)
	}
	if got := info.Metadata.Get("user-agent"); len(got) != 1 || got[0] != "sdk" {
		t.Fatalf("other metadata lost: %v", got)
	}
	// without any metadata from the receiver (include_metadata off) the key is still set
	ctx, err = e.Authenticate(context.Background(), map[string][]string{"Authorization": {"Bearer globex-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := client.FromContext(ctx).Metadata.Get("x-scope-orgid"); len(got) != 1 || got[0] != "globex" {
		t.Fatalf("tenant metadata without receiver metadata %v, want [globex]", got)
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

// The perfpg exporter learns the tenants of the tokens from the extension (never capped).
func TestTokenTenants(t *testing.T) {
	e := &perfExtension{cfg: &Config{Tenants: TenantsConfig{Tokens: []TokenConfig{
		{Token: "a1", Tenant: "acme"}, {Token: "g1", Tenant: "globex"}, {Token: "a2", Tenant: "acme"}}}}}
	if got := e.TokenTenants(); !slices.Equal(got, []string{"acme", "globex"}) {
		t.Fatalf("TokenTenants = %v, want [acme globex]", got)
	}
}
