-- Example executions: the 3 slowest executions of each fingerprint in $4 (tenant $1,
-- [$2, $3)), with their trace id (32 hex digits) and the db.namespace they ran in.
-- They lie in the fingerprint's 3 hours with the highest max_us (an execution outside them
-- has 3 slower ones, one in each), so only those hours of the log are read, found from the
-- hourly rollups, instead of every execution of the window.
WITH h AS (
    SELECT fingerprint, bucket
    FROM (SELECT fingerprint, bucket, row_number() OVER (PARTITION BY fingerprint ORDER BY max(max_us) DESC, bucket DESC) AS rn
          FROM perf_query_hourly
          WHERE tenant_id = $1 AND bucket >= date_trunc('hour', $2::timestamptz, 'UTC') AND bucket < $3 AND fingerprint = ANY($4)
          GROUP BY fingerprint, bucket) x
    WHERE rn <= 3
)
SELECT x.fingerprint, replace(x.trace_id::text, '-', ''), x.duration_us, coalesce(d.db_namespace, '')
FROM (
    SELECT q.fingerprint, q.trace_id, q.duration_us, q.db_id,
           row_number() OVER (PARTITION BY q.fingerprint ORDER BY q.duration_us DESC, q.ts DESC) AS rn
    FROM h
    JOIN query_performance_log q
      ON q.tenant_id = $1 AND q.ts >= h.bucket AND q.ts < h.bucket + interval '1 hour' AND q.fingerprint = h.fingerprint
    WHERE q.ts >= $2 AND q.ts < $3
) x
LEFT JOIN perf_databases d ON d.tenant_id = $1 AND d.db_id = x.db_id
WHERE x.rn <= 3
ORDER BY x.fingerprint, x.rn
