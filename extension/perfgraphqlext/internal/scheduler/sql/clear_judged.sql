-- After an engine run of the tenant ($1): its new data is judged once a logged run
-- (perf_optimizer_runs, written only when the run's results were stored) started at or after
-- the mark. A run that failed to store leaves the mark, and the next due tick runs again.
DELETE FROM perf_optimizer_pending p
USING perf_tenants t
WHERE t.name = $1 AND p.tenant_id = t.tenant_id
  AND p.data_at <= (SELECT max(r.started_at) FROM perf_optimizer_runs r WHERE r.tenant_id = t.tenant_id)
