package pgwriter

import (
	"context"
	_ "embed"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/metricrows"
	"github.com/otelcol-perf/otelcol-perf/exporter/perfpgexporter/internal/spanrows"
)

var (
	//go:embed sql/select_instances.sql
	sqlSelectInstances string
	//go:embed sql/insert_instances.sql
	sqlInsertInstances string
	//go:embed sql/upsert_resources.sql
	sqlUpsertResources string
	//go:embed sql/upsert_pools.sql
	sqlUpsertPools string
)

type instanceKey struct {
	tenant  int32
	service int32
	host    string
	id      string
}

// MetricResult says what a WriteMetrics call stored.
type MetricResult struct {
	ResourceRows int64
	PoolRows     int64
	// Redirected rows went to the default tenant (see TraceResult.Redirected).
	Redirected int
}

// WriteMetrics merges b's one-minute rows into system_resource_metrics and db_pool_metrics.
// Upserts make replays harmless, so metrics need no separate idempotent path.
func (w *Writer) WriteMetrics(ctx context.Context, b *metricrows.Batch) (MetricResult, error) {
	if len(b.Resources) == 0 && len(b.Pools) == 0 {
		return MetricResult{}, nil
	}
	tenants, redirected, err := w.resolveTenants(ctx, &b.Tenants)
	if err != nil {
		return MetricResult{}, tenantError{errorf("tenants: %w", err)}
	}
	services := make([]spanrows.ServiceKey, b.Instances.Len())
	for i, k := range b.Instances.Values {
		services[i] = spanrows.ServiceKey{Tenant: k.Tenant, Name: k.Service}
	}
	serviceIDs, err := w.resolveServices(ctx, services, tenants)
	if err != nil {
		return MetricResult{}, errorf("services: %w", err)
	}
	instances, err := w.resolveInstances(ctx, b.Instances.Values, tenants, serviceIDs)
	if err != nil {
		return MetricResult{}, errorf("instances: %w", err)
	}
	needed := map[int64]bool{}
	w.mu.Lock()
	for _, r := range b.Resources {
		if d := unixDay(r.Minute); !w.days[d] {
			needed[d] = true
		}
	}
	for _, p := range b.Pools {
		if d := unixDay(p.Minute); !w.days[d] {
			needed[d] = true
		}
	}
	w.mu.Unlock()
	if err := w.createDays(ctx, needed); err != nil {
		return MetricResult{}, err
	}

	var res MetricResult
	err = pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		if n := len(b.Resources); n > 0 {
			ts := make([]time.Time, n)
			tids := make([]int32, n)
			iids := make([]int32, n)
			cpu := make([]*float64, n)
			memUsed, memTotal, heapUsed, heapTotal := make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n)
			lag := make([]*float64, n)
			conns := make([]*int32, n)
			for i, r := range b.Resources {
				ts[i], tids[i], iids[i] = r.Minute, tenants[b.Instances.Values[r.Instance].Tenant], instances[r.Instance]
				cpu[i], memUsed[i], memTotal[i], heapUsed[i], heapTotal[i], lag[i] = r.CPUPercent, r.MemoryUsedBytes, r.MemoryTotalBytes, r.HeapUsedBytes, r.HeapTotalBytes, r.EventLoopLagMS
				conns[i] = int32Ptr(r.ActiveConnections)
			}
			tag, err := tx.Exec(ctx, sqlUpsertResources, ts, tids, iids, cpu, memUsed, memTotal, heapUsed, heapTotal, lag, conns)
			if err != nil {
				return err
			}
			res.ResourceRows = tag.RowsAffected()
		}
		if n := len(b.Pools); n > 0 {
			ts := make([]time.Time, n)
			tids := make([]int32, n)
			iids := make([]int32, n)
			names := make([]string, n)
			used, idle, maxConns, pending := make([]*int32, n), make([]*int32, n), make([]*int32, n), make([]*int32, n)
			wait := make([]*float64, n)
			for i, p := range b.Pools {
				ts[i], tids[i], iids[i], names[i] = p.Minute, tenants[b.Instances.Values[p.Instance].Tenant], instances[p.Instance], p.Name
				used[i], idle[i], maxConns[i], pending[i] = int32Ptr(p.Used), int32Ptr(p.Idle), int32Ptr(p.Max), int32Ptr(p.PendingRequests)
				wait[i] = p.WaitTimeMS
			}
			tag, err := tx.Exec(ctx, sqlUpsertPools, ts, tids, iids, names, used, idle, maxConns, pending, wait)
			if err != nil {
				return err
			}
			res.PoolRows = tag.RowsAffected()
		}
		return w.markMetricHours(ctx, tx, b, tenants)
	})
	if err != nil {
		return MetricResult{}, err
	}
	if slices.Contains(redirected, true) {
		for _, r := range b.Resources {
			if redirected[b.Instances.Values[r.Instance].Tenant] {
				res.Redirected++
			}
		}
		for _, p := range b.Pools {
			if redirected[b.Instances.Values[p.Instance].Tenant] {
				res.Redirected++
			}
		}
	}
	return res, nil
}

func (w *Writer) markMetricHours(ctx context.Context, tx pgx.Tx, b *metricrows.Batch, tenants []int32) error {
	d := dirtyHours{}
	for _, r := range b.Resources {
		d.add(tenants[b.Instances.Values[r.Instance].Tenant], r.Minute)
	}
	for _, p := range b.Pools {
		d.add(tenants[b.Instances.Values[p.Instance].Tenant], p.Minute)
	}
	return d.mark(ctx, tx)
}

func int32Ptr(v *int64) *int32 {
	if v == nil {
		return nil
	}
	n := *v
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	out := int32(n)
	return &out
}

func (w *Writer) resolveInstances(ctx context.Context, keys []metricrows.InstanceKey, tenants []int32, services []int32) ([]int32, error) {
	out := make([]int32, len(keys))
	keyOf := func(i int) instanceKey {
		k := keys[i]
		return instanceKey{tenant: tenants[k.Tenant], service: services[i], host: k.Host, id: k.InstanceID}
	}
	var tids []int32
	var sids []int32
	var hosts, iids []string
	w.mu.Lock()
	for i := range keys {
		k := keyOf(i)
		if id, ok := w.instances[k]; ok {
			out[i] = id
		} else {
			tids, sids, hosts, iids = append(tids, k.tenant), append(sids, k.service), append(hosts, k.host), append(iids, k.id)
		}
	}
	w.mu.Unlock()
	if len(tids) == 0 {
		return out, nil
	}
	if _, err := w.pool.Exec(ctx, sqlInsertInstances, tids, sids, hosts, iids); err != nil {
		return nil, err
	}
	rows, _ := w.pool.Query(ctx, sqlSelectInstances, tids, sids, hosts, iids)
	var k instanceKey
	var id int32
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := pgx.ForEachRow(rows, []any{&k.tenant, &k.service, &k.host, &k.id, &id}, func() error {
		w.instances[k] = id
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range keys {
		out[i] = w.instances[keyOf(i)]
	}
	return out, nil
}
