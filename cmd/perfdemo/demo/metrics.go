package demo

// Metrics: host/runtime and connection-pool metrics of every shape, once a tick.

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
)

// sendMetrics sends one set of metrics observed at at (now, or a minute of History).
func (g *generator) sendMetrics(ctx context.Context, at time.Time) {
	g.stats.MetricSets++
	now := pcommon.NewTimestampFromTime(at)
	elapsed := at.Sub(g.started).Minutes()
	for _, tenant := range g.cfg.Tenants {
		md := pmetric.NewMetrics()
		for _, p := range shapes {
			rm := md.ResourceMetrics().AppendEmpty()
			setResource(rm.Resource(), p.svc)
			sm := rm.ScopeMetrics().AppendEmpty()
			sm.Scope().SetName("perfdemo")
			ms := sm.Metrics()

			gauge := func(name, unit string, v float64, attrs ...string) {
				m := ms.AppendEmpty()
				m.SetName(name)
				m.SetUnit(unit)
				dp := m.SetEmptyGauge().DataPoints().AppendEmpty()
				dp.SetTimestamp(now)
				dp.SetDoubleValue(v)
				for i := 0; i+1 < len(attrs); i += 2 {
					dp.Attributes().PutStr(attrs[i], attrs[i+1])
				}
			}
			// updown counters (non-monotonic cumulative sums), one point per attribute set
			updown := func(name, unit string, pts ...struct {
				v     int64
				attrs []string
			}) {
				m := ms.AppendEmpty()
				m.SetName(name)
				m.SetUnit(unit)
				s := m.SetEmptySum()
				s.SetIsMonotonic(false)
				s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
				for _, pt := range pts {
					dp := s.DataPoints().AppendEmpty()
					dp.SetStartTimestamp(pcommon.NewTimestampFromTime(g.started))
					dp.SetTimestamp(now)
					dp.SetIntValue(pt.v)
					for i := 0; i+1 < len(pt.attrs); i += 2 {
						dp.Attributes().PutStr(pt.attrs[i], pt.attrs[i+1])
					}
				}
			}
			type pt = struct {
				v     int64
				attrs []string
			}
			const mb = 1 << 20

			gauge("process.cpu.utilization", "1", p.cpuLo+(p.cpuHi-p.cpuLo)*g.rnd.Float64())
			gauge("system.cpu.utilization", "1", 0.3+0.4*g.rnd.Float64(), "cpu.mode", "user")
			hostTotal := int64(16384) * mb
			hostUsed := int64((9000 + 1500*g.rnd.Float64()) * mb)
			updown("system.memory.usage", "By",
				pt{hostUsed, []string{"system.memory.state", "used"}},
				pt{hostTotal - hostUsed, []string{"system.memory.state", "free"}})
			// the checkout service grows slowly (the optimizer can look for a leak)
			mem := p.memMB * (1 + 0.04*g.rnd.Float64())
			if p.svc.name == checkout.name {
				mem += 3 * elapsed
			}
			updown("process.memory.usage", "By", pt{int64(mem * mb), nil})
			if p.heapLimit > 0 {
				gauge("v8js.memory.heap.used", "By", (mem*0.55)*mb, "v8js.heap.space.name", "old_space")
				gauge("v8js.memory.heap.limit", "By", p.heapLimit*mb, "v8js.heap.space.name", "old_space")
				gauge("nodejs.eventloop.delay.mean", "s", (p.loopLagMs*(0.6+0.8*g.rnd.Float64()))/1000)
			}

			used := p.usedLo + g.rnd.Int64N(p.usedHi-p.usedLo+1)
			idle := max(0, min(p.max-used, 2+g.rnd.Int64N(3)))
			poolAttr := []string{"db.client.connection.pool.name", p.name}
			updown("db.client.connection.count", "{connection}",
				pt{used, append([]string{"db.client.connection.state", "used"}, poolAttr...)},
				pt{idle, append([]string{"db.client.connection.state", "idle"}, poolAttr...)})
			updown("db.client.connection.max", "{connection}", pt{p.max, poolAttr})
			pending := int64(0)
			if p.pendingHi > 0 {
				pending = 1 + g.rnd.Int64N(p.pendingHi)
			}
			updown("db.client.connection.pending_requests", "{request}", pt{pending, poolAttr})

			// wait time: a delta histogram in seconds over the last interval
			m := ms.AppendEmpty()
			m.SetName("db.client.connection.wait_time")
			m.SetUnit("s")
			h := m.SetEmptyHistogram()
			h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
			dp := h.DataPoints().AppendEmpty()
			dp.SetStartTimestamp(pcommon.NewTimestampFromTime(at.Add(-g.cfg.MetricsInterval)))
			dp.SetTimestamp(now)
			dp.Attributes().PutStr("db.client.connection.pool.name", p.name)
			n := uint64(20 + g.rnd.IntN(80))
			meanS := (p.waitLoMs + (p.waitHiMs-p.waitLoMs)*g.rnd.Float64()) / 1000
			dp.SetCount(n)
			dp.SetSum(meanS * float64(n))
			dp.ExplicitBounds().FromRaw([]float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1})
			counts := make([]uint64, 8)
			counts[bucketOf(meanS, []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1})] = n
			dp.BucketCounts().FromRaw(counts)
		}
		body, err := pmetricotlp.NewExportRequestFromMetrics(md).MarshalProto()
		if err != nil {
			g.fail(err)
			continue
		}
		g.post(ctx, "/v1/metrics", tenant, body)
	}
}

func bucketOf(v float64, bounds []float64) int {
	for i, b := range bounds {
		if v <= b {
			return i
		}
	}
	return len(bounds)
}
