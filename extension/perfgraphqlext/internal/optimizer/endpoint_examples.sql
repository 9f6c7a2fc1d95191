-- Example requests of endpoints $4 (tenant $1, [$2, $3)): the 3 slowest (errors only when
-- $5), with their trace ids (32 hex digits).
SELECT endpoint_id, replace(trace_id::text, '-', '')
FROM (
    SELECT endpoint_id, trace_id,
           row_number() OVER (PARTITION BY endpoint_id ORDER BY duration_us DESC, ts DESC) AS rn
    FROM api_performance_log
    WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND endpoint_id = ANY($4) AND (NOT $5 OR is_error)
) x
WHERE rn <= 3
ORDER BY endpoint_id, rn
