-- The plans of fingerprint $4 of tenant $1 seen in [$2, $3) (first seen before its end, last
-- seen after its start), per monitored database and source, the latest first; at most $5.
-- current: the plan seen last of its database and source (over all time, not only the range).
SELECT p.db_namespace, p.source, p.plan_hash, p.first_seen, p.last_seen, p.times_seen, p.top_node, p.total_cost,
       p.exec_total_ms, p.exec_min_ms, p.exec_max_ms, p.plan_text, p.plan::text,
       p.plan_hash = (SELECT c.plan_hash FROM perf_query_plans c
                       WHERE c.tenant_id = $1 AND c.db_namespace = p.db_namespace AND c.fingerprint = $4 AND c.source = p.source
                       ORDER BY c.last_seen DESC, c.plan_hash LIMIT 1)
  FROM perf_query_plans p
 WHERE p.tenant_id = $1 AND p.fingerprint = $4 AND p.last_seen >= $2 AND p.first_seen < $3
 ORDER BY p.last_seen DESC, p.db_namespace, p.source, p.plan_hash
 LIMIT $5
