package perfgraphqlext

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter"
	"github.com/otelcol-perf/otelcol-perf/internal/perfdb/perfdbtest"
	"github.com/otelcol-perf/otelcol-perf/processor/queryhashprocessor"
)

// ingestPipeline is queryhash -> perfpg on dsn, as config.yaml runs them (no queue: a
// ConsumeTraces returns once its rows are committed).
func ingestPipeline(t *testing.T, dsn string) func(ptrace.Traces) {
	t.Helper()
	ctx := context.Background()
	ef := perfpgexporter.NewFactory()
	ecfg := ef.CreateDefaultConfig().(*perfpgexporter.Config)
	ecfg.DSN = dsn
	ecfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	ecfg.BackOffConfig.Enabled = false
	exp, err := ef.CreateTraces(ctx, exportertest.NewNopSettings(ef.Type()), ecfg)
	if err != nil {
		t.Fatal(err)
	}
	pf := queryhashprocessor.NewFactory()
	proc, err := pf.CreateTraces(ctx, processortest.NewNopSettings(pf.Type()), pf.CreateDefaultConfig(), exp)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Start(ctx, componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	if err := proc.Start(ctx, componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = proc.Shutdown(context.Background())
		_ = exp.Shutdown(context.Background())
	})
	return func(td ptrace.Traces) {
		if err := proc.ConsumeTraces(ctx, td); err != nil {
			t.Fatal(err)
		}
	}
}

// exporterTraffic builds perHour traces per hour of [from, to) for tenant, half of them with
// the stable semantic conventions (http.request.method, db.system.name, db.query.text,
// db.namespace) and half with the old ones (http.method, http.status_code, db.system,
// db.statement, db.name): a server span and 2-4 DB spans with literals in their statements
// (one statement a steady 20-40 ms, slower in older hours), a 10-execution loop under a tenth
// of the checkout requests, a leading-wildcard LIKE under one request in a hundred, 2% of
// requests failing with a 500, log-normal latencies. One batch per hour.
func exporterTraffic(tenant string, from, to time.Time, perHour int) []ptrace.Traces {
	rng := rand.New(rand.NewPCG(7, 18))
	var out []ptrace.Traces
	var id uint64
	hours := int(to.Sub(from) / time.Hour)
	for h := range hours {
		hour := from.Add(time.Duration(h) * time.Hour)
		td := ptrace.NewTraces()
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", "shop-api")
		rs.Resource().Attributes().PutStr("tenant.id", tenant)
		rs.Resource().Attributes().PutStr("host.name", "host-1")
		ss := rs.ScopeSpans().AppendEmpty().Spans()
		for k := range perHour {
			id++
			stable := k%2 == 0
			var trace [16]byte
			binary.BigEndian.PutUint64(trace[:8], id)
			binary.BigEndian.PutUint64(trace[8:], rng.Uint64())
			start := hour.Add(time.Duration(k) * time.Hour / time.Duration(perHour))
			dur := time.Duration(max(2000, 40000*math.Exp(rng.NormFloat64()))) * time.Microsecond
			checkout := k%3 == 0
			status := int64(200)
			switch {
			case k%50 == 7:
				status = 500
			case k%40 == 3:
				status = 404
			}
			server := ss.AppendEmpty()
			server.SetKind(ptrace.SpanKindServer)
			server.SetTraceID(trace)
			server.SetSpanID(spanIDOf(id << 8))
			server.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
			server.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(dur)))
			method, route := "GET", "/orders/{id}"
			if checkout {
				method, route = "POST", "/checkout"
			}
			server.SetName(method + " " + route)
			server.Attributes().PutStr("http.route", route)
			if stable {
				server.Attributes().PutStr("http.request.method", method)
				server.Attributes().PutInt("http.response.status_code", status)
			} else {
				server.Attributes().PutStr("http.method", method)
				server.Attributes().PutInt("http.status_code", status)
			}
			if status >= 500 {
				server.Status().SetCode(ptrace.StatusCodeError)
			}
			n := 0
			db := func(stmt string, at time.Time, d time.Duration, failed bool) {
				n++
				s := ss.AppendEmpty()
				s.SetKind(ptrace.SpanKindClient)
				s.SetTraceID(trace)
				s.SetSpanID(spanIDOf(id<<8 | uint64(n)))
				s.SetParentSpanID(spanIDOf(id << 8))
				s.SetStartTimestamp(pcommon.NewTimestampFromTime(at))
				s.SetEndTimestamp(pcommon.NewTimestampFromTime(at.Add(d)))
				if stable {
					s.Attributes().PutStr("db.system.name", "postgresql")
					s.Attributes().PutStr("db.namespace", "shop")
					s.Attributes().PutStr("db.query.text", stmt)
				} else {
					s.Attributes().PutStr("db.system", "postgresql")
					s.Attributes().PutStr("db.name", "shop")
					s.Attributes().PutStr("db.statement", stmt)
				}
				if failed {
					s.Status().SetCode(ptrace.StatusCodeError)
				}
			}
			stmts := []string{
				"SELECT * FROM orders WHERE id = %d",
				"SELECT id, total FROM carts WHERE customer_id = %d AND open = true",
				"UPDATE sessions SET seen_at = now() WHERE id = %d",
				"SELECT count(*) FROM stock WHERE sku = 'S%d'",
			}
			for j := range 2 + k%3 {
				idx := (k + j) % 4
				d := time.Duration(float64(dur) / 8 * (0.3 + rng.Float64()))
				if idx == 0 {
					d = time.Duration(20000+rng.IntN(20000)+500*(hours-h)) * time.Microsecond
				}
				db(fmt.Sprintf(stmts[idx], rng.IntN(100000)), start.Add(time.Duration(j+1)*time.Millisecond), max(d, 100*time.Microsecond), rng.Float64() < 0.003)
			}
			if checkout && k%10 == 1 {
				for j := range 10 {
					db(fmt.Sprintf("SELECT * FROM items WHERE order_id = %d", rng.IntN(100000)),
						start.Add(time.Duration(10+j)*time.Millisecond), time.Duration(6000+rng.IntN(2000))*time.Microsecond, false)
				}
			}
			if k%100 == 42 {
				db("SELECT * FROM customers WHERE name LIKE '%smith%'", start.Add(30*time.Millisecond),
					time.Duration(20000+rng.IntN(30000))*time.Microsecond, false)
			}
		}
		out = append(out, td)
	}
	return out
}

