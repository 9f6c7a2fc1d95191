package tenantstamp

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/client"
)

type authData map[string]any

func (a authData) GetAttribute(name string) any { return a[name] }
func (a authData) GetAttributeNames() []string {
	var names []string
	for k := range a {
		names = append(names, k)
	}
	return names
}

// The tenant of an authenticated client wins over the X-Scope-OrgID header: a client
// authenticated for acme cannot write into globex by sending the header.
func TestFromContextAuthWinsOverMetadata(t *testing.T) {
	header := client.NewMetadata(map[string][]string{"X-Scope-OrgID": {"globex"}})
	for _, tc := range []struct {
		name string
		info client.Info
		want string
	}{
		{"header only", client.Info{Metadata: header}, "globex"},
		{"auth tenant wins over header", client.Info{Metadata: header, Auth: authData{"tenant": "acme"}}, "acme"},
		{"auth tenant.id", client.Info{Metadata: header, Auth: authData{"tenant.id": "acme"}}, "acme"},
		{"auth subject", client.Info{Metadata: header, Auth: authData{"subject": "acme"}}, "acme"},
		{"tenant preferred over subject", client.Info{Auth: authData{"subject": "user-1", "tenant": "acme"}}, "acme"},
		{"auth without a tenant: header decides", client.Info{Metadata: header, Auth: authData{"raw": "token"}}, "globex"},
		{"auth with an empty or non-string tenant: header decides", client.Info{Metadata: header, Auth: authData{"tenant": "", "sub": 42}}, "globex"},
		{"nothing", client.Info{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FromContext(client.NewContext(context.Background(), tc.info), "X-Scope-OrgID")
			if got != tc.want {
				t.Fatalf("FromContext = %q, want %q", got, tc.want)
			}
		})
	}
	// without a metadata key configured, the auth tenant still applies
	ctx := client.NewContext(context.Background(), client.Info{Metadata: header, Auth: authData{"tenant": "acme"}})
	if got := FromContext(ctx, ""); got != "acme" {
		t.Fatalf("FromContext without metadata key = %q, want acme", got)
	}
}
