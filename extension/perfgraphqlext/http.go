package perfgraphqlext

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"

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
