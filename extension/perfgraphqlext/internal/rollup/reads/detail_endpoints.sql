-- The endpoints that ran one fingerprint over [$2, $3), by total time ($4 fingerprint, $5 service or NULL, $6 limit).
SELECT coalesce(e.method, ''), coalesce(e.route, ''), coalesce(s.name, ''), sum(r.calls)::bigint, sum(r.sum_us)::bigint
    FROM perf_query_range($1, $2, $3) r
    LEFT JOIN perf_endpoints e ON e.tenant_id = r.tenant_id AND e.endpoint_id = r.endpoint_id
    LEFT JOIN perf_services s ON s.tenant_id = r.tenant_id AND s.service_id = r.service_id
    WHERE r.fingerprint = $4 AND ($5::integer IS NULL OR r.service_id = $5)
    GROUP BY 1, 2, 3 ORDER BY 5 DESC LIMIT $6
