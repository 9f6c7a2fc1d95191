-- pool_summary.sql from the minute samples, for windows that do not start or end on an hour
-- (the hourly rollups cannot answer part of an hour): the same figures, sample-weighted.
SELECT avg(100.0 * m.used / m.max) FILTER (WHERE m.max > 0 AND m.used IS NOT NULL),
    max(100.0 * m.used / m.max) FILTER (WHERE m.max > 0),
    avg(m.wait_time_ms)::float8, max(m.wait_time_ms)::float8
    FROM db_pool_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($4::integer IS NULL OR i.service_id = $4)
