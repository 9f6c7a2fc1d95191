package perfgraphqlext

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
)

// spansOf is a batch of the spans of td that keep says to keep, under their resource and scope.
func spansOf(td ptrace.Traces, keep func(ptrace.Span) bool) ptrace.Traces {
	out := ptrace.NewTraces()
	for i := 0; i < td.ResourceSpans().Len(); i++ {
		rs := td.ResourceSpans().At(i)
		ors := out.ResourceSpans().AppendEmpty()
		rs.Resource().CopyTo(ors.Resource())
		for j := 0; j < rs.ScopeSpans().Len(); j++ {
			ss := rs.ScopeSpans().At(j)
			oss := ors.ScopeSpans().AppendEmpty()
			ss.Scope().CopyTo(oss.Scope())
			for k := 0; k < ss.Spans().Len(); k++ {
				if sp := ss.Spans().At(k); keep(sp) {
					sp.CopyTo(oss.Spans().AppendEmpty())
				}
			}
		}
	}
	return out
}

// lineDiff lists the lines of want missing from got (-) and those of got not in want (+).
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	var plus []string
	for _, l := range strings.Split(got, "\n") {
		if count[l] > 0 {
			count[l]--
		} else {
			plus = append(plus, "+ "+l)
		}
	}
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if count[l] > 0 {
			count[l]--
			out = append(out, "- "+l)
		}
	}
	return strings.Join(append(out, plus...), "\n")
}

// A replay of spans of a sealed and thinned hour (the exporter's persistent queue replaying
// after a kill -9 or a long outage, past the horizon) changes no rollup and no answer, and
// stores nothing again: first a thinned DB span and a thinned request alone (they go in by
// COPY, as any late span), then the hour's whole batch (its kept rows conflict: the
// exporter's idempotent path). Every acknowledged span is counted once.
func TestReplayOfThinnedSpansCountsThemOnce(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	consume := ingestPipeline(t, dsn)
	start := time.Now().UTC().Truncate(time.Hour).Add(-12 * time.Hour)
	batches := exporterTraffic("shop", start, start.Add(3*time.Hour), 120)
	for _, td := range batches {
		consume(td)
	}
	s := thinScheduler(t, dsn, func(c *Config) {
		c.Optimizer.Enabled = false
		c.Retention.LateDataHorizon = 6 * time.Hour
		c.Retention.RawSpans = RawSpansKeepInteresting
	})
	tick(t, s)
	tid := perfdbtest.Scalar[int32](t, pool, "SELECT tenant_id FROM perf_tenants WHERE name = 'shop'")
	if n := perfdbtest.Scalar[int64](t, pool, `SELECT count(*) FROM perf_sealed_hours
		WHERE tenant_id = $1 AND query_thinned > 0 AND api_thinned > 0`, tid); n != 3 {
		t.Fatalf("%d hours sealed with DB spans and requests thinned, want 3", n)
	}

	snapshot := func() string {
		var b strings.Builder
		for _, q := range []string{
			`SELECT count(*), sum(span_id) FROM api_performance_log WHERE tenant_id = $1`,
			`SELECT count(*), sum(span_id) FROM query_performance_log WHERE tenant_id = $1`,
			`SELECT bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us, lat_idx, lat_cnt, err_idx, err_cnt
			   FROM perf_endpoint_hourly WHERE tenant_id = $1 ORDER BY 1, 2`,
			`SELECT bucket, endpoint_id, service_id, requests, errors, sum_us, max_us, min_us, lat_idx, lat_cnt
			   FROM perf_endpoint_minutely WHERE tenant_id = $1 ORDER BY 1, 2`,
			`SELECT bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls, sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt
			   FROM perf_query_hourly WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4`,
			`SELECT bucket, fingerprint, endpoint_id, service_id, calls, errors, sum_us, max_us, min_us, lat_idx, lat_cnt
			   FROM perf_query_minutely WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4`,
			`SELECT hour_bucket, total_requests, failed_requests, sum_response_us, total_queries, sum_query_us, lat_idx, lat_cnt, q_idx, q_cnt
			   FROM performance_metrics_cache WHERE tenant_id = $1 ORDER BY 1`,
			`SELECT hour_bucket, total_requests, failed_requests, sum_response_us, total_queries, sum_query_us, lat_idx, lat_cnt
			   FROM performance_metrics_daily WHERE tenant_id = $1 ORDER BY 1`,
		} {
			rows, err := pool.Query(tctx(t), q, tid)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				v, err := rows.Values()
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, v...)
			}
			rows.Close()
		}
		return b.String()
	}
	url := startExt(t, dsn, nil, "shop")
	ranges := [][2]time.Time{
		{start, start.Add(3 * time.Hour)},
		{start.Add(50*time.Minute + 7*time.Second), start.Add(2*time.Hour + 11*time.Minute)},
	}
	answers := func() map[string]string {
		return thinAnswers(t, url, "token-shop", ranges, nil, []string{"GET /orders/{id}", "POST /checkout"})
	}
	wantRows, wantAnswers := snapshot(), answers()

	stored := func(table string, id [8]byte) bool {
		return perfdbtest.Scalar[bool](t, pool, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE tenant_id = $1 AND span_id = $2)",
			tid, int64(binary.BigEndian.Uint64(id[:])))
	}
	var db, request bool
	alone := spansOf(batches[1], func(sp ptrace.Span) bool {
		switch {
		case !db && sp.Kind() == ptrace.SpanKindClient && !stored("query_performance_log", sp.SpanID()):
			db = true
			return true
		case !request && sp.Kind() == ptrace.SpanKindServer && !stored("api_performance_log", sp.SpanID()):
			request = true
			return true
		}
		return false
	})
	if !db || !request {
		t.Fatalf("no thinned DB span (%v) or request (%v) to replay", db, request)
	}
	for _, replay := range []struct {
		name string
		td   ptrace.Traces
	}{{"a thinned DB span and request", alone}, {"the hour's whole batch", batches[1]}} {
		consume(replay.td)
		tick(t, s)
		if got := snapshot(); got != wantRows {
			t.Errorf("replaying %s changed the stored rows or the rollups:\n%s", replay.name, lineDiff(wantRows, got))
		}
		got := answers()
		for k, w := range wantAnswers {
			if got[k] != w {
				t.Errorf("replaying %s changed %s", replay.name, k)
			}
		}
	}
}
