package perfpgexporter

import (
	"context"
	"math"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

type point struct {
	attrs map[string]any
	value float64
}

func addMetric(sm pmetric.ScopeMetrics, name, unit string, sum, cumulative bool, ts time.Time, pts ...point) {
	m := sm.Metrics().AppendEmpty()
	m.SetName(name)
	m.SetUnit(unit)
	var dps pmetric.NumberDataPointSlice
	if sum {
		s := m.SetEmptySum()
		s.SetIsMonotonic(cumulative)
		if cumulative {
			s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
		}
		dps = s.DataPoints()
	} else {
		dps = m.SetEmptyGauge().DataPoints()
	}
	for _, p := range pts {
		dp := dps.AppendEmpty()
		dp.SetTimestamp(pcommon.NewTimestampFromTime(ts))
		_ = dp.Attributes().FromRaw(p.attrs)
		if p.value == math.Trunc(p.value) && !cumulative {
			dp.SetIntValue(int64(p.value))
		} else {
			dp.SetDoubleValue(p.value)
		}
	}
}

// The metrics a Node.js service with instrumentation-pg and the host metrics receiver send.
func TestMetricsResourceAndPoolRows(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	minute := time.Now().UTC().Add(-2 * time.Minute).Truncate(time.Minute)
	ts := minute.Add(10 * time.Second)

	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	_ = rm.Resource().Attributes().FromRaw(map[string]any{"service.name": "shop-api", "host.name": "web-1", "service.instance.id": "i-1"})
	sm := rm.ScopeMetrics().AppendEmpty()
	addMetric(sm, "process.cpu.utilization", "1", false, false, ts,
		point{map[string]any{"state": "user"}, 0.25}, point{map[string]any{"state": "system"}, 0.05})
	addMetric(sm, "process.memory.usage", "By", true, false, ts, point{nil, 300 << 20})
	addMetric(sm, "system.memory.usage", "By", true, false, ts,
		point{map[string]any{"system.memory.state": "used"}, 6 << 30}, point{map[string]any{"system.memory.state": "free"}, 2 << 30})
	addMetric(sm, "v8js.memory.heap.used", "By", false, false, ts,
		point{map[string]any{"v8js.heap.space.name": "new_space"}, 10 << 20}, point{map[string]any{"v8js.heap.space.name": "old_space"}, 40 << 20})
	addMetric(sm, "v8js.memory.heap.limit", "By", false, false, ts, point{nil, 2 << 30})
	addMetric(sm, "nodejs.eventloop.delay.mean", "s", false, false, ts, point{nil, 0.0125})
	addMetric(sm, "db.client.connection.count", "{connection}", true, false, ts,
		point{map[string]any{"db.client.connection.state": "used", "db.client.connection.pool.name": "main"}, 9},
		point{map[string]any{"db.client.connection.state": "idle", "db.client.connection.pool.name": "main"}, 1})
	addMetric(sm, "db.client.connection.max", "{connection}", true, false, ts, point{map[string]any{"db.client.connection.pool.name": "main"}, 10})
	addMetric(sm, "db.client.connection.pending_requests", "{request}", true, false, ts, point{map[string]any{"db.client.connection.pool.name": "main"}, 4})
	addMetric(sm, "http.server.request.duration", "s", false, false, ts, point{nil, 1}) // not ours: ignored
	wait := sm.Metrics().AppendEmpty()
	wait.SetName("db.client.connection.wait_time")
	wait.SetUnit("s")
	h := wait.SetEmptyHistogram()
	h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	hp := h.DataPoints().AppendEmpty()
	hp.SetTimestamp(pcommon.NewTimestampFromTime(ts))
	hp.Attributes().PutStr("db.client.connection.pool.name", "main")
	hp.SetCount(4)
	hp.SetSum(0.2)

	if err := te.metrics.ConsumeMetrics(ctx, md); err != nil {
		t.Fatal(err)
	}
	var cpu, lag float64
	var memUsed, memTotal, heapUsed, heapTotal int64
	var conns int32
	if err := te.pool.QueryRow(ctx, `SELECT cpu_usage_percent, memory_used_bytes, memory_total_bytes, heap_used_bytes,
		heap_total_bytes, event_loop_lag_ms, active_connections FROM system_resource_metrics WHERE ts = $1`, minute).
		Scan(&cpu, &memUsed, &memTotal, &heapUsed, &heapTotal, &lag, &conns); err != nil {
		t.Fatal(err)
	}
	if math.Abs(cpu-30) > 0.01 || memUsed != 300<<20 || memTotal != 8<<30 || heapUsed != 50<<20 ||
		heapTotal != 2<<30 || math.Abs(lag-12.5) > 0.01 || conns != 9 {
		t.Errorf("resource row: cpu %v memUsed %d memTotal %d heapUsed %d heapTotal %d lag %v conns %d",
			cpu, memUsed, memTotal, heapUsed, heapTotal, lag, conns)
	}
	var used, idle, maxConns, pending int32
	var waitMS float64
	if err := te.pool.QueryRow(ctx, `SELECT used, idle, max, pending_requests, wait_time_ms FROM db_pool_metrics
		WHERE ts = $1 AND pool_name = 'main'`, minute).Scan(&used, &idle, &maxConns, &pending, &waitMS); err != nil {
		t.Fatal(err)
	}
	if used != 9 || idle != 1 || maxConns != 10 || pending != 4 || math.Abs(waitMS-50) > 0.01 {
		t.Errorf("pool row: used %d idle %d max %d pending %d wait %v", used, idle, maxConns, pending, waitMS)
	}

	// a later batch for the same minute merges column by column
	md2 := pmetric.NewMetrics()
	rm2 := md2.ResourceMetrics().AppendEmpty()
	_ = rm2.Resource().Attributes().FromRaw(map[string]any{"service.name": "shop-api", "host.name": "web-1", "service.instance.id": "i-1"})
	addMetric(rm2.ScopeMetrics().AppendEmpty(), "nodejs.eventloop.delay.mean", "s", false, false, ts.Add(20*time.Second), point{nil, 0.02})
	if err := te.metrics.ConsumeMetrics(ctx, md2); err != nil {
		t.Fatal(err)
	}
	if err := te.pool.QueryRow(ctx, `SELECT cpu_usage_percent, event_loop_lag_ms FROM system_resource_metrics WHERE ts = $1`, minute).
		Scan(&cpu, &lag); err != nil {
		t.Fatal(err)
	}
	if math.Abs(cpu-30) > 0.01 || math.Abs(lag-20) > 0.01 {
		t.Errorf("after merge: cpu %v lag %v", cpu, lag)
	}
}

// Cumulative CPU time becomes a utilization from the rate between two reports.
func TestMetricsCumulativeCPUTimeBecomesRate(t *testing.T) {
	t.Parallel()
	te := newTestExporters(t, nil)
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-3 * time.Minute).Truncate(time.Minute)
	send := func(ts time.Time, user float64) {
		md := pmetric.NewMetrics()
		rm := md.ResourceMetrics().AppendEmpty()
		rm.Resource().Attributes().PutStr("service.name", "worker")
		addMetric(rm.ScopeMetrics().AppendEmpty(), "process.cpu.time", "s", true, true, ts,
			point{map[string]any{"state": "user"}, user})
		if err := te.metrics.ConsumeMetrics(ctx, md); err != nil {
			t.Fatal(err)
		}
	}
	send(t0, 100)                     // primes the series
	send(t0.Add(time.Minute), 100+15) // 15 s of CPU in 60 s: 25%
	var cpu float64
	if err := te.pool.QueryRow(ctx, `SELECT cpu_usage_percent FROM system_resource_metrics WHERE ts = $1`, t0.Add(time.Minute)).Scan(&cpu); err != nil {
		t.Fatal(err)
	}
	if math.Abs(cpu-25) > 0.01 {
		t.Fatalf("cpu %v, want 25", cpu)
	}
	if n := count(t, te.pool, `SELECT count(*) FROM system_resource_metrics WHERE ts = $1`, t0); n != 0 {
		t.Fatalf("the priming report produced a row")
	}
}
