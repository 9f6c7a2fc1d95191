package metricrows

// The connection-pool metrics: counts by state, limits and wait time, per instance and pool.

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/connstr"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
	"github.com/otelcol-perf/otelcol-perf/internal/semconv"
)

// poolName is the pool's name without credentials: instrumentations often name a pool
// after its connection string.
func poolName(a pcommon.Map) string {
	for _, k := range semconv.DBPoolName {
		if name, ok := str(a, k); ok && name != "" {
			return pgtext.Clean(connstr.Redact(name), 256)
		}
	}
	return "default"
}

// poolCount: connection count by state (used/idle), per pool. used also feeds the
// instance's active_connections.
func poolCount(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
	eachNumberPoint(m, func(p pmetric.NumberDataPoint) {
		n, ok := clampInt(value(p))
		if !ok {
			return
		}
		pool := b.pool(pc, p.Timestamp(), poolName(p.Attributes()))
		if pool == nil {
			return
		}
		switch stateOf(p.Attributes(), semconv.DBPoolState...) {
		case "used":
			setInt(&pool.Used, n)
			if r := b.resource(pc, p.Timestamp()); r != nil {
				total := n
				if r.ActiveConnections != nil {
					total += *r.ActiveConnections
				}
				setInt(&r.ActiveConnections, total)
			}
		case "idle":
			setInt(&pool.Idle, n)
		}
	})
}

func poolField(field func(*Pool) **int64) handler {
	return func(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
		eachNumberPoint(m, func(p pmetric.NumberDataPoint) {
			if n, ok := clampInt(value(p)); ok {
				if pool := b.pool(pc, p.Timestamp(), poolName(p.Attributes())); pool != nil {
					setInt(field(pool), n)
				}
			}
		})
	}
}

// poolWaitTime: the mean wait of the interval from a histogram (seconds, or ms by unit);
// cumulative histograms are turned into the interval's delta.
func poolWaitTime(c *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
	scale := 1000.0 // seconds -> ms
	if m.Unit() == "ms" {
		scale = 1
	}
	switch m.Type() {
	case pmetric.MetricTypeHistogram:
		h := m.Histogram()
		cumulative := h.AggregationTemporality() == pmetric.AggregationTemporalityCumulative
		pts := h.DataPoints()
		for i := 0; i < pts.Len(); i++ {
			p := pts.At(i)
			sum, count := p.Sum(), float64(p.Count())
			if cumulative {
				k := counterKey{instance: pc.key, tenant: pc.tenantName, metric: m.Name() + "#count", attrs: attrsKey(p.Attributes())}
				c.mu.Lock()
				prevCount, seen := c.prev[k]
				prevSum := c.prev[counterKey{k.instance, k.tenant, m.Name() + "#sum", k.attrs}]
				c.prev[k] = sample{ts: p.Timestamp(), value: count}
				c.prev[counterKey{k.instance, k.tenant, m.Name() + "#sum", k.attrs}] = sample{ts: p.Timestamp(), value: sum}
				c.mu.Unlock()
				if !seen || count < prevCount.value {
					continue
				}
				sum, count = sum-prevSum.value, count-prevCount.value
			}
			if count <= 0 || !finite(sum) {
				continue
			}
			if pool := b.pool(pc, p.Timestamp(), poolName(p.Attributes())); pool != nil {
				setFloat(&pool.WaitTimeMS, sum/count*scale)
			}
		}
	case pmetric.MetricTypeGauge, pmetric.MetricTypeSum:
		pts, _, _ := numberPoints(m)
		for i := 0; i < pts.Len(); i++ {
			p := pts.At(i)
			if v := value(p) * scale; finite(v) && v >= 0 {
				if pool := b.pool(pc, p.Timestamp(), poolName(p.Attributes())); pool != nil {
					setFloat(&pool.WaitTimeMS, v)
				}
			}
		}
	}
}
