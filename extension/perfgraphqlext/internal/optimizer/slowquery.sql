-- Slow queries: fingerprints of tenant $1 in [$2, $3) (hourly/daily rollups) whose average
-- execution exceeds $4 µs and that ran more than $5 times, by total time (at most $6), with
-- the endpoints that issued them (most time first), the services that ran them and the stored
-- normalized statement.
-- An average above $4 needs one execution above it: the candidates are the fingerprints of
-- the rollup rows whose max_us exceeds $4 (index (tenant_id, max_us)), and
-- only their rows are summed, not those of every fingerprint of the window.
WITH cand AS (
    SELECT DISTINCT fingerprint FROM perf_query_range($1, $2, $3) WHERE max_us > $4::bigint
), q AS (
    SELECT fingerprint, endpoint_id, array_agg(DISTINCT service_id) AS sids, sum(calls) AS calls, sum(sum_us) AS sum_us, max(max_us) AS max_us,
           sum(rows_sum) AS rows_sum, sum(rows_n) AS rows_n, sum(errors) AS errors
    FROM perf_query_range($1, $2, $3)
    WHERE fingerprint IN (SELECT fingerprint FROM cand)
    GROUP BY fingerprint, endpoint_id
), f AS (
    SELECT fingerprint, sum(calls) AS calls, sum(sum_us) AS sum_us, max(max_us) AS max_us,
           sum(rows_sum) AS rows_sum, sum(rows_n) AS rows_n, sum(errors) AS errors,
           array_agg(endpoint_id ORDER BY sum_us DESC) AS eps
    FROM q
    GROUP BY fingerprint
    HAVING sum(calls) > $5 AND sum(sum_us)::float8 / sum(calls) > $4::float8
    ORDER BY sum(sum_us) DESC
    LIMIT $6
)
SELECT f.fingerprint, f.calls, f.sum_us, f.max_us, f.rows_sum, f.rows_n, f.errors,
       coalesce(qf.normalized_text, ''), coalesce(qf.db_system, ''),
       coalesce((SELECT array_agg(CASE WHEN e.method <> '' THEN e.method || ' ' || e.route ELSE e.route END ORDER BY x.o)
                   FROM unnest(f.eps) WITH ORDINALITY x(ep, o)
                   JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = x.ep), '{}'),
       coalesce((SELECT array_agg(s.name ORDER BY s.name) FROM perf_services s
                  WHERE s.tenant_id = $1 AND s.service_id IN (SELECT unnest(q.sids) FROM q WHERE q.fingerprint = f.fingerprint)), '{}')
FROM f
LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = f.fingerprint
ORDER BY f.sum_us DESC
