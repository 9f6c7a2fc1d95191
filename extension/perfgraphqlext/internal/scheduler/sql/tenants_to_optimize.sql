-- Tenants the optimization engine runs for on this tick, and why. $1 is the scheduler's time
-- (the clock of perf_optimizer_runs.started_at), $2 the shortest gap between two runs of a
-- tenant, $3 optimizer.interval.
--   new_data: a refresh took data (perf_optimizer_pending) after the tenant's last run began,
--             and that run is at least $2 old;
--   interval: the tenant has ACTIVE recommendations, which resolve only when a run no longer
--             detects them, and its last run is at least $3 old.
-- Idle tenants without recommendations are not looked at, however many there are: both
-- sources are small tables.
SELECT name, CASE WHEN unjudged THEN 'new_data' ELSE 'interval' END AS trigger
FROM (
    SELECT t.tenant_id, t.name, r.last,
           p.data_at IS NOT NULL AND (r.last IS NULL OR p.data_at > r.last) AS unjudged,
           EXISTS (SELECT 1 FROM perf_recommendations a
                    WHERE a.tenant_id = t.tenant_id AND a.status = 'ACTIVE') AS active
    FROM perf_tenants t
    LEFT JOIN perf_optimizer_pending p ON p.tenant_id = t.tenant_id
    LEFT JOIN LATERAL (SELECT max(started_at) AS last FROM perf_optimizer_runs o
                        WHERE o.tenant_id = t.tenant_id) r ON true
    WHERE t.tenant_id IN (SELECT tenant_id FROM perf_optimizer_pending
                          UNION
                          SELECT tenant_id FROM perf_recommendations WHERE status = 'ACTIVE')
) c
WHERE (unjudged AND (last IS NULL OR last <= $1::timestamptz - $2::interval))
   OR (active AND (last IS NULL OR last <= $1::timestamptz - $3::interval))
ORDER BY tenant_id
