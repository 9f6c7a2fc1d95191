package spanrows

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
)

func TestTemplatePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                         "/",
		"":                          "/",
		"/orders":                   "/orders",
		"/orders/12345":             "/orders/{id}",
		"/orders/12345/items/7?x=1": "/orders/{id}/items/{id}",
		"/u/550e8400-e29b-41d4-a716-446655440000":  "/u/{id}",
		"/objects/5f3a9c0b12ef":                    "/objects/{id}",
		"/s/aZ9kQ2xLm4Pn8Rt6Vw1Y":                  "/s/{id}",
		"/v1/users":                                "/v1/users",
		"/reports/2026-11-28":                      "/reports/{id}",
		"/files/report.pdf":                        "/files/report.pdf",
		"/api/v2/items/42#frag":                    "/api/v2/items/{id}",
		"/static/app.3f9a1c.js":                    "/static/app.3f9a1c.js",
		"/tenants/acme/users/00000000000000000001": "/tenants/acme/users/{id}",
		"/s/qWeRtYuIoPaSdFgHjKlZxCvB":              "/s/{id}",
		"/s/kqzjxwvtplmnbrhgfdsycx":                "/s/{id}",
		"/u/alice@example.com":                     "/u/{id}",
		"/u/alice%40example.com":                   "/u/{id}",
		"/u/alice%2540example.com":                 "/u/{id}",
		"/u/%61%6C%69%63%65%40example.com":         "/u/{id}",
		"/u/alice＠example.com":                     "/u/{id}",
		"/u/100%":                                  "/u/{id}",
		"/x;jsessionid=abc":                        "/{id}",
	} {
		if got := TemplatePath(in); got != want {
			t.Errorf("TemplatePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTemplatePath(f *testing.F) {
	for _, s := range []string{"/orders/1", "/a/b/c", "", "/\xff/1", "//x//", "/u/a%40b.c", "/u/a%2540b", "x@y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := TemplatePath(s)
		if len(out) > maxRouteLength || !utf8.ValidString(out) {
			t.Fatalf("route of %d bytes", len(out))
		}
		if len(pgtext.Valid(s)) <= maxRouteLength && TemplatePath(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, TemplatePath(out))
		}
		if dec, _ := url.PathUnescape(out); strings.Contains(out, "@") || strings.Contains(dec, "@") {
			t.Fatalf("an '@' survives: %q -> %q", s, out)
		}
		if name := TemplateName(s); strings.Contains(name, "@") || len(name) > maxRouteLength {
			t.Fatalf("an '@' survives in a name: %q -> %q", s, name)
		}
	})
}

// Segments that are safe to keep, and routes already templated, stay as they are.
func TestTemplatePathKeepsOrdinarySegments(t *testing.T) {
	for _, p := range []string{
		"/users/{id}", "/users/:id", "/files/*", "/blog/[slug]", "/posts/$postId", "/u/<int:id>", "/api/v1/getUserPreferencesByAccount",
		"/com.example.shop.OrderService/PlaceOrder", "/internationalization", "/café/menü",
		"/page-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "/hello%20world", "/static/app.3f9a1c.js",
	} {
		if got := TemplatePath(p); got != p {
			t.Errorf("TemplatePath(%q) = %q, want it kept", p, got)
		}
	}
}
