-- One row per service, instance and pool over the window ($5 limit).
SELECT coalesce(s.name, ''), coalesce(i.host_name || '/' || i.service_instance_id, ''), p.pool_name,
    sum(used_sum) / nullif(sum(used_n), 0), max(used_max), sum(idle_sum) / nullif(sum(idle_n), 0), max(max_max),
    sum(util_sum) / nullif(sum(util_n), 0), max(util_max), max(pending_max), sum(wait_sum) / nullif(sum(wait_n), 0)
    FROM perf_pool_hourly p
    LEFT JOIN perf_instances i ON i.tenant_id = p.tenant_id AND i.instance_id = p.instance_id
    LEFT JOIN perf_services s ON s.tenant_id = p.tenant_id AND s.service_id = p.service_id
    WHERE p.tenant_id = $1 AND p.bucket >= $2 AND p.bucket < $3 AND ($4::integer IS NULL OR p.service_id = $4)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT $5
