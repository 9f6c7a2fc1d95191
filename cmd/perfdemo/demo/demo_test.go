package demo

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
)

// What the generator posts, decoded as the collector's OTLP/HTTP receiver would.
func TestRunSendsTheDemoMix(t *testing.T) {
	var mu sync.Mutex
	traces := map[string][]ptrace.Traces{}
	metrics := map[string][]pmetric.Metrics{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		tenant := r.Header.Get("X-Scope-OrgID")
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/v1/traces":
			req := ptraceotlp.NewExportRequest()
			if err := req.UnmarshalProto(body); err != nil {
				t.Error(err)
			}
			traces[tenant] = append(traces[tenant], req.Traces())
		case "/v1/metrics":
			req := pmetricotlp.NewExportRequest()
			if err := req.UnmarshalProto(body); err != nil {
				t.Error(err)
			}
			metrics[tenant] = append(metrics[tenant], req.Metrics())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	st, err := Run(context.Background(), Config{Endpoint: srv.URL, Duration: 3 * time.Second, Rate: 200,
		Tenants: []string{"acme", "globex"}, FlushInterval: 100 * time.Millisecond, MetricsInterval: time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.FailedPosts != 0 || st.Requests < 300 {
		t.Fatalf("stats: %s (%s)", st, st.LastError)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, tenant := range []string{"acme", "globex"} {
		if len(traces[tenant]) == 0 || len(metrics[tenant]) == 0 {
			t.Fatalf("tenant %s: %d trace and %d metric exports", tenant, len(traces[tenant]), len(metrics[tenant]))
		}
	}

	var nPlusOne, slowReports, failures, stableDB, legacyDB int
	now := time.Now()
	for _, td := range traces["acme"] {
		rss := td.ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			spans := rss.At(i).ScopeSpans().At(0).Spans()
			servers := map[[8]byte]ptrace.Span{}
			children := map[[8]byte][]ptrace.Span{}
			for j := 0; j < spans.Len(); j++ {
				s := spans.At(j)
				if end := s.EndTimestamp().AsTime(); end.After(now.Add(time.Second)) || end.Before(now.Add(-time.Minute)) {
					t.Fatalf("span ends at %s, not about now", end)
				}
				switch s.Kind() {
				case ptrace.SpanKindServer:
					servers[s.SpanID()] = s
					code, ok := s.Attributes().Get("http.response.status_code")
					if ok && code.Int() >= 500 && s.Status().Code() == ptrace.StatusCodeError {
						failures++
					}
				case ptrace.SpanKindClient:
					children[s.ParentSpanID()] = append(children[s.ParentSpanID()], s)
					if _, ok := s.Attributes().Get("db.query.text"); ok {
						if _, ok := s.Attributes().Get("db.system.name"); ok {
							stableDB++
						}
					}
					if _, ok := s.Attributes().Get("db.statement"); ok {
						if _, ok := s.Attributes().Get("db.system"); ok {
							legacyDB++
						}
					}
				}
			}
			for parent, kids := range children {
				srv, ok := servers[parent]
				if !ok {
					t.Fatalf("DB span without its server span in the same export")
				}
				for _, k := range kids {
					if k.TraceID() != srv.TraceID() || k.StartTimestamp() < srv.StartTimestamp() || k.EndTimestamp() > srv.EndTimestamp() {
						t.Fatalf("child span outside its parent (trace or time)")
					}
				}
				same := 0
				for _, k := range kids {
					q, _ := k.Attributes().Get("db.query.text")
					if strings.HasPrefix(q.Str(), "SELECT id, sku, qty, price FROM order_items WHERE order_id = ") {
						same++
					}
				}
				if same == 20 {
					nPlusOne++
				}
				for _, k := range kids {
					q, _ := k.Attributes().Get("db.query.text")
					if d := k.EndTimestamp().AsTime().Sub(k.StartTimestamp().AsTime()); strings.Contains(q.Str(), "revenue") && d >= 2*time.Second && d <= 6*time.Second {
						slowReports++
					}
				}
			}
		}
	}
	if nPlusOne == 0 || slowReports == 0 || failures == 0 || stableDB == 0 || legacyDB == 0 {
		t.Errorf("mix: %d N+1 requests, %d slow reports, %d 5xx, %d stable-semconv and %d legacy DB spans", nPlusOne, slowReports, failures, stableDB, legacyDB)
	}

	names := map[string]bool{}
	saturated := false
	for _, md := range metrics["acme"] {
		rms := md.ResourceMetrics()
		for i := 0; i < rms.Len(); i++ {
			ms := rms.At(i).ScopeMetrics().At(0).Metrics()
			var used, max int64
			for j := 0; j < ms.Len(); j++ {
				m := ms.At(j)
				names[m.Name()] = true
				switch m.Name() {
				case "db.client.connection.count":
					for k := 0; k < m.Sum().DataPoints().Len(); k++ {
						dp := m.Sum().DataPoints().At(k)
						if st, _ := dp.Attributes().Get("db.client.connection.state"); st.Str() == "used" {
							used = dp.IntValue()
						}
					}
				case "db.client.connection.max":
					max = m.Sum().DataPoints().At(0).IntValue()
				}
			}
			if max > 0 && float64(used) >= 0.9*float64(max) {
				saturated = true
			}
		}
	}
	for _, n := range []string{"process.cpu.utilization", "system.cpu.utilization", "system.memory.usage", "process.memory.usage",
		"v8js.memory.heap.used", "v8js.memory.heap.limit", "nodejs.eventloop.delay.mean", "db.client.connection.count",
		"db.client.connection.max", "db.client.connection.pending_requests", "db.client.connection.wait_time"} {
		if !names[n] {
			t.Errorf("metric %s not sent", n)
		}
	}
	if !saturated {
		t.Errorf("no pool at >= 90%% utilization")
	}
}

// RateFor's conversion matches what Run sends: spans per second within 10% of the asked rate.
func TestRateForSendsTheAskedSpans(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	defer srv.Close()
	const want = 3000.0
	tenants := []string{"a", "b", "c"}
	d := 4 * time.Second
	st, err := Run(context.Background(), Config{Endpoint: srv.URL, Duration: d, Rate: RateFor(want, len(tenants)),
		Tenants: tenants, FlushInterval: 100 * time.Millisecond, MetricsInterval: time.Hour, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	got := float64(st.Requests+st.DBSpans) / d.Seconds()
	if got < 0.9*want || got > 1.1*want {
		t.Fatalf("RateFor(%.0f) sent %.0f spans/s (%s; %.2f spans per request)", want, got, st, MeanSpansPerRequest())
	}
}
