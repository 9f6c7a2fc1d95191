-- Example executions: the 3 slowest executions of each fingerprint in $4 (tenant $1,
-- [$2, $3)), with their trace id (32 hex digits) and the db.namespace they ran in.
-- They lie in the fingerprint's 3 hours with the highest max_us (an execution outside them
-- has 3 slower ones, one in each), so only those hours of the log are read, found from the
-- hourly rollups, instead of every execution of the window; and of each hour only its 3
-- slowest can be among them.
-- Both steps are LATERAL ... LIMIT 3 per fingerprint (and hour): the plan is then a loop over
-- the fingerprints whatever the statistics say. As one join, once the rollups had statistics
-- the planner expected every hourly row of a busy fingerprint to survive the top-3 filter and
-- chose to sort the window's whole log for a merge join (seconds instead of milliseconds).
WITH f AS (
    SELECT DISTINCT fingerprint FROM unnest($4::bigint[]) fingerprint
), h AS (
    SELECT f.fingerprint, b.bucket
    FROM f
    CROSS JOIN LATERAL (
        SELECT bucket
        FROM perf_query_hourly
        WHERE tenant_id = $1 AND fingerprint = f.fingerprint
          AND bucket >= date_trunc('hour', $2::timestamptz, 'UTC') AND bucket < $3
        GROUP BY bucket
        ORDER BY max(max_us) DESC, bucket DESC
        LIMIT 3) b
)
SELECT x.fingerprint, replace(x.trace_id::text, '-', ''), x.duration_us, coalesce(d.db_namespace, '')
FROM (
    SELECT h.fingerprint, q.trace_id, q.duration_us, q.db_id,
           row_number() OVER (PARTITION BY h.fingerprint ORDER BY q.duration_us DESC, q.ts DESC) AS rn
    FROM h
    CROSS JOIN LATERAL (
        SELECT q.trace_id, q.duration_us, q.db_id, q.ts
        FROM query_performance_log q
        WHERE q.tenant_id = $1 AND q.ts >= h.bucket AND q.ts < h.bucket + interval '1 hour' AND q.fingerprint = h.fingerprint
          AND q.ts >= $2 AND q.ts < $3
        ORDER BY q.duration_us DESC, q.ts DESC
        LIMIT 3) q
) x
LEFT JOIN perf_databases d ON d.tenant_id = $1 AND d.db_id = x.db_id
WHERE x.rn <= 3
ORDER BY x.fingerprint, x.rn
