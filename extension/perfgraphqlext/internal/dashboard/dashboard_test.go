package dashboard

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Result()
}

func TestServesThePageAndItsAssets(t *testing.T) {
	h := Handler()
	for path, ctype := range map[string]string{"/": "text/html", "/index.html": "text/html", "/app.js": "text/javascript", "/app.css": "text/css", "/live.js": "text/javascript"} {
		resp := get(t, h, http.MethodGet, path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) == 0 {
			t.Errorf("%s: %d %q, %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	for _, path := range []string{"/nope", "/static/app.js", "/../dashboard.go", "/dashboard.go"} {
		if resp := get(t, h, http.MethodGet, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp := get(t, h, http.MethodPost, "/"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", resp.StatusCode)
	}
}

// The page works offline: nothing in it refers to another origin, and it talks to the
// GraphQL endpoint only.
func TestNothingFetchedFromElsewhere(t *testing.T) {
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(path)
		if err != nil {
			return err
		}
		if m := external.Find(b); m != nil {
			t.Errorf("%s refers to %s", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// the scripts (ES modules of static/) fetch nothing but 'graphql', from one place
	var js strings.Builder
	scripts, _ := fs.Glob(static, "static/*.js")
	for _, p := range scripts {
		b, _ := static.ReadFile(p)
		js.Write(b)
	}
	if n := strings.Count(js.String(), "fetch("); n != 1 || !strings.Contains(js.String(), "fetch('graphql'") {
		t.Errorf("the scripts should fetch only 'graphql' (found %d fetch calls in %v)", n, scripts)
	}
	if n := strings.Count(js.String(), "import("); n != 0 {
		t.Errorf("dynamic import in the scripts: %d", n)
	}
}
