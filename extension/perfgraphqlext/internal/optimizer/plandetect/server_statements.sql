-- pg_stat_statements figures of tenant $1's statements over the hours of [$2, $3), per
-- database and fingerprint, with the statement's normalized text: those that read at least
-- $4 shared blocks or wrote at least $5 temp blocks (the only ones a rule can fire on).
SELECT s.db_namespace, s.fingerprint, sum(s.calls)::int8, sum(s.total_exec_ms), sum(s.rows)::int8,
       sum(s.shared_blks_hit)::int8, sum(s.shared_blks_read)::int8, sum(s.temp_blks_written)::int8,
       coalesce(min(qf.normalized_text), min(ss.normalized_text), '')
  FROM perf_query_server_hourly s
  LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = s.fingerprint
  LEFT JOIN perf_server_statements ss ON ss.tenant_id = $1 AND ss.db_namespace = s.db_namespace AND ss.fingerprint = s.fingerprint
 WHERE s.tenant_id = $1 AND s.bucket >= $2 AND s.bucket < $3
 GROUP BY s.db_namespace, s.fingerprint
HAVING sum(s.calls) > 0 AND (sum(s.shared_blks_read) >= $4 OR sum(s.temp_blks_written) >= $5)
 ORDER BY s.db_namespace, s.fingerprint
