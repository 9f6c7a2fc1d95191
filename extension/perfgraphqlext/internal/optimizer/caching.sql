-- Caching opportunities: server endpoints of tenant $1 in [$2, $3) with a method in $7, more
-- than $4 requests, an average above $5 µs and at most $6 unsuccessful (error, 4xx or 5xx)
-- share; most total time first (at most $8).
WITH e AS (
    SELECT endpoint_id, sum(requests) AS requests, sum(errors) AS errors, sum(status_4xx) AS s4,
           sum(status_5xx) AS s5, sum(sum_us) AS sum_us, max(max_us) AS max_us
    FROM perf_endpoint_range($1, $2, $3)
    GROUP BY endpoint_id
)
SELECT e.endpoint_id, p.method, p.route, coalesce(s.name, ''), e.requests, e.errors, e.s4, e.s5, e.sum_us, e.max_us
FROM e
JOIN perf_endpoints p ON p.tenant_id = $1 AND p.endpoint_id = e.endpoint_id
LEFT JOIN perf_services s ON s.tenant_id = $1 AND s.service_id = p.service_id
WHERE p.span_kind = 'server' AND upper(p.method) = ANY($7)
  AND e.requests > $4 AND e.sum_us::float8 / e.requests > $5
  AND (greatest(e.errors, e.s5) + e.s4)::float8 / e.requests <= $6
ORDER BY e.sum_us DESC
LIMIT $8
