-- The latest plan of each statement (database, fingerprint, source) of tenant $1 seen in
-- [$2, $3), with the statement's normalized text (the client's, else the server's), whether
-- the client saw it run with a leading-wildcard LIKE literal in the window (like_pattern 3 is
-- likeclass.LeadingWildcard, written as a constant so the partial index serves it), and the
-- server's pg_stat_statements figures of the window (NULL without a target snapshot).
WITH p AS (
    SELECT DISTINCT ON (db_namespace, fingerprint, source)
           db_namespace, fingerprint, source, plan_hash, plan, plan_text, times_seen, exec_total_ms, last_seen
      FROM perf_query_plans
     WHERE tenant_id = $1 AND last_seen >= $2 AND last_seen < $3
     ORDER BY db_namespace, fingerprint, source, last_seen DESC, plan_hash
), s AS (
    SELECT db_namespace, fingerprint, sum(calls)::int8 AS calls, sum(total_exec_ms) AS total_ms,
           sum(rows)::int8 AS rows, sum(shared_blks_hit)::int8 AS hit, sum(shared_blks_read)::int8 AS rd,
           sum(temp_blks_written)::int8 AS temp_w
      FROM perf_query_server_hourly
     WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3
     GROUP BY 1, 2
)
SELECT p.db_namespace, p.fingerprint, p.source, p.plan_hash, p.plan::text, p.plan_text, p.times_seen,
       p.exec_total_ms, p.last_seen,
       coalesce(qf.normalized_text, ss.normalized_text, ''),
       EXISTS (SELECT 1 FROM query_performance_log q
                WHERE q.tenant_id = $1 AND q.ts >= $2 AND q.ts < $3 AND q.like_pattern = 3 AND q.fingerprint = p.fingerprint),
       s.calls, s.total_ms, s.rows, s.hit, s.rd, s.temp_w
  FROM p
  LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = p.fingerprint
  LEFT JOIN perf_server_statements ss ON ss.tenant_id = $1 AND ss.db_namespace = p.db_namespace AND ss.fingerprint = p.fingerprint
  LEFT JOIN s ON s.db_namespace = p.db_namespace AND s.fingerprint = p.fingerprint
 ORDER BY p.db_namespace, p.fingerprint, p.source
