-- Resource usage of tenant $1 in [$2, $3) per instance, from the per-minute samples of
-- system_resource_metrics: CPU minutes above $4 %, least-squares lines of memory and heap
-- against time (seconds since $2; regr_* skip NULL samples), event-loop lag above $5 ms.
SELECT r.instance_id, coalesce(s.name, ''), coalesce(i.host_name, ''), coalesce(i.service_instance_id, ''),
       count(r.cpu_usage_percent), coalesce(avg(r.cpu_usage_percent), 0), coalesce(max(r.cpu_usage_percent), 0),
       count(*) FILTER (WHERE r.cpu_usage_percent > $4),
       regr_count(r.memory_used_bytes::float8, r.x), regr_slope(r.memory_used_bytes::float8, r.x),
       regr_intercept(r.memory_used_bytes::float8, r.x), regr_r2(r.memory_used_bytes::float8, r.x),
       min(r.x) FILTER (WHERE r.memory_used_bytes IS NOT NULL), max(r.x) FILTER (WHERE r.memory_used_bytes IS NOT NULL),
       max(r.memory_total_bytes)::float8,
       regr_count(r.heap_used_bytes::float8, r.x), regr_slope(r.heap_used_bytes::float8, r.x),
       regr_intercept(r.heap_used_bytes::float8, r.x), regr_r2(r.heap_used_bytes::float8, r.x),
       min(r.x) FILTER (WHERE r.heap_used_bytes IS NOT NULL), max(r.x) FILTER (WHERE r.heap_used_bytes IS NOT NULL),
       max(r.heap_total_bytes)::float8,
       count(r.event_loop_lag_ms),
       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY r.event_loop_lag_ms), 0),
       coalesce(avg(r.event_loop_lag_ms), 0), coalesce(max(r.event_loop_lag_ms), 0),
       count(*) FILTER (WHERE r.event_loop_lag_ms > $5)
FROM (SELECT m.*, extract(epoch FROM m.ts - $2::timestamptz)::float8 AS x
        FROM system_resource_metrics m
       WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3) r
LEFT JOIN perf_instances i ON i.tenant_id = r.tenant_id AND i.instance_id = r.instance_id
LEFT JOIN perf_services s ON s.tenant_id = r.tenant_id AND s.service_id = i.service_id
GROUP BY r.instance_id, s.name, i.host_name, i.service_instance_id
ORDER BY r.instance_id
