-- Tenants whose rollups have work: an hour written since its last refresh (rollup_dirty_hours,
-- marked by every write), or a finished day not yet merged into the daily rollups. Idle
-- tenants are skipped, however many there are; the small tables drive the query.
SELECT t.name
FROM perf_tenants t
WHERE t.tenant_id IN (SELECT tenant_id FROM rollup_dirty_hours
                      UNION
                      SELECT tenant_id FROM perf_rollup_pending_days WHERE day < perf_day(now()))
ORDER BY t.tenant_id
