-- The earliest server or consumer span of one trace ($4) of a tenant in the window.
SELECT a.ts, a.duration_us, e.method, e.route, s.name
    FROM api_performance_log a
    JOIN perf_endpoints e ON e.tenant_id = a.tenant_id AND e.endpoint_id = a.endpoint_id
    JOIN perf_services s ON s.tenant_id = a.tenant_id AND s.service_id = a.service_id
    WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3 AND a.trace_id = $4
    ORDER BY a.ts
    LIMIT 1
