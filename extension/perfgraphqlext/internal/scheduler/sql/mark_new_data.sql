-- Runs in the refresh's transaction, just before refresh_performance_metrics_incremental:
-- when the tenant ($1) has hours written since their last refresh (rollup_dirty_hours, which
-- every write marks, the current hour's included), the refresh takes new data, and the
-- engine has it to judge. $2 is the scheduler's time of the tick; a later mark wins. A write
-- that lands between this statement and the refresh's own read of the marks is refreshed
-- without a mark here: the engine judges it at the tenant's next new data or interval run.
INSERT INTO perf_optimizer_pending (tenant_id, data_at)
SELECT t.tenant_id, $2::timestamptz
FROM perf_tenants t
WHERE t.name = $1
  AND EXISTS (SELECT 1 FROM rollup_dirty_hours d WHERE d.tenant_id = t.tenant_id)
ON CONFLICT (tenant_id) DO UPDATE SET data_at = greatest(perf_optimizer_pending.data_at, excluded.data_at)