func spanIDOf(n uint64) pcommon.SpanID {
	var id pcommon.SpanID
	binary.BigEndian.PutUint64(id[:], n)
	return id
}

// The same comparison as TestThinningKeepsEveryAnswer on traffic ingested through the
// queryhash processor and the perfpg exporter, in both generations of the semantic
// conventions: rows as the collector writes them (endpoints attributed at write time,
// fingerprints, LIKE classes, dictionaries).
func TestThinningKeepsEveryAnswerOfExportedTraffic(t *testing.T) {
	t.Parallel()
	pool, dsn := perfdbtest.NewMigratedPool(t)
	consume := ingestPipeline(t, dsn)
	now := time.Now().UTC()
	start := now.Truncate(time.Hour).Add(-20 * time.Hour)
	for _, td := range exporterTraffic("shop", start, now.Truncate(time.Hour).Add(-2*time.Hour), 300) {
		consume(td)
	}
	var fps []int64
	rows, err := pool.Query(tctx(t), `SELECT fingerprint FROM query_fingerprints f JOIN perf_tenants t USING (tenant_id)
		WHERE t.name = 'shop' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var fp int64
		if err := rows.Scan(&fp); err != nil {
			t.Fatal(err)
		}
		fps = append(fps, fp)
	}
	rows.Close()
	if len(fps) != 6 {
		t.Fatalf("%d fingerprints stored, want the 6 statements' (both conventions give the same)", len(fps))
	}
	if n := perfdbtest.Scalar[int64](t, pool, "SELECT count(*) FROM query_performance_log WHERE like_pattern = 3"); n == 0 {
		t.Fatal("no leading-wildcard LIKE stored")
	}
	assertThinningKeepsAnswers(t, pool, dsn, "shop", start, now, fps, []string{"GET /orders/{id}", "POST /checkout"})
}
