SELECT s.tenant_id, s.name, s.service_id,
       (SELECT count(*) FROM perf_endpoints e
        WHERE e.tenant_id = s.tenant_id AND e.service_id = s.service_id) AS endpoints
FROM perf_services s
JOIN unnest($1::integer[], $2::text[]) AS k(tenant_id, name)
  ON s.tenant_id = k.tenant_id AND s.name = k.name
