-- Plan changes of tenant $1's statements in [$2, $3) (the latest change of each statement and
-- source), with the old and the new plan's figures: for actual plans the mean of
-- auto_explain's logged execution times under each plan; for generic plans (no execution
-- times of their own) pg_stat_statements' mean over the hours before the change's hour
-- (within $4 of it) and after it, NULL when a side has no calls.
WITH c AS (
    SELECT DISTINCT ON (db_namespace, fingerprint, source) db_namespace, fingerprint, source, changed_at, old_plan_hash, new_plan_hash
      FROM perf_query_plan_changes
     WHERE tenant_id = $1 AND changed_at >= $2 AND changed_at < $3
     ORDER BY db_namespace, fingerprint, source, changed_at DESC
)
SELECT c.db_namespace, c.fingerprint, c.source, c.changed_at, c.old_plan_hash, c.new_plan_hash,
       o.plan_text, n.plan_text, o.plan::text, n.plan::text,
       CASE WHEN c.source = 'actual' THEN o.times_seen ELSE b.calls END::int8,
       CASE WHEN c.source = 'actual' THEN o.exec_total_ms / nullif(o.times_seen, 0) ELSE b.total_ms / nullif(b.calls, 0) END,
       CASE WHEN c.source = 'actual' THEN n.times_seen ELSE a.calls END::int8,
       CASE WHEN c.source = 'actual' THEN n.exec_total_ms / nullif(n.times_seen, 0) ELSE a.total_ms / nullif(a.calls, 0) END,
       coalesce(qf.normalized_text, ss.normalized_text, '')
  FROM c
  JOIN perf_query_plans o ON o.tenant_id = $1 AND o.db_namespace = c.db_namespace AND o.fingerprint = c.fingerprint
                         AND o.source = c.source AND o.plan_hash = c.old_plan_hash
  JOIN perf_query_plans n ON n.tenant_id = $1 AND n.db_namespace = c.db_namespace AND n.fingerprint = c.fingerprint
                         AND n.source = c.source AND n.plan_hash = c.new_plan_hash
  LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = c.fingerprint
  LEFT JOIN perf_server_statements ss ON ss.tenant_id = $1 AND ss.db_namespace = c.db_namespace AND ss.fingerprint = c.fingerprint
  LEFT JOIN LATERAL (
      SELECT sum(h.calls)::int8 AS calls, sum(h.total_exec_ms) AS total_ms FROM perf_query_server_hourly h
       WHERE h.tenant_id = $1 AND h.db_namespace = c.db_namespace AND h.fingerprint = c.fingerprint
         AND h.bucket < date_trunc('hour', c.changed_at, 'UTC') AND h.bucket >= c.changed_at - $4::interval) b ON c.source = 'generic'
  LEFT JOIN LATERAL (
      SELECT sum(h.calls)::int8 AS calls, sum(h.total_exec_ms) AS total_ms FROM perf_query_server_hourly h
       WHERE h.tenant_id = $1 AND h.db_namespace = c.db_namespace AND h.fingerprint = c.fingerprint
         AND h.bucket > date_trunc('hour', c.changed_at, 'UTC')) a ON c.source = 'generic'
 ORDER BY c.db_namespace, c.fingerprint, c.source
