-- Connection pools of tenant $1 in [$2, $3), per instance and pool, from the per-minute
-- samples of db_pool_metrics: utilization = used / max in percent.
SELECT m.instance_id, m.pool_name, coalesce(s.name, ''), coalesce(i.host_name, ''), coalesce(i.service_instance_id, ''),
       count(*) FILTER (WHERE m.max > 0 AND m.used IS NOT NULL) AS util_n,
       coalesce(max(m.max), 0) AS max_size,
       coalesce(max(m.used), 0) AS peak_used,
       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY 100.0 * m.used / m.max) FILTER (WHERE m.max > 0), 0) AS p95_util,
       coalesce(max(100.0 * m.used / m.max) FILTER (WHERE m.max > 0), 0) AS peak_util,
       coalesce(avg(100.0 * m.used / m.max) FILTER (WHERE m.max > 0), 0) AS avg_util,
       count(*) AS samples,
       count(*) FILTER (WHERE m.pending_requests > 0) AS pending_minutes,
       coalesce(max(m.pending_requests), 0) AS pending_max,
       coalesce(avg(m.wait_time_ms), 0) AS wait_avg,
       coalesce(max(m.wait_time_ms), 0) AS wait_max
FROM db_pool_metrics m
LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
LEFT JOIN perf_services s ON s.tenant_id = m.tenant_id AND s.service_id = i.service_id
WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3
GROUP BY m.instance_id, m.pool_name, s.name, i.host_name, i.service_instance_id
ORDER BY m.instance_id, m.pool_name
