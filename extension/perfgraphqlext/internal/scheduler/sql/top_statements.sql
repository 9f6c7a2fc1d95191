-- The statements of a target that carried the most load on its server: the top $4 by total
-- execution time since $3 in perf_query_server_hourly (pg_stat_statements deltas), with their
-- normalized text ($1 tenant name, $2 db_namespace).
SELECT h.fingerprint, s.normalized_text
  FROM perf_query_server_hourly h
  JOIN perf_tenants t ON t.tenant_id = h.tenant_id
  JOIN perf_server_statements s
    ON s.tenant_id = h.tenant_id AND s.db_namespace = h.db_namespace AND s.fingerprint = h.fingerprint
 WHERE t.name = $1 AND h.db_namespace = $2 AND h.bucket >= $3
 GROUP BY h.fingerprint, s.normalized_text
 ORDER BY sum(h.total_exec_ms) DESC, h.fingerprint
 LIMIT $4
