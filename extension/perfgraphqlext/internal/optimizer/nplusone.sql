-- N+1: groups of DB spans of tenant $1 in [$2, $3) with the same fingerprint under the same
-- parent span of the same trace, at least $4 of them taking at least $5 µs together. A group's
-- endpoint is the endpoint of its spans, else the request of the same trace and service whose
-- [ts, ts + duration] contains the group's first span (as the rollups attribute). Aggregated
-- per endpoint and fingerprint, most time wasted first (at most $6): wasted = the group's
-- time minus one execution of average duration (what a single batched query would cost).
WITH g AS MATERIALIZED (
    SELECT trace_id, parent_span_id, fingerprint, count(*) AS n, sum(duration_us) AS su,
           max(endpoint_id) AS ep, min(service_id) AS svc, min(ts) AS t0
    FROM query_performance_log
    WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND parent_span_id <> 0
    GROUP BY trace_id, parent_span_id, fingerprint
    HAVING count(*) >= $4 AND sum(duration_us) >= $5
), a AS (
    SELECT DISTINCT ON (g.trace_id, g.parent_span_id, g.fingerprint)
           g.trace_id, g.fingerprint, g.n, g.su,
           CASE WHEN g.ep <> 0 THEN g.ep ELSE coalesce(r.endpoint_id, 0) END AS endpoint_id
    FROM g
    LEFT JOIN api_performance_log r
      ON g.ep = 0 AND r.tenant_id = $1 AND r.trace_id = g.trace_id AND r.service_id = g.svc
     AND r.ts >= $2::timestamptz - interval '36 minutes' AND r.ts < $3
     AND r.ts <= g.t0 AND r.ts + r.duration_us * interval '1 microsecond' >= g.t0
    ORDER BY g.trace_id, g.parent_span_id, g.fingerprint, r.ts DESC NULLS LAST
), agg AS (
    SELECT endpoint_id, fingerprint, count(*) AS requests, sum(n) AS executions, max(n) AS max_reps,
           sum(su) AS sum_us, sum(su - su / n) AS wasted_us,
           (array_agg(replace(trace_id::text, '-', '') ORDER BY n DESC, su DESC, trace_id))[1:3] AS traces
    FROM a
    GROUP BY endpoint_id, fingerprint
    ORDER BY sum(su - su / n) DESC
    LIMIT $6
)
SELECT agg.endpoint_id, agg.fingerprint, agg.requests, agg.executions, agg.max_reps, agg.sum_us, agg.wasted_us, agg.traces,
       coalesce(e.method, ''), coalesce(e.route, ''), coalesce(t.requests, 0),
       coalesce(qf.normalized_text, ''), coalesce(qf.collection, '')
FROM agg
LEFT JOIN perf_endpoints e ON e.tenant_id = $1 AND e.endpoint_id = agg.endpoint_id
LEFT JOIN (SELECT endpoint_id, sum(requests) AS requests FROM perf_endpoint_range($1, $2, $3) GROUP BY endpoint_id) t
       ON t.endpoint_id = agg.endpoint_id
LEFT JOIN query_fingerprints qf ON qf.tenant_id = $1 AND qf.fingerprint = agg.fingerprint
ORDER BY agg.wasted_us DESC
