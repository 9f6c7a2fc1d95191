package perfgraphqlext

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
)

func tctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startExt starts the extension on dsn with tokens "token-<tenant>" for every tenant given.
func startExt(t *testing.T, dsn string, mutate func(*Config), tenants ...string) string {
	t.Helper()
	_, url := startExtension(t, dsn, mutate, tenants...)
	return url
}

// startExtension is startExt that also returns the extension.
func startExtension(t *testing.T, dsn string, mutate func(*Config), tenants ...string) (*perfExtension, string) {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.DSN = dsn
	cfg.ServerConfig.NetAddr.Endpoint = freeAddr(t)
	cfg.Scheduler.Enabled = false
	for _, tn := range tenants {
		cfg.Tenants.Tokens = append(cfg.Tenants.Tokens, TokenConfig{Token: configopaque.String("token-" + tn), Tenant: tn})
	}
	if mutate != nil {
		mutate(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ext, err := NewFactory().Create(context.Background(), extensiontest.NewNopSettings(metadata.Type), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := ext.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ext.Shutdown(context.Background()) })
	waitReady(t, ext.(*perfExtension), 60*time.Second)
	return ext.(*perfExtension), "http://" + cfg.ServerConfig.NetAddr.Endpoint + "/graphql"
}

// waitReady waits until the extension has opened its database (it does in the background).
func waitReady(t *testing.T, e *perfExtension, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !e.ready.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("database not ready after %s: %s", timeout, *e.notReady.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type gqlResult struct {
	Status int
	Data   map[string]any
	Errors []struct {
		Message string `json:"message"`
	}
	Raw string
}

func query(t *testing.T, url, token, q string, vars map[string]any) gqlResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	var r gqlResult
	r.Status, r.Raw = resp.StatusCode, buf.String()
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		t.Fatalf("response %d is not JSON: %s", resp.StatusCode, buf.String())
	}
	return r
}

// mustData fails on GraphQL errors.
func mustData(t *testing.T, r gqlResult) map[string]any {
	t.Helper()
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	return r.Data
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	return f
}

func within(got, want, rel float64) bool {
	if want == 0 {
		return got == 0
	}
	d := (got - want) / want
	return d <= rel && d >= -rel
}

func fmtRange(from, to time.Time) map[string]any {
	return map[string]any{"from": from.UTC().Format(time.RFC3339), "to": to.UTC().Format(time.RFC3339)}
}

var _ = fmt.Sprintf
