package perfgraphqlext

import (
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/gqlws"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/graphqlapi"
)

//go:embed explorer.html
var explorerHTML []byte

// maxBodyBytes bounds a POST body (the query text has its own limit).
const maxBodyBytes = 1 << 20

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store") // tenant data: no cache keeps a copy
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func errorBody(msg string) map[string]any {
	return map[string]any{"errors": []map[string]string{{"message": msg}}}
}

func (e *perfExtension) graphqlHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && gqlws.IsUpgrade(r) {
		e.serveSubscriptions(w, r)
		return
	}
	var req gqlRequest
	switch r.Method {
	case http.MethodGet:
		req.Query = r.URL.Query().Get("query")
		if req.Query == "" { // a browser: the query explorer (no data in it, no auth needed)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
			_, _ = w.Write(explorerHTML)
			return
		}
		req.OperationName = r.URL.Query().Get("operationName")
		if v := r.URL.Query().Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				writeJSON(w, http.StatusBadRequest, errorBody("variables is not a JSON object"))
				return
			}
		}
	case http.MethodPost:
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody("request body must be a JSON object {query, variables, operationName} of at most 1 MiB"))
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, errorBody("use GET or POST"))
		return
	}
	if !e.ready.Load() {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, errorBody(*e.notReady.Load()))
		return
	}
	tenant, anonymous, err := e.tenantOf(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="perfgraphql"`)
		writeJSON(w, http.StatusUnauthorized, errorBody(err.Error()))
		return
	}
	if strings.TrimSpace(req.Query) == "" {
		writeJSON(w, http.StatusBadRequest, errorBody("query must not be empty"))
		return
	}
	resp := e.api.Do(graphqlapi.WithAnonymous(r.Context(), anonymous), tenant, req.Query, req.OperationName, req.Variables)
	writeJSON(w, http.StatusOK, resp)
}

// serveSubscriptions serves a WebSocket upgrade of /graphql (graphql-transport-ws). The
// tenant is decided as for a query: credentials on the upgrade request (refused here when
// invalid), or the Authorization of the connection_init payload (a browser cannot set
// headers on a WebSocket), else the anonymous tenant. Both present must name one tenant.
func (e *perfExtension) serveSubscriptions(w http.ResponseWriter, r *http.Request) {
	if !e.ready.Load() {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, errorBody(*e.notReady.Load()))
		return
	}
	withCreds := credentialed(r)
	upgradeTenant := ""
	if withCreds {
		t, _, err := e.tenantOf(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="perfgraphql"`)
			writeJSON(w, http.StatusUnauthorized, errorBody(err.Error()))
			return
		}
		upgradeTenant = t
	}
	e.ws.Serve(w, r, func(initAuthorization string) (string, error) {
		if initAuthorization == "" {
			switch {
			case withCreds:
				return upgradeTenant, nil
			case e.cfg.Tenants.AnonymousTenant != "":
				return e.cfg.Tenants.AnonymousTenant, nil
			}
			return "", errors.New("send Authorization: Bearer <token> in the connection_init payload")
		}
		t, err := e.tenantOfAuthorization(initAuthorization)
		if err != nil {
			return "", err
		}
		if withCreds && t != upgradeTenant {
			return "", errors.New("the connection_init token and the upgrade request name different tenants")
		}
		return t, nil
	})
}
