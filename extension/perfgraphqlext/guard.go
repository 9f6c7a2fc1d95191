package perfgraphqlext

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// guard wraps every route of the server: pages may not be framed by another site
// (clickjacking), and, when requests without credentials are served as the anonymous
// tenant, only the allowed Host names are served. A page of another site whose DNS name
// was re-bound to this address (DNS rebinding) is same-origin with us in the browser, but
// its requests carry its own Host, which is refused; credentials it cannot send.
type guard struct {
	next    http.Handler
	anon    bool
	allowed hostList
}

func (e *perfExtension) newGuard(next http.Handler) *guard {
	return &guard{next: next, anon: e.cfg.Tenants.AnonymousTenant != "", allowed: allowedHosts(e.cfg)}
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Page handlers set a fuller policy of their own, which keeps frame-ancestors 'none'.
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// /healthz holds no tenant data; probes send the pod's address as Host.
	if g.anon && r.URL.Path != "/healthz" && !g.allowed.allows(r.Host) {
		writeJSON(w, http.StatusForbidden, errorBody(fmt.Sprintf(
			"host %q is not allowed: with tenants.anonymous_tenant set, perfgraphql serves only the names in allowed_hosts (localhost, 127.0.0.1, [::1] and the endpoint's host by default)",
			r.Host)))
		return
	}
	g.next.ServeHTTP(w, r)
}

// hostList: entries with a port match that host:port only, entries without one match the
// host on any port. Names compare case-insensitively.
type hostList struct {
	any      map[string]bool
	withPort map[string]bool
}

func allowedHosts(cfg *Config) hostList {
	names := cfg.AllowedHosts
	if len(names) == 0 {
		names = []string{"localhost", "127.0.0.1", "[::1]"}
		if host, _, err := net.SplitHostPort(cfg.ServerConfig.NetAddr.Endpoint); err == nil && host != "" {
			if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
				names = append(names, host)
			}
		}
	}
	l := hostList{any: map[string]bool{}, withPort: map[string]bool{}}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if host, port, err := net.SplitHostPort(n); err == nil && port != "" {
			l.withPort[net.JoinHostPort(host, port)] = true
			continue
		}
		l.any[strings.TrimSuffix(strings.TrimPrefix(n, "["), "]")] = true
	}
	return l
}

func (l hostList) allows(hostHeader string) bool {
	h := strings.ToLower(hostHeader)
	host, port, err := net.SplitHostPort(h)
	if err != nil { // no port
		host, port = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), ""
	}
	if l.any[host] {
		return true
	}
	return port != "" && l.withPort[net.JoinHostPort(host, port)]
}
