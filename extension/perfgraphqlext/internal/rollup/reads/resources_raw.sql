-- Resource series from the minute samples, for intervals under an hour.
SELECT date_bin($4::interval, m.ts, '2000-01-01 00:00:00+00') b,
        avg(cpu_usage_percent), max(cpu_usage_percent),
        avg(memory_used_bytes) / 1048576.0, max(memory_used_bytes) / 1048576.0, max(memory_total_bytes) / 1048576.0,
        avg(heap_used_bytes) / 1048576.0, max(heap_total_bytes) / 1048576.0,
        avg(event_loop_lag_ms), avg(active_connections), count(DISTINCT m.instance_id)
    FROM system_resource_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($5::integer IS NULL OR i.service_id = $5)
    GROUP BY 1 ORDER BY 1
