-- Names and N+1 context of the dominant-statement candidates of tenant $1: kind 0 the stored
-- statement of each fingerprint ($2), kind 1 the endpoints ($3), kind 2 the services ($4),
-- kind 3 the (fingerprint, endpoint) pairs of $2 that the N+1 detector reports for the hours
-- [$5, $6) under the engine's N+1 rule ($7 executions, $8 µs): attributed groups, at least
-- one of which reached the duration rule (nplusone.sql).
SELECT 0, fingerprint, 0::bigint, normalized_text, collection
    FROM query_fingerprints WHERE tenant_id = $1 AND fingerprint = ANY($2)
UNION ALL
SELECT 1, endpoint_id, 0, method, route FROM perf_endpoints WHERE tenant_id = $1 AND endpoint_id = ANY($3::bigint[])
UNION ALL
SELECT 2, service_id, 0, name, '' FROM perf_services WHERE tenant_id = $1 AND service_id = ANY($4::bigint[])
UNION ALL
SELECT 3, h.fingerprint, h.endpoint_id::bigint, '', ''
    FROM perf_nplusone_hourly h
    JOIN perf_nplusone_hours k
      ON k.tenant_id = h.tenant_id AND k.bucket = h.bucket AND k.min_repetitions = $7 AND k.min_total_us = $8
    WHERE h.tenant_id = $1 AND h.bucket >= $5 AND h.bucket < $6 AND h.fingerprint = ANY($2)
      AND h.endpoint_id <> 0
    GROUP BY h.fingerprint, h.endpoint_id
    HAVING sum(h.gated) > 0
