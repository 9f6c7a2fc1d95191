-- N+1 per endpoint and fingerprint of tenant $1 in the hours [$2, $3), from the hourly N+1
-- groups (perf_refresh_nplusone_hour) under the rule ($4 executions, $5 µs): the hours
-- computed with another rule were re-computed just before (nplusone_stale.sql), except the
-- sealed ones, whose groups are the record under the rule they were sealed with. Every group
-- (request) that loops counts; a pattern is reported when at least one of its groups reached
-- the duration rule (gated > 0). Groups without an endpoint (endpoint_id 0: no request found
-- for their spans) are never reported (nplusone_unattributed.sql counts them). Most time
-- wasted first (at most $6); the 3 example traces are the groups with most executions, then
-- most time, across the hours. The endpoint's requests and their total time are those of the
-- same window (perf_endpoint_range), the denominator of affected_share and latency_share.
WITH c AS MATERIALIZED (
    SELECT h.*
    FROM perf_nplusone_hourly h
    JOIN perf_nplusone_hours k
      ON k.tenant_id = h.tenant_id AND k.bucket = h.bucket
     AND (k.min_repetitions = $4 AND k.min_total_us = $5
          OR EXISTS (SELECT 1 FROM perf_sealed_hours s WHERE s.tenant_id = h.tenant_id AND s.bucket = h.bucket))
    WHERE h.tenant_id = $1 AND h.bucket >= $2 AND h.bucket < $3 AND h.endpoint_id <> 0
), agg AS (
    SELECT endpoint_id, fingerprint, sum(requests)::bigint AS requests, sum(executions)::bigint AS executions,
           max(max_reps) AS max_reps, sum(sum_us)::bigint AS sum_us, sum(wasted_us)::bigint AS wasted_us,
           sum(gated)::bigint AS gated
    FROM c
    GROUP BY endpoint_id, fingerprint
    HAVING sum(gated) > 0
    ORDER BY sum(wasted_us) DESC
    LIMIT $6
), ex AS (
    SELECT c.endpoint_id, c.fingerprint,
           (array_agg(replace(t.id::text, '-', '') ORDER BY t.n DESC, t.su DESC, t.id))[1:3] AS traces
    FROM c
    JOIN agg USING (endpoint_id, fingerprint)
    CROSS JOIN LATERAL unnest(c.trace_ids, c.trace_reps, c.trace_us) t(id, n, su)
    GROUP BY c.endpoint_id, c.fingerprint
)
SELECT agg.endpoint_id, agg.fingerprint, agg.requests, agg.executions, agg.max_reps, agg.sum_us, agg.wasted_us, agg.gated,
       coalesce(ex.traces, '{}'), coalesce(e.method, ''), coalesce(e.route, ''), coalesce(t.requests, 0)::bigint,
       coalesce(t.sum_us, 0)::bigint,
       coalesce(qf.normalized_text, ''), coalesce(qf.collection, ''), coalesce(s.name, '')
FROM agg
LEFT JOIN ex USING (endpoint_id, fingerprint)
LEFT JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = agg.endpoint_id
LEFT JOIN perf_services s ON s.tenant_id = $1 AND s.service_id = e.service_id
LEFT JOIN (SELECT endpoint_id, sum(requests) AS requests, sum(sum_us) AS sum_us FROM perf_endpoint_range($1, $2, $3) GROUP BY endpoint_id) t
       ON t.endpoint_id = agg.endpoint_id
LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = agg.fingerprint
ORDER BY agg.wasted_us DESC
