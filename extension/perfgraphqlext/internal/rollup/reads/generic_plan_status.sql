-- Whether the scheduler could make a generic plan of fingerprint $2 of tenant $1, per
-- monitored database (its latest attempt, whatever the range).
SELECT db_namespace, status, message, plan_hash, checked_at
  FROM perf_generic_plan_status
 WHERE tenant_id = $1 AND fingerprint = $2
 ORDER BY db_namespace
