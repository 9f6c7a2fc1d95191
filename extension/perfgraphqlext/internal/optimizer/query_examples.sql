-- Example executions: the 3 slowest executions of each fingerprint in $4 (tenant $1,
-- [$2, $3)), with their trace id (32 hex digits) and the db.namespace they ran in.
SELECT x.fingerprint, replace(x.trace_id::text, '-', ''), x.duration_us, coalesce(d.db_namespace, '')
FROM (
    SELECT q.fingerprint, q.trace_id, q.duration_us, q.db_id,
           row_number() OVER (PARTITION BY q.fingerprint ORDER BY q.duration_us DESC, q.ts DESC) AS rn
    FROM query_performance_log q
    WHERE q.tenant_id = $1 AND q.ts >= $2 AND q.ts < $3 AND q.fingerprint = ANY($4)
) x
LEFT JOIN perf_databases d ON d.tenant_id = $1 AND d.db_id = x.db_id
WHERE x.rn <= 3
ORDER BY x.fingerprint, x.rn
