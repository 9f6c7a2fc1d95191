// Package metricrows turns OTLP metrics into one-minute resource and connection-pool rows.
// It understands the semantic-convention names that the OTel SDKs (Node.js, Go, Java,
// Python) and the hostmetrics receiver send, in gauge, sum and histogram form; cumulative
// counters become rates. Any other metric is skipped after one map lookup of its name.
package metricrows

import (
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-perf/otelcol-perf/internal/semconv"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/localdict"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/pgtext"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/tenantstamp"
)

// Resource holds one instance's resource usage in one minute; nil fields were not reported.
type Resource struct {
	Minute            time.Time
	Instance          int32 // index into Batch.Instances
	CPUPercent        *float64
	MemoryUsedBytes   *int64
	MemoryTotalBytes  *int64
	HeapUsedBytes     *int64
	HeapTotalBytes    *int64
	EventLoopLagMS    *float64
	ActiveConnections *int64
}

// Pool holds one connection pool's state in one minute.
type Pool struct {
	Minute          time.Time
	Instance        int32
	Name            string
	Used            *int64
	Idle            *int64
	Max             *int64
	PendingRequests *int64
	WaitTimeMS      *float64
}

// InstanceKey identifies a reporting instance (batch-local tenant index).
type InstanceKey struct {
	Tenant     int32
	Service    string
	Host       string
	InstanceID string
}

// Batch is the converted form of one pmetric.Metrics.
type Batch struct {
	Tenants   tenantstamp.Dict
	Instances localdict.Dict[InstanceKey]
	Resources []Resource
	Pools     []Pool
	Dropped   int // points outside the accepted time window

	resourceIdx map[resourceKey]int
	poolIdx     map[poolKey]int
}

type resourceKey struct {
	instance int32
	minute   int64
}

type poolKey struct {
	instance int32
	minute   int64
	name     string
}

// Options of a Converter.
type Options struct {
	TenantAttribute string
	DefaultTenant   string
	Retention       time.Duration
	MaxFutureSkew   time.Duration
}

// Converter converts metrics. It keeps the previous value of cumulative counters to turn
// them into rates, so one Converter serves the exporter's lifetime; it is safe for
// concurrent use.
type Converter struct {
	opts Options
	mu   sync.Mutex
	prev map[counterKey]sample
}

type counterKey struct {
	instance InstanceKey
	tenant   string
	metric   string
	attrs    string
}

type sample struct {
	ts    pcommon.Timestamp
	value float64
}

func NewConverter(opts Options) *Converter {
	return &Converter{opts: opts, prev: map[counterKey]sample{}}
}

type handler func(c *Converter, b *Batch, ctx *pointContext, m pmetric.Metric)

// handlers by metric name; a name not here costs one map lookup.
var handlers = map[string]handler{
	"system.cpu.utilization":                cpuUtilization(true),
	"process.cpu.utilization":               cpuUtilization(false),
	"system.cpu.time":                       cpuTime(true),
	"process.cpu.time":                      cpuTime(false),
	"system.memory.usage":                   systemMemory,
	"system.memory.limit":                   intField(func(r *Resource) **int64 { return &r.MemoryTotalBytes }, 1),
	"process.memory.usage":                  intField(func(r *Resource) **int64 { return &r.MemoryUsedBytes }, 1),
	"process.runtime.jvm.memory.usage":      jvmHeap(func(r *Resource) **int64 { return &r.HeapUsedBytes }),
	"jvm.memory.used":                       jvmHeap(func(r *Resource) **int64 { return &r.HeapUsedBytes }),
	"jvm.memory.committed":                  jvmHeap(func(r *Resource) **int64 { return &r.HeapTotalBytes }),
	"v8js.memory.heap.used":                 intField(func(r *Resource) **int64 { return &r.HeapUsedBytes }, 1),
	"v8js.memory.heap.limit":                intField(func(r *Resource) **int64 { return &r.HeapTotalBytes }, 1),
	"go.memory.used":                        intField(func(r *Resource) **int64 { return &r.HeapUsedBytes }, 1),
	"go.memory.limit":                       intField(func(r *Resource) **int64 { return &r.HeapTotalBytes }, 1), // "no limit" (MaxInt64) fails clampInt
	"process.runtime.go.mem.heap_alloc":     intField(func(r *Resource) **int64 { return &r.HeapUsedBytes }, 1),
	"process.runtime.go.mem.heap_sys":       intField(func(r *Resource) **int64 { return &r.HeapTotalBytes }, 1),
	"nodejs.eventloop.delay.mean":           floatField(func(r *Resource) **float64 { return &r.EventLoopLagMS }, 1000, false),
	"nodejs.eventloop.delay.p50":            floatField(func(r *Resource) **float64 { return &r.EventLoopLagMS }, 1000, true), // when no mean
	"nodejs.eventloop.lag":                  floatField(func(r *Resource) **float64 { return &r.EventLoopLagMS }, 1000, false),
	"db.client.connection.count":            poolCount,
	"db.client.connections.usage":           poolCount,
	"db.client.connection.max":              poolField(func(p *Pool) **int64 { return &p.Max }),
	"db.client.connections.max":             poolField(func(p *Pool) **int64 { return &p.Max }),
	"db.client.connection.pending_requests": poolField(func(p *Pool) **int64 { return &p.PendingRequests }),
	"db.client.connections.pending_requests": poolField(func(p *Pool) **int64 {
		return &p.PendingRequests
	}),
	"db.client.connection.wait_time":  poolWaitTime,
	"db.client.connections.wait_time": poolWaitTime,
}

