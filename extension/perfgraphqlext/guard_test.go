package perfgraphqlext

import (
	"bufio"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

func getWithHost(t *testing.T, rawURL, host, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// JSON answers are neither sniffed nor cached; no page may be framed.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	gql := startExt(t, dsn, nil, "acme")
	base := strings.TrimSuffix(gql, "/graphql")
	q := gql + "?query=" + url.QueryEscape("{ performanceOverview { healthScore } }")

	json := getWithHost(t, q, "", "token-acme")
	if json.StatusCode != 200 || json.Header.Get("X-Content-Type-Options") != "nosniff" || json.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/graphql JSON answer: %d %v", json.StatusCode, json.Header)
	}
	for _, page := range []string{gql, base + "/"} { // the query explorer, the dashboard
		r := getWithHost(t, page, "", "")
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			r.Header.Get("X-Frame-Options") != "DENY" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %v", page, r.StatusCode, r.Header)
		}
	}
}

// With an anonymous tenant, a request naming another Host (a DNS-rebinding page) is
// refused; the loopback names, the endpoint's host and allowed_hosts are served, with and
// without a port. Without an anonymous tenant every Host is served (credentials decide).
func TestHostAllowList(t *testing.T) {
	t.Parallel()
	_, dsn := perfdbtest.NewMigratedPool(t)
	q := "?query=" + url.QueryEscape("{ performanceOverview { healthScore } }")
	anon := startExt(t, dsn, func(c *Config) {
		c.Tenants.AnonymousTenant = "default"
		c.AllowedHosts = []string{"perf.example", "localhost", "127.0.0.1", "[::1]", "dash.example:8443"}
	})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(strings.TrimSuffix(anon, "/graphql"), "http://"))
	for host, want := range map[string]int{
		"":                       200, // 127.0.0.1:port
		"localhost":              200,
		"LOCALHOST:" + port:      200,
		"[::1]:" + port:          200,
		"perf.example:" + port:   200,
		"dash.example:8443":      200,
		"dash.example:" + port:   403,
		"evil.example:" + port:   403,
		"evil.example":           403,
		"127.0.0.1.evil.example": 403,
	} {
		r := getWithHost(t, anon+q, host, "")
		if r.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, r.StatusCode, want)
		}
	}
	// the refusal says why
	req, _ := http.NewRequest(http.MethodGet, anon+q, nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&buf)
	resp.Body.Close()
	if !strings.Contains(buf.String(), `host \"evil.example\" is not allowed`) || !strings.Contains(buf.String(), "allowed_hosts") {
		t.Errorf("refusal: %s", buf.String())
	}
	if r := getWithHost(t, strings.TrimSuffix(anon, "/graphql")+"/healthz", "10.1.2.3:"+port, ""); r.StatusCode != 200 {
		t.Errorf("/healthz with a probe's Host: %d", r.StatusCode)
	}

	// defaults: loopback names and the endpoint's host
	def := startExt(t, dsn, func(c *Config) { c.Tenants.AnonymousTenant = "default" })
	for host, want := range map[string]int{"localhost:" + port: 200, "127.0.0.1": 200, "perf.example": 403} {
		if r := getWithHost(t, def+q, host, ""); r.StatusCode != want {
			t.Errorf("default list, Host %q: %d, want %d", host, r.StatusCode, want)
		}
	}

	tokenOnly := startExt(t, dsn, nil, "acme")
	if r := getWithHost(t, tokenOnly+q, "evil.example", "token-acme"); r.StatusCode != 200 {
		t.Errorf("without an anonymous tenant, Host evil.example: %d, want 200", r.StatusCode)
	}
}
