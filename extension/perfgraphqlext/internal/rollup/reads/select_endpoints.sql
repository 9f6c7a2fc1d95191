-- A tenant's endpoints, filtered by endpoint ($2: route or "METHOD route") and service ($3); NULL matches all.
SELECT e.endpoint_id, e.method, e.route, e.span_kind, s.name
    FROM perf_endpoints e JOIN perf_services s ON s.tenant_id = e.tenant_id AND s.service_id = e.service_id
    WHERE e.tenant_id = $1 AND ($2::text IS NULL OR e.route = $2 OR e.method || ' ' || e.route = $2)
      AND ($3::text IS NULL OR s.name = $3)
    ORDER BY e.endpoint_id
