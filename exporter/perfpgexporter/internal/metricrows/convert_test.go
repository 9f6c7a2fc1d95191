package metricrows

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// base is the minute the test points fall into; "now" is a little after it.
var base = time.Date(2026, 5, 4, 10, 20, 0, 0, time.UTC)

type kind int

const (
	gauge kind = iota
	cumulative
	delta
	cumulativeHist
	deltaHist
)

type point struct {
	at     time.Duration // after base
	value  float64
	count  uint64 // histograms
	attrs  map[string]any
	intVal bool
}

type metric struct {
	name   string
	unit   string
	kind   kind
	points []point
}

// report is one resource's metrics in one export.
type report struct {
	resource map[string]any
	metrics  []metric
}

func build(t *testing.T, reports ...report) pmetric.Metrics {
	t.Helper()
	md := pmetric.NewMetrics()
	for _, r := range reports {
		rm := md.ResourceMetrics().AppendEmpty()
		res := r.resource
		if res == nil {
			res = map[string]any{"service.name": "svc", "host.name": "h1", "service.instance.id": "i1"}
		}
		if err := rm.Resource().Attributes().FromRaw(res); err != nil {
			t.Fatal(err)
		}
		ms := rm.ScopeMetrics().AppendEmpty().Metrics()
		for _, m := range r.metrics {
			out := ms.AppendEmpty()
			out.SetName(m.name)
			out.SetUnit(m.unit)
			var numbers pmetric.NumberDataPointSlice
			var hists pmetric.HistogramDataPointSlice
			switch m.kind {
			case gauge:
				numbers = out.SetEmptyGauge().DataPoints()
			case cumulative, delta:
				sum := out.SetEmptySum()
				sum.SetIsMonotonic(true)
				sum.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
				if m.kind == delta {
					sum.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
				}
				numbers = sum.DataPoints()
			case cumulativeHist, deltaHist:
				h := out.SetEmptyHistogram()
				h.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
				if m.kind == deltaHist {
					h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
				}
				hists = h.DataPoints()
			}
			for _, p := range m.points {
				ts := pcommon.NewTimestampFromTime(base.Add(p.at))
				var attrs pcommon.Map
				if m.kind == cumulativeHist || m.kind == deltaHist {
					hp := hists.AppendEmpty()
					hp.SetTimestamp(ts)
					hp.SetSum(p.value)
					hp.SetCount(p.count)
					attrs = hp.Attributes()
				} else {
					np := numbers.AppendEmpty()
					np.SetTimestamp(ts)
					if p.intVal {
						np.SetIntValue(int64(p.value))
					} else {
						np.SetDoubleValue(p.value)
					}
					attrs = np.Attributes()
				}
				if err := attrs.FromRaw(p.attrs); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return md
}

// rows renders a batch's rows compactly and in a stable order: one line per resource row
// ("instance minute field=value ...", only reported fields) and per pool row.
func rows(b *Batch) []string {
	var out []string
	inst := func(i int32) string {
		k := b.Instances.Values[i]
		return fmt.Sprintf("%s/%s/%s/%s", b.Tenants.Values[k.Tenant], k.Service, k.Host, k.InstanceID)
	}
	// line writes head, then " name=value" for each reported (non-nil) field
	line := func(head string, fields ...any) string {
		var sb strings.Builder
		sb.WriteString(head)
		for i := 0; i+1 < len(fields); i += 2 {
			switch v := fields[i+1].(type) {
			case *int64:
				if v != nil {
					fmt.Fprintf(&sb, " %s=%d", fields[i], *v)
				}
			case *float64:
				if v != nil {
					fmt.Fprintf(&sb, " %s=%.4g", fields[i], *v)
				}
			}
		}
		return sb.String()
	}
	for _, r := range b.Resources {
		out = append(out, line(inst(r.Instance)+" "+r.Minute.Format("15:04"), "cpu", r.CPUPercent, "mem", r.MemoryUsedBytes,
			"memtotal", r.MemoryTotalBytes, "heap", r.HeapUsedBytes, "heaptotal", r.HeapTotalBytes,
			"lag", r.EventLoopLagMS, "conns", r.ActiveConnections))
	}
	for _, p := range b.Pools {
		out = append(out, line(inst(p.Instance)+" "+p.Minute.Format("15:04")+" pool "+p.Name, "used", p.Used, "idle", p.Idle,
			"max", p.Max, "pending", p.PendingRequests, "wait", p.WaitTimeMS))
	}
	slices.Sort(out)
	return out
}

const inst = "default/svc/h1/i1"

func one(metrics ...metric) []report { return []report{{metrics: metrics}} }

func TestConvert(t *testing.T) {
	gib := float64(1 << 30)
	cpu := func(n int, state string) map[string]any {
		return map[string]any{"cpu": fmt.Sprint(n), "cpu.mode": state}
	}
	state := func(k, v string) map[string]any { return map[string]any{k: v} }
	procTime := func(k kind, at time.Duration, value float64) []report {
		return one(metric{name: "process.cpu.time", kind: k, points: []point{{at: at, value: value}}})
	}
	pool := func(name, st string) map[string]any {
		return map[string]any{"db.client.connection.pool.name": name, "db.client.connection.state": st}
	}
	for _, tc := range []struct {
		name string
		// exports in order, through one converter; rows and drops are of the last
		exports     [][]report
		want        []string
		wantDropped int
	}{
		{name: "system cpu utilization: not idle, averaged over cpus",
			exports: [][]report{one(metric{name: "system.cpu.utilization", points: []point{
				{value: .3, attrs: cpu(0, "user")}, {value: .7, attrs: cpu(0, "idle")},
				{value: .5, attrs: cpu(1, "system")}, {value: .5, attrs: cpu(1, "iowait")}}})},
			want: []string{inst + " 10:20 cpu=40"}},
		{name: "process cpu utilization wins over the system's",
			exports: [][]report{one(
				metric{name: "process.cpu.utilization", points: []point{{value: .25, attrs: state("cpu.mode", "user")}}},
				metric{name: "system.cpu.utilization", points: []point{{value: .9, attrs: cpu(0, "user")}}})},
			want: []string{inst + " 10:20 cpu=25"}},
		{name: "process cpu time: the first report primes, the second is a rate",
			exports: [][]report{
				procTime(cumulative, 0, 10),
				procTime(cumulative, 10*time.Second, 15),
			},
			want: []string{inst + " 10:20 cpu=50"}},
		{name: "process cpu time: first report gives no row",
			exports: [][]report{procTime(cumulative, 0, 10)},
			want:    nil},
		{name: "system cpu time: busy share of all states",
			exports: [][]report{
				one(metric{name: "system.cpu.time", kind: cumulative, points: []point{
					{value: 10, attrs: state("cpu.mode", "user")}, {value: 90, attrs: state("cpu.mode", "idle")}}}),
				one(metric{name: "system.cpu.time", kind: cumulative, points: []point{
					{at: 10 * time.Second, value: 15, attrs: state("cpu.mode", "user")}, {at: 10 * time.Second, value: 100, attrs: state("cpu.mode", "idle")}}}),
			},
			want: []string{inst + " 10:20 cpu=33.33"}},
		{name: "counter reset: the rate starts again from the value after the reset (3), not 15",
			exports: [][]report{
				procTime(cumulative, 0, 15),
				procTime(cumulative, 10*time.Second, 3),
				procTime(cumulative, 20*time.Second, 5),
			},
			want: []string{inst + " 10:20 cpu=20"}},
		{name: "cpu time as a delta sum is not read",
			exports: [][]report{
				procTime(delta, 0, 1),
				procTime(delta, 10*time.Second, 1),
			},
			want: nil},
		{name: "counters of two instances do not mix",
			exports: [][]report{
				{{metrics: []metric{{name: "process.cpu.time", kind: cumulative, points: []point{{value: 10}}}}}},
				{{resource: map[string]any{"service.name": "svc", "host.name": "h1", "service.instance.id": "i2"},
					metrics: []metric{{name: "process.cpu.time", kind: cumulative, points: []point{{at: 10 * time.Second, value: 15}}}}}},
			},
			want: nil},
		{name: "system memory: used state, total of states",
			exports: [][]report{one(metric{name: "system.memory.usage", unit: "By", points: []point{
				{value: 4 * gib, attrs: state("system.memory.state", "used"), intVal: true},
				{value: 2 * gib, attrs: state("system.memory.state", "free"), intVal: true},
				{value: 2 * gib, attrs: state("system.memory.state", "cached"), intVal: true}}})},
			want: []string{fmt.Sprintf("%s 10:20 mem=%d memtotal=%d", inst, 4<<30, 8<<30)}},
		{name: "jvm heap: heap spaces only",
			exports: [][]report{one(
				metric{name: "jvm.memory.used", points: []point{
					{value: 100, attrs: map[string]any{"jvm.memory.type": "heap", "jvm.memory.pool.name": "eden"}},
					{value: 50, attrs: map[string]any{"jvm.memory.type": "heap", "jvm.memory.pool.name": "old"}},
					{value: 999, attrs: map[string]any{"jvm.memory.type": "non_heap"}}}},
				metric{name: "jvm.memory.committed", points: []point{{value: 400, attrs: state("jvm.memory.type", "heap")}}})},
			want: []string{inst + " 10:20 heap=150 heaptotal=400"}},
		{name: "v8 heap and process memory",
			exports: [][]report{one(
				metric{name: "v8js.memory.heap.used", points: []point{{value: 10, intVal: true}, {value: 5, intVal: true, attrs: state("v8js.heap.space.name", "code")}}},
				metric{name: "v8js.memory.heap.limit", points: []point{{value: 64, intVal: true}}},
				metric{name: "process.memory.usage", points: []point{{value: 128, intVal: true}}})},
			want: []string{inst + " 10:20 mem=128 heap=15 heaptotal=64"}},
		{name: "units: event loop delay in seconds stored in ms; p50 only without a mean",
			exports: [][]report{one(
				metric{name: "nodejs.eventloop.delay.p50", unit: "s", points: []point{{value: .5}}},
				metric{name: "nodejs.eventloop.delay.mean", unit: "s", points: []point{{value: .012}}})},
			want: []string{inst + " 10:20 lag=12"}},
		{name: "event loop p50 as the fallback",
			exports: [][]report{one(metric{name: "nodejs.eventloop.delay.p50", unit: "s", points: []point{{value: .004}}})},
			want:    []string{inst + " 10:20 lag=4"}},
		{name: "out-of-range values are not stored: no-limit MaxInt64, NaN, negative",
			exports: [][]report{one(
				metric{name: "go.memory.limit", points: []point{{value: math.MaxInt64, intVal: true}}},
				metric{name: "go.memory.used", points: []point{{value: math.NaN()}}},
				metric{name: "process.cpu.utilization", points: []point{{value: -1}}})},
			want: nil},
		{name: "pool states, limits and active connections over pools",
			exports: [][]report{one(
				metric{name: "db.client.connection.count", points: []point{
					{value: 3, attrs: pool("p1", "used"), intVal: true}, {value: 2, attrs: pool("p1", "idle"), intVal: true},
					{value: 4, attrs: pool("p2", "used"), intVal: true}}},
				metric{name: "db.client.connection.max", points: []point{{value: 10, attrs: pool("p1", ""), intVal: true}}},
				metric{name: "db.client.connection.pending_requests", points: []point{{value: 1, attrs: pool("p1", ""), intVal: true}}})},
			want: []string{inst + " 10:20 conns=7", inst + " 10:20 pool p1 used=3 idle=2 max=10 pending=1", inst + " 10:20 pool p2 used=4"}},
		{name: "older pool names; no name is the default pool",
			exports: [][]report{one(
				metric{name: "db.client.connections.usage", points: []point{
					{value: 5, attrs: map[string]any{"pool.name": "legacy", "state": "used"}, intVal: true},
					{value: 1, attrs: map[string]any{"state": "idle"}, intVal: true}}})},
			want: []string{inst + " 10:20 conns=5", inst + " 10:20 pool default idle=1", inst + " 10:20 pool legacy used=5"}},
		{name: "pool wait time: delta histogram in seconds, and in ms by unit",
			exports: [][]report{one(
				metric{name: "db.client.connection.wait_time", unit: "s", kind: deltaHist, points: []point{{value: .5, count: 10, attrs: pool("p1", "")}}},
				metric{name: "db.client.connections.wait_time", unit: "ms", kind: deltaHist, points: []point{{value: 50, count: 10, attrs: pool("p2", "")}}})},
			want: []string{inst + " 10:20 pool p1 wait=50", inst + " 10:20 pool p2 wait=5"}},
		{name: "pool wait time: cumulative histogram becomes the interval's mean",
			exports: [][]report{
				one(metric{name: "db.client.connection.wait_time", unit: "s", kind: cumulativeHist, points: []point{{value: .5, count: 10, attrs: pool("p1", "")}}}),
				one(metric{name: "db.client.connection.wait_time", unit: "s", kind: cumulativeHist, points: []point{{at: 10 * time.Second, value: 1.5, count: 20, attrs: pool("p1", "")}}}),
			},
			want: []string{inst + " 10:20 pool p1 wait=100"}},
		{name: "points of one minute share a row, another minute gets its own",
			exports: [][]report{one(metric{name: "process.memory.usage", points: []point{
				{value: 1, intVal: true}, {at: 59 * time.Second, value: 2, intVal: true}, {at: 61 * time.Second, value: 3, intVal: true}}})},
			want: []string{inst + " 10:20 mem=2", inst + " 10:21 mem=3"}},
		{name: "out of window: older than retention or further ahead than the skew",
			exports: [][]report{one(metric{name: "process.memory.usage", points: []point{
				{at: -2 * time.Hour, value: 1, intVal: true}, {at: 2 * time.Hour, value: 2, intVal: true}, {value: 3, intVal: true}}})},
			want: []string{inst + " 10:20 mem=3"}, wantDropped: 2},
		{name: "instance keys: service, host and instance id; missing service is unknown_service",
			exports: [][]report{{
				{resource: map[string]any{"service.name": "a", "host.name": "h", "service.instance.id": "1"},
					metrics: []metric{{name: "process.memory.usage", points: []point{{value: 1, intVal: true}}}}},
				{resource: map[string]any{"service.name": "a", "host.name": "h", "service.instance.id": "2"},
					metrics: []metric{{name: "process.memory.usage", points: []point{{value: 2, intVal: true}}}}},
				{resource: map[string]any{"host.name": "h"},
					metrics: []metric{{name: "process.memory.usage", points: []point{{value: 3, intVal: true}}}}},
				{resource: map[string]any{"service.name": "a", "host.name": "h", "service.instance.id": "1", "tenant.id": "t2"},
					metrics: []metric{{name: "process.memory.usage", points: []point{{value: 4, intVal: true}}}}},
			}},
			want: []string{"default/a/h/1 10:20 mem=1", "default/a/h/2 10:20 mem=2", "default/unknown_service/h/ 10:20 mem=3", "t2/a/h/1 10:20 mem=4"}},
		{name: "metrics of other names are skipped",
			exports: [][]report{one(metric{name: "http.server.request.duration", points: []point{{value: 1}}})},
			want:    nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewConverter(Options{TenantAttribute: "tenant.id", DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Minute})
			now := base.Add(30 * time.Second)
			var b *Batch
			for _, export := range tc.exports {
				b = c.Convert(build(t, export...), now)
			}
			if got := rows(b); !slices.Equal(got, tc.want) {
				t.Errorf("rows:\n  got  %q\n  want %q", got, tc.want)
			}
			if b.Dropped != tc.wantDropped {
				t.Errorf("dropped %d, want %d", b.Dropped, tc.wantDropped)
			}
		})
	}
}

// A cumulative series is one series whatever the order of its point attributes.
func TestCounterAttributeOrder(t *testing.T) {
	c := NewConverter(Options{DefaultTenant: "default", Retention: time.Hour, MaxFutureSkew: time.Minute})
	now := base.Add(30 * time.Second)
	export := func(at time.Duration, value float64, keys ...string) *Batch {
		md := build(t, one(metric{name: "process.cpu.time", kind: cumulative, points: []point{{at: at, value: value}}})...)
		attrs := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Sum().DataPoints().At(0).Attributes()
		for _, k := range keys {
			attrs.PutStr(k, "x")
		}
		return c.Convert(md, now)
	}
	export(0, 10, "cpu.mode", "process.owner")
	if got := rows(export(10*time.Second, 15, "process.owner", "cpu.mode")); !slices.Equal(got, []string{inst + " 10:20 cpu=50"}) {
		t.Errorf("rows %q: the attributes in another order made a new series", got)
	}
}
