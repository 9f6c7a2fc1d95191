package tenantstamp

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/ptrace"
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
// authenticated for acme cannot write into globex by sending the header; an authenticated
// client whose auth data names no tenant gets the default tenant, never the header's.
func TestFromContextAuthWinsOverMetadata(t *testing.T) {
	header := client.NewMetadata(map[string][]string{"X-Scope-OrgID": {"globex"}})
	for _, tc := range []struct {
		name string
		info client.Info
		want Origin
	}{
		{"header only", client.Info{Metadata: header}, Origin{Tenant: "globex"}},
		{"auth tenant wins over header", client.Info{Metadata: header, Auth: authData{"tenant": "acme"}}, Origin{"acme", true}},
		{"auth tenant.id", client.Info{Metadata: header, Auth: authData{"tenant.id": "acme"}}, Origin{"acme", true}},
		{"auth subject", client.Info{Metadata: header, Auth: authData{"subject": "acme"}}, Origin{"acme", true}},
		{"tenant preferred over subject", client.Info{Auth: authData{"subject": "user-1", "tenant": "acme"}}, Origin{"acme", true}},
		{"auth without a tenant: default, not the header", client.Info{Metadata: header, Auth: authData{"raw": "token"}}, Origin{"default", true}},
		{"auth with an empty or non-string tenant: default", client.Info{Metadata: header, Auth: authData{"tenant": "", "sub": 42}}, Origin{"default", true}},
		{"nothing", client.Info{}, Origin{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FromContext(client.NewContext(context.Background(), tc.info), "X-Scope-OrgID", "default")
			if got != tc.want {
				t.Fatalf("FromContext = %+v, want %+v", got, tc.want)
			}
		})
	}
	// without a metadata key configured, the auth tenant still applies
	ctx := client.NewContext(context.Background(), client.Info{Metadata: header, Auth: authData{"tenant": "acme"}})
	if got := FromContext(ctx, "", "default"); got.Tenant != "acme" {
		t.Fatalf("FromContext without metadata key = %+v, want acme", got)
	}
}

// A stamped tenant wins over the resource attribute; only a credentials stamp is not
// client-named; a client cannot forge the source attribute (stamping removes it).
func TestResolveStampAndSource(t *testing.T) {
	for _, tc := range []struct {
		name            string
		origin          Origin
		sent            map[string]string
		wantName        string
		wantClientNamed bool
	}{
		{"credentials stamp beats tenant.id", Origin{"acme", true}, map[string]string{"tenant.id": "globex"}, "acme", false},
		{"header stamp beats tenant.id", Origin{Tenant: "acme"}, map[string]string{"tenant.id": "globex"}, "acme", true},
		{"forged source without credentials", Origin{Tenant: "acme"}, map[string]string{SourceAttribute: "credentials"}, "acme", true},
		{"forged stamp and source", Origin{}, map[string]string{Attribute: "globex", SourceAttribute: "credentials"}, "default", false},
		{"resource attribute", Origin{}, map[string]string{"tenant.id": "globex"}, "globex", true},
		{"nothing: default", Origin{}, nil, "default", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			td := ptrace.NewTraces()
			res := td.ResourceSpans().AppendEmpty().Resource().Attributes()
			for k, v := range tc.sent {
				res.PutStr(k, v)
			}
			Traces(td, tc.origin)
			name, clientNamed := Resolve(res, "tenant.id", "default")
			if name != tc.wantName || clientNamed != tc.wantClientNamed {
				t.Fatalf("Resolve = %q, %v; want %q, %v", name, clientNamed, tc.wantName, tc.wantClientNamed)
			}
		})
	}
}
