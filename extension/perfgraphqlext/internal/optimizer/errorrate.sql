-- Errors per endpoint of tenant $1 in the current period [$3, $4) and the previous equal
-- period [$2, $3): requests, errors and 5xx answers. An endpoint is a candidate of the rise
-- rule with at least $5 requests in both periods, of the state rule with at least $6 requests
-- in the current one and a 5xx share of at least $7; the rules themselves are applied in Go.
WITH c AS (SELECT endpoint_id, sum(requests) AS n, sum(errors) AS e, sum(status_5xx) AS s5 FROM perf_endpoint_range($1, $3, $4) GROUP BY endpoint_id),
     p AS (SELECT endpoint_id, sum(requests) AS n, sum(errors) AS e FROM perf_endpoint_range($1, $2, $3) GROUP BY endpoint_id)
SELECT c.endpoint_id, coalesce(x.method, ''), coalesce(x.route, ''), coalesce(s.name, ''), c.n, c.e, c.s5,
       coalesce(p.n, 0), coalesce(p.e, 0)
FROM c
LEFT JOIN p USING (endpoint_id)
JOIN perf_endpoints x ON x.tenant_id = $1 AND x.endpoint_id = c.endpoint_id
LEFT JOIN perf_services s ON s.tenant_id = $1 AND s.service_id = x.service_id
WHERE (c.n >= $5 AND p.n >= $5) OR (c.n >= $6 AND c.s5 >= $7::float8 * c.n)
ORDER BY c.endpoint_id
