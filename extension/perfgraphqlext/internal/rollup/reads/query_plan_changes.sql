-- The plan changes of fingerprint $4 of tenant $1 in [$2, $3), the latest first; at most $5.
SELECT db_namespace, source, changed_at, old_plan_hash, new_plan_hash
  FROM perf_query_plan_changes
 WHERE tenant_id = $1 AND fingerprint = $4 AND changed_at >= $2 AND changed_at < $3
 ORDER BY changed_at DESC, db_namespace, source
 LIMIT $5
