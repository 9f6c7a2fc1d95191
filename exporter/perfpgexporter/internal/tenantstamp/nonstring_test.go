package tenantstamp

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// A tenant attribute that is not a string names no tenant: it is never stringified.
func TestResolveIgnoresNonStringTenant(t *testing.T) {
	for name, v := range map[string]any{
		"array": []any{"globex"}, "kvlist": map[string]any{"t": "globex"}, "bytes": []byte("globex"), "int": 7,
	} {
		res := pcommon.NewMap()
		if err := res.FromRaw(map[string]any{"tenant.id": v, Attribute: v}); err != nil {
			t.Fatal(err)
		}
		if got, clientNamed := Resolve(res, "tenant.id", "default"); got != "default" || clientNamed {
			t.Errorf("%s tenant attribute resolved to %q (client-named %v), want the default", name, got, clientNamed)
		}
	}
}
