SELECT e.tenant_id, e.service_id, e.span_kind, e.method, e.route, e.endpoint_id
FROM perf_endpoints e
JOIN unnest($1::integer[], $2::int[], $3::text[], $4::text[], $5::text[])
  AS k(tenant_id, service_id, span_kind, method, route)
  ON e.tenant_id = k.tenant_id AND e.service_id = k.service_id AND e.span_kind = k.span_kind
 AND e.method = k.method AND e.route = k.route
