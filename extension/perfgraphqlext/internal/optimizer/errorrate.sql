-- Error rate per endpoint of tenant $1 in the current period [$3, $4) and the previous equal
-- period [$2, $3); endpoints with at least $5 requests in both.
WITH c AS (SELECT endpoint_id, sum(requests) AS n, sum(errors) AS e FROM perf_endpoint_range($1, $3, $4) GROUP BY endpoint_id),
     p AS (SELECT endpoint_id, sum(requests) AS n, sum(errors) AS e FROM perf_endpoint_range($1, $2, $3) GROUP BY endpoint_id)
SELECT c.endpoint_id, coalesce(x.method, ''), coalesce(x.route, ''), coalesce(s.name, ''), c.n, c.e, p.n, p.e
FROM c
JOIN p USING (endpoint_id)
JOIN perf_endpoints x ON x.tenant_id = $1 AND x.endpoint_id = c.endpoint_id
LEFT JOIN perf_services s ON s.tenant_id = $1 AND s.service_id = x.service_id
WHERE c.n >= $5 AND p.n >= $5
ORDER BY c.endpoint_id
