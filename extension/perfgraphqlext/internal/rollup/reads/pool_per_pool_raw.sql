-- pool_per_pool.sql from the minute samples (see pool_summary_raw.sql).
SELECT coalesce(s.name, ''), coalesce(i.host_name || '/' || i.service_instance_id, ''), m.pool_name,
    avg(m.used)::float8, max(m.used)::float8, avg(m.idle)::float8, max(m.max)::float8,
    avg(100.0 * m.used / m.max) FILTER (WHERE m.max > 0 AND m.used IS NOT NULL),
    max(100.0 * m.used / m.max) FILTER (WHERE m.max > 0),
    max(m.pending_requests)::float8, avg(m.wait_time_ms)::float8
    FROM db_pool_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    LEFT JOIN perf_services s ON s.tenant_id = m.tenant_id AND s.service_id = i.service_id
    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($4::integer IS NULL OR i.service_id = $4)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT $5
