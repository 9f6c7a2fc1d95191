-- Tenants the optimization engine looks at: those refreshed since its previous run ($1,
-- names), those with active recommendations (which resolve once a run no longer detects
-- them), and on its first run in this process ($2) those refreshed in the last two days (the
-- refresh log's retention), whose data may predate the process. Idle tenants are skipped.
SELECT t.name
FROM perf_tenants t
WHERE t.name = ANY($1::text[])
   OR t.tenant_id IN (SELECT tenant_id FROM perf_recommendations WHERE status = 'ACTIVE'
                      UNION
                      SELECT tenant_id FROM perf_rollup_refresh_log WHERE $2::boolean)
ORDER BY t.tenant_id
