-- Example requests of endpoints $4 (tenant $1, [$2, $3)): the 3 slowest (errors only when
-- $5), with their trace ids (32 hex digits). They lie in the endpoint's 3 hours with the
-- highest max_us (for errors: the highest error-histogram bucket, within 2%), found from the
-- hourly rollups, so only those hours of the log are read: each hour once, for every endpoint
-- that chose it. The hour's read is a LATERAL subquery with OFFSET 0, which the planner cannot
-- flatten into a join: it runs as a loop over the hours whatever the statistics say. As a
-- plain join, once the tables had statistics the planner hashed the hours against every
-- (failed) request of the window instead: a 30-day window read all its days (~1 s).
WITH h AS (
    SELECT endpoint_id, bucket
    FROM (SELECT endpoint_id, bucket,
                 row_number() OVER (PARTITION BY endpoint_id
                                    ORDER BY CASE WHEN $5 THEN err_idx[array_upper(err_idx, 1)]::bigint ELSE max_us END DESC NULLS LAST,
                                             bucket DESC) AS rn
          FROM perf_endpoint_hourly
          WHERE tenant_id = $1 AND bucket >= date_trunc('hour', $2::timestamptz, 'UTC') AND bucket < $3
            AND endpoint_id = ANY($4) AND (NOT $5 OR errors > 0)) x
    WHERE rn <= 3
), hb AS (
    SELECT bucket, array_agg(endpoint_id) AS endpoints FROM h GROUP BY bucket
)
SELECT endpoint_id, replace(trace_id::text, '-', '')
FROM (
    SELECT a.endpoint_id, a.trace_id,
           row_number() OVER (PARTITION BY a.endpoint_id ORDER BY a.duration_us DESC, a.ts DESC) AS rn
    FROM hb
    CROSS JOIN LATERAL (
        SELECT a.endpoint_id, a.trace_id, a.duration_us, a.ts
        FROM api_performance_log a
        WHERE a.tenant_id = $1 AND a.ts >= hb.bucket AND a.ts < hb.bucket + interval '1 hour' AND a.endpoint_id = ANY(hb.endpoints)
          AND a.ts >= $2 AND a.ts < $3 AND (NOT $5 OR a.is_error)
        OFFSET 0
    ) a
) x
WHERE rn <= 3
ORDER BY endpoint_id, rn
