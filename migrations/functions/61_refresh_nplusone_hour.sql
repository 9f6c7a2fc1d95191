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
-- A group is kept by its repetitions alone (perf_nplusone_rule.min_repetitions): every request
-- whose handler loops counts, whatever its loop took. The duration rule (min_total_us) only
-- counts the groups that reached it (gated), from which the engine decides whether to report
-- the pattern: filtering groups by it would count the requests that happened to be slow (a
-- share that moves with machine load) instead of the requests that loop.
--
-- A group is the spans of one hour: a loop that runs across an hour boundary is judged on
-- each side separately (for a 100 ms request, 3 in 100 000 cross one).

-- The N+1 groups of one (tenant, hour) under the current rule. The endpoint of a group is
-- that of its spans, attributed as the rollups do (perf_attributed_queries); a group whose
-- spans have no request yet is stored with endpoint 0 (the engine never reports those; a
-- request that arrives later marks the hour dirty, and its refresh deletes the hour's record
-- in perf_nplusone_hours, so the group is computed again, attributed). Grouping does not need
-- the endpoint: the traces that hold a group are found first from the raw spans, and only
-- their spans are attributed and grouped again (same groups: a group lies within one trace).
-- Attributing every span of the hour first cost the engine's first 30-day run about twice
-- its time.
-- (plan_cache_mode: the trace list is planned as the constant it is, so the filter can be
-- a hash lookup and its selectivity is known.)
CREATE OR REPLACE FUNCTION perf_refresh_nplusone_hour(p_tenant integer, p_hour timestamptz) RETURNS void
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
    r  perf_nplusone_rule;
    traces uuid[];
BEGIN
    SELECT * INTO r FROM perf_nplusone_rule;
    DELETE FROM perf_nplusone_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    SELECT coalesce(array_agg(DISTINCT trace_id), '{}') INTO traces
    FROM (SELECT trace_id
          FROM query_performance_log
          WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1 AND parent_span_id <> 0
          GROUP BY trace_id, parent_span_id, fingerprint
          HAVING count(*) >= r.min_repetitions) t;
    INSERT INTO perf_nplusone_hourly (tenant_id, bucket, endpoint_id, fingerprint, requests, executions, max_reps,
                                      sum_us, wasted_us, trace_ids, trace_reps, trace_us, gated)
    WITH g AS MATERIALIZED (
        SELECT trace_id, parent_span_id, fingerprint, count(*) AS n, sum(duration_us) AS su,
               max(endpoint_id) AS endpoint_id
        FROM perf_attributed_queries(p_tenant, h0, h1, traces)
        WHERE parent_span_id <> 0
        GROUP BY trace_id, parent_span_id, fingerprint
        HAVING count(*) >= r.min_repetitions
    ), ranked AS (
        SELECT g.*, row_number() OVER (PARTITION BY endpoint_id, fingerprint ORDER BY n DESC, su DESC, trace_id) AS rk
        FROM g
    )
    SELECT p_tenant, h0, endpoint_id, fingerprint, count(*), sum(n), max(n), sum(su), sum(su - su / n),
           array_agg(trace_id ORDER BY rk) FILTER (WHERE rk <= 3),
           array_agg(n ORDER BY rk) FILTER (WHERE rk <= 3),
           array_agg(su ORDER BY rk) FILTER (WHERE rk <= 3),
           count(*) FILTER (WHERE su >= r.min_total_us)
    FROM ranked
    GROUP BY endpoint_id, fingerprint;

    INSERT INTO perf_nplusone_hours VALUES (p_tenant, h0, r.min_repetitions, r.min_total_us)
        ON CONFLICT (tenant_id, bucket) DO UPDATE
        SET min_repetitions = excluded.min_repetitions, min_total_us = excluded.min_total_us;
END;
$$;