// Convert turns md into rows; the tenant is chosen as for spans.
func (c *Converter) Convert(md pmetric.Metrics, now time.Time) *Batch {
	b := &Batch{
		resourceIdx: map[resourceKey]int{},
		poolIdx:     map[poolKey]int{},
	}
	pc := &pointContext{oldest: now.Add(-c.opts.Retention), newest: now.Add(c.opts.MaxFutureSkew)}
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		rm := rms.At(i)
		res := rm.Resource().Attributes()
		tenantName, clientNamed := tenantstamp.Resolve(res, c.opts.TenantAttribute, c.opts.DefaultTenant)
		key := InstanceKey{
			Tenant:     b.Tenants.Intern(tenantName, clientNamed),
			Service:    strAttr(res, semconv.ServiceName, "unknown_service"),
			Host:       strAttr(res, semconv.HostName, ""),
			InstanceID: strAttr(res, semconv.ServiceInstanceID, ""),
		}
		pc.instance = b.Instances.Intern(key)
		pc.key = key
		pc.tenantName = tenantName
		sms := rm.ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				if h, ok := handlers[m.Name()]; ok {
					h(c, b, pc, m)
				}
			}
		}
	}
	return b
}

// Reads reports whether Convert reads metrics of this name (any other is ignored).
func Reads(name string) bool {
	_, ok := handlers[name]
	return ok
}

// ResourceAttributeKeys are the resource attributes Convert reads besides the tenant's.
func ResourceAttributeKeys() []string {
	return []string{semconv.ServiceName, semconv.HostName, semconv.ServiceInstanceID}
}

type pointContext struct {
	instance   int32
	key        InstanceKey
	tenantName string
	oldest     time.Time
	newest     time.Time
}

// resource returns the row of the point's instance and minute, or nil when the point's
// time is outside the accepted window.
func (b *Batch) resource(pc *pointContext, ts pcommon.Timestamp) *Resource {
	t := ts.AsTime()
	if t.Before(pc.oldest) || t.After(pc.newest) {
		b.Dropped++
		return nil
	}
	minute := t.Unix() / 60
	k := resourceKey{pc.instance, minute}
	if i, ok := b.resourceIdx[k]; ok {
		return &b.Resources[i]
	}
	b.resourceIdx[k] = len(b.Resources)
	b.Resources = append(b.Resources, Resource{Minute: time.Unix(minute*60, 0).UTC(), Instance: pc.instance})
	return &b.Resources[len(b.Resources)-1]
}

func (b *Batch) pool(pc *pointContext, ts pcommon.Timestamp, name string) *Pool {
	t := ts.AsTime()
	if t.Before(pc.oldest) || t.After(pc.newest) {
		b.Dropped++
		return nil
	}
	minute := t.Unix() / 60
	k := poolKey{pc.instance, minute, name}
	if i, ok := b.poolIdx[k]; ok {
		return &b.Pools[i]
	}
	b.poolIdx[k] = len(b.Pools)
	b.Pools = append(b.Pools, Pool{Minute: time.Unix(minute*60, 0).UTC(), Instance: pc.instance, Name: name})
	return &b.Pools[len(b.Pools)-1]
}

// numberPoints returns the data points of a gauge or sum (nil for other types).
func numberPoints(m pmetric.Metric) (pmetric.NumberDataPointSlice, bool, bool) {
	switch m.Type() {
	case pmetric.MetricTypeGauge:
		return m.Gauge().DataPoints(), true, false
	case pmetric.MetricTypeSum:
		return m.Sum().DataPoints(), true, m.Sum().AggregationTemporality() == pmetric.AggregationTemporalityCumulative && m.Sum().IsMonotonic()
	}
	return pmetric.NumberDataPointSlice{}, false, false
}

