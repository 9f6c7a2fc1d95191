-- Statements of tenant $1 executed in [$2, $3) with a leading-wildcard LIKE literal (as the
-- queryhash processor classed the pattern before redaction): at least $4 such executions
-- taking at least $5 µs together, most time first (at most $6), with the endpoints that
-- issued them (most time first, from the rollups), the services that ran them and the stored
-- normalized statement. The class is written as a constant, not a parameter, so that the
-- partial index query_performance_log_leading_wildcard serves the scan; 3 is
-- likeclass.LeadingWildcard (a test pins it).
WITH l AS (
    SELECT fingerprint, count(*) AS calls, sum(duration_us) AS sum_us, max(duration_us) AS max_us,
           array_agg(DISTINCT service_id) AS sids
    FROM query_performance_log
    WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND like_pattern = 3
    GROUP BY fingerprint
    HAVING count(*) >= $4 AND sum(duration_us) >= $5::bigint
    ORDER BY sum(duration_us) DESC
    LIMIT $6
)
SELECT l.fingerprint, l.calls, l.sum_us, l.max_us, coalesce(qf.normalized_text, ''), coalesce(qf.db_system, ''),
       coalesce((SELECT array_agg(z.name ORDER BY z.t DESC, z.name)
                   FROM (SELECT CASE WHEN e.method <> '' THEN e.method || ' ' || e.route ELSE e.route END AS name, sum(r.sum_us) AS t
                           FROM perf_query_range($1, $2, $3) r
                           JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = r.endpoint_id
                          WHERE r.fingerprint = l.fingerprint
                          GROUP BY 1) z), '{}'),
       coalesce((SELECT array_agg(s.name ORDER BY s.name) FROM perf_services s
                  WHERE s.tenant_id = $1 AND s.service_id = ANY(l.sids)), '{}')
FROM l
LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = l.fingerprint
ORDER BY l.sum_us DESC
