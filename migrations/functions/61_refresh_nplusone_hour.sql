-- N+1 groups per hour (optimization engine, internal/optimizer/nplusone*.sql).
--
-- The N+1 detector groups DB spans by (trace, parent span, fingerprint); over a 30-day window
-- that is a scan of every DB span of the window on every engine run. Instead the groups of
-- each hour are computed once (perf_refresh_nplusone_hour, under the rule in
-- perf_nplusone_rule, which the engine writes from its configuration) and stored aggregated
-- per endpoint and fingerprint, with the 3 heaviest traces as examples. perf_nplusone_hours
-- records which rule each hour was computed with; a rollup refresh of an hour deletes that
-- record (the hour's data changed), and the engine computes the hours of its window that have
-- none, or one of another rule, before it reads. So the cost is paid once per changed hour,
-- by the engine, and not at all when the engine is off.
--
-- A group is the spans of one hour: a loop that runs across an hour boundary is judged on
-- each side separately (for a 100 ms request, 3 in 100 000 cross one).

-- The N+1 groups of one (tenant, hour) under the current rule. The endpoint of a group is
-- that of its spans, else the request of the same trace and service whose [ts, ts+duration]
-- contains the group's first span (the rollups' attribution rule).
CREATE OR REPLACE FUNCTION perf_refresh_nplusone_hour(p_tenant integer, p_hour timestamptz) RETURNS void
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
    r  perf_nplusone_rule;
BEGIN
    SELECT * INTO r FROM perf_nplusone_rule;
    DELETE FROM perf_nplusone_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_nplusone_hourly
    WITH g AS MATERIALIZED (
        SELECT trace_id, parent_span_id, fingerprint, count(*) AS n, sum(duration_us) AS su,
               max(endpoint_id) AS ep, min(service_id) AS svc, min(ts) AS t0
        FROM query_performance_log
        WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1 AND parent_span_id <> 0
        GROUP BY trace_id, parent_span_id, fingerprint
        HAVING count(*) >= r.min_repetitions AND sum(duration_us) >= r.min_total_us
    ), a AS (
        SELECT DISTINCT ON (g.trace_id, g.parent_span_id, g.fingerprint)
               g.trace_id, g.fingerprint, g.n, g.su,
               CASE WHEN g.ep <> 0 THEN g.ep ELSE coalesce(q.endpoint_id, 0) END AS endpoint_id
        FROM g
        LEFT JOIN api_performance_log q
          ON g.ep = 0 AND q.tenant_id = p_tenant AND q.trace_id = g.trace_id AND q.service_id = g.svc
         AND q.ts >= h0 - interval '36 minutes' AND q.ts < h1
         AND q.ts <= g.t0 AND q.ts + q.duration_us * interval '1 microsecond' >= g.t0
        ORDER BY g.trace_id, g.parent_span_id, g.fingerprint, q.ts DESC NULLS LAST
    ), ranked AS (
        SELECT a.*, row_number() OVER (PARTITION BY endpoint_id, fingerprint ORDER BY n DESC, su DESC, trace_id) AS rk
        FROM a
    )
    SELECT p_tenant, h0, endpoint_id, fingerprint, count(*), sum(n), max(n), sum(su), sum(su - su / n),
           array_agg(trace_id ORDER BY rk) FILTER (WHERE rk <= 3),
           array_agg(n ORDER BY rk) FILTER (WHERE rk <= 3),
           array_agg(su ORDER BY rk) FILTER (WHERE rk <= 3)
    FROM ranked
    GROUP BY endpoint_id, fingerprint;

    INSERT INTO perf_nplusone_hours VALUES (p_tenant, h0, r.min_repetitions, r.min_total_us)
        ON CONFLICT (tenant_id, bucket) DO UPDATE
        SET min_repetitions = excluded.min_repetitions, min_total_us = excluded.min_total_us;
END;
$$;