// eachNumberPoint calls fn with every point of a gauge or a sum; other types are not read.
func eachNumberPoint(m pmetric.Metric, fn func(pmetric.NumberDataPoint)) {
	pts, ok, _ := numberPoints(m)
	if !ok {
		return
	}
	for i := 0; i < pts.Len(); i++ {
		fn(pts.At(i))
	}
}

func value(p pmetric.NumberDataPoint) float64 {
	if p.ValueType() == pmetric.NumberDataPointValueTypeInt {
		return float64(p.IntValue())
	}
	return p.DoubleValue()
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// clampInt converts a byte count or count to int64, rejecting NaN and out-of-range values.
func clampInt(v float64) (int64, bool) {
	if !finite(v) || v < 0 || v > math.MaxInt64/2 {
		return 0, false
	}
	return int64(v), true
}

func setInt(dst **int64, v int64) { *dst = &v }
func setFloat(dst **float64, v float64) {
	*dst = &v
}

// group sums the values of the points per (timestamp) so that per-state or per-space
// series of one metric add up (heap spaces, memory states).
func sumByTime(pts pmetric.NumberDataPointSlice, keep func(pcommon.Map) bool) map[pcommon.Timestamp]float64 {
	out := map[pcommon.Timestamp]float64{}
	for i := 0; i < pts.Len(); i++ {
		p := pts.At(i)
		if keep != nil && !keep(p.Attributes()) {
			continue
		}
		if v := value(p); finite(v) {
			out[p.Timestamp()] += v
		}
	}
	return out
}

// inTimeOrder returns the timestamps of m in order, so that of two points of one minute the
// later one is stored, whatever the map's order.
func inTimeOrder[V any](m map[pcommon.Timestamp]V) []pcommon.Timestamp {
	return slices.Sorted(maps.Keys(m))
}

func intField(field func(*Resource) **int64, scale float64) handler {
	return sumField(field, scale, nil)
}

// sumField stores, per minute, the sum of the points that keep accepts (nil: all) scaled by
// scale.
func sumField(field func(*Resource) **int64, scale float64, keep func(pcommon.Map) bool) handler {
	return func(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
		pts, ok, _ := numberPoints(m)
		if !ok {
			return
		}
		sums := sumByTime(pts, keep)
		for _, ts := range inTimeOrder(sums) {
			v := sums[ts]
			if n, ok := clampInt(v * scale); ok {
				if r := b.resource(pc, ts); r != nil {
					setInt(field(r), n)
				}
			}
		}
	}
}

// floatField stores a gauge or sum scaled by scale; with fallback it only fills a value
// that no other metric of that minute reported.
func floatField(field func(*Resource) **float64, scale float64, fallback bool) handler {
	return func(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
		eachNumberPoint(m, func(p pmetric.NumberDataPoint) {
			if v := value(p) * scale; finite(v) && v >= 0 {
				if r := b.resource(pc, p.Timestamp()); r != nil && (!fallback || *field(r) == nil) {
					setFloat(field(r), v)
				}
			}
		})
	}
}

// cpuUtilization: utilization gauges (0..1) per cpu and state. For the system, usage is
// what is not idle, averaged over the CPUs; for a process, the states add up.
func cpuUtilization(system bool) handler {
	return func(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
		pts, ok, _ := numberPoints(m)
		if !ok {
			return
		}
		type acc struct {
			busy float64
			cpus map[string]bool
		}
		byTime := map[pcommon.Timestamp]*acc{}
		for i := 0; i < pts.Len(); i++ {
			p := pts.At(i)
			v := value(p)
			if !finite(v) || v < 0 {
				continue
			}
			a := byTime[p.Timestamp()]
			if a == nil {
				a = &acc{cpus: map[string]bool{}}
				byTime[p.Timestamp()] = a
			}
			state := stateOf(p.Attributes(), "cpu.mode", "state", "system.cpu.state")
			// only counted, never stored: any type identifies a CPU
			if cpu, ok := p.Attributes().Get("cpu"); ok {
				a.cpus[cpu.AsString()] = true
			} else if cpu, ok := p.Attributes().Get("cpu.logical_number"); ok {
				a.cpus[cpu.AsString()] = true
			}
			if system && (state == "idle" || state == "wait" || state == "iowait") {
				continue
			}
			a.busy += v
		}
		for _, ts := range inTimeOrder(byTime) {
			a := byTime[ts]
			pct := a.busy * 100
			if system && len(a.cpus) > 1 {
				pct /= float64(len(a.cpus))
			}
			if pct > 100*float64(max(1, len(a.cpus))) {
				continue
			}
			if r := b.resource(pc, ts); r != nil {
				if !system || r.CPUPercent == nil { // the process's own figure wins
					setFloat(&r.CPUPercent, pct)
				}
			}
		}
	}
}

// cpuTime: cumulative CPU seconds per state; the rate between two reports is the
// utilization. The first report of a series only primes the state.
func cpuTime(system bool) handler {
	return func(c *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
		pts, ok, cumulative := numberPoints(m)
		if !ok || !cumulative {
			return
		}
		type acc struct{ busy, total float64 }
		byTime := map[pcommon.Timestamp]*acc{}
		for i := 0; i < pts.Len(); i++ {
			p := pts.At(i)
			v := value(p)
			if !finite(v) {
				continue
			}
			delta, elapsed, ok := c.delta(pc, m.Name(), p, v)
			if !ok {
				continue
			}
			a := byTime[p.Timestamp()]
			if a == nil {
				a = &acc{}
				byTime[p.Timestamp()] = a
			}
			state := stateOf(p.Attributes(), "cpu.mode", "state", "system.cpu.state")
			a.total += delta
			if !system {
				a.busy += delta / elapsed
			} else if state != "idle" && state != "wait" && state != "iowait" {
				a.busy += delta
			}
		}
		for _, ts := range inTimeOrder(byTime) {
			a := byTime[ts]
			var pct float64
			if system {
				if a.total <= 0 {
					continue
				}
				pct = a.busy / a.total * 100
			} else {
				pct = a.busy * 100
			}
			if !finite(pct) || pct < 0 {
				continue
			}
			if r := b.resource(pc, ts); r != nil && r.CPUPercent == nil {
				setFloat(&r.CPUPercent, pct)
			}
		}
	}
}

// delta returns the growth of a cumulative series since its previous report and the
// seconds between them. A reset (value went down, or a new start time) restarts the series.
func (c *Converter) delta(pc *pointContext, metric string, p pmetric.NumberDataPoint, v float64) (float64, float64, bool) {
	k := counterKey{instance: pc.key, tenant: pc.tenantName, metric: metric, attrs: attrsKey(p.Attributes())}
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, ok := c.prev[k]
	c.prev[k] = sample{ts: p.Timestamp(), value: v}
	if !ok || p.Timestamp() <= prev.ts || v < prev.value {
		return 0, 0, false
	}
	elapsed := float64(p.Timestamp()-prev.ts) / 1e9
	return v - prev.value, elapsed, elapsed > 0
}

// attrsKey identifies a series by its point attributes, in key order: the order of a
// point's attributes carries no meaning and may differ between reports.
func attrsKey(m pcommon.Map) string {
	pairs := make([]string, 0, m.Len())
	m.Range(func(k string, v pcommon.Value) bool {
		pairs = append(pairs, k+"="+v.AsString()+";")
		return true
	})
	slices.Sort(pairs)
	return strings.Join(pairs, "")
}

// systemMemory: system.memory.usage by state; used is "used", total is the sum of states.
func systemMemory(_ *Converter, b *Batch, pc *pointContext, m pmetric.Metric) {
	pts, ok, _ := numberPoints(m)
	if !ok {
		return
	}
	used := sumByTime(pts, func(a pcommon.Map) bool { return stateOf(a, "system.memory.state", "state") == "used" })
	total := sumByTime(pts, nil)
	for _, ts := range inTimeOrder(total) {
		v := total[ts]
		r := b.resource(pc, ts)
		if r == nil {
			continue
		}
		if n, ok := clampInt(v); ok {
			setInt(&r.MemoryTotalBytes, n)
		}
		if u, ok := clampInt(used[ts]); ok && r.MemoryUsedBytes == nil {
			setInt(&r.MemoryUsedBytes, u)
		}
	}
}

// jvmHeap stores the heap part of a JVM memory metric (attribute type = heap).
func jvmHeap(field func(*Resource) **int64) handler {
	return sumField(field, 1, func(a pcommon.Map) bool { return stateOf(a, "jvm.memory.type", "type") == "heap" })
}

func stateOf(a pcommon.Map, keys ...string) string {
	for _, k := range keys {
		if s, ok := str(a, k); ok {
			return s
		}
	}
	return ""
}

func strAttr(a pcommon.Map, key, def string) string {
	if s, ok := str(a, key); ok && s != "" {
		return pgtext.Clean(s, 256)
	}
	return def
}

// str reads a text attribute. Only a string is text: a list, map, bytes or number is
// ignored as if absent, never stringified (JSON or base64 of whatever it holds).
func str(a pcommon.Map, key string) (string, bool) {
	if v, ok := a.Get(key); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str(), true
	}
	return "", false
}
