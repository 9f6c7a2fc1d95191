--
-- Levels. Every rollup exists per hour (…_hourly, bucket = UTC hour) and per UTC day
-- (…_daily, bucket = UTC day, same columns), the daily rows are merged from the hourly ones.
-- A range read (perf_*_range) takes whole days that are consolidated (perf_rollup_state) from
-- the daily table and the rest from the hourly table. Ranges are resolved at hour
-- granularity: [date_trunc(hour, from), ceil(hour, to)).

--     that covers what that step reads;
--   * perf_day_split is called by every SQL range reader (perf_*_range, so by
--     perf_summary_range and get_performance_summary); as a LANGUAGE sql function returning a
--     record it could not be inlined and its body was planned again on every call (several
--     ms). The same function in plpgsql keeps its plan for the session.
CREATE OR REPLACE FUNCTION perf_day_split(p_tenant integer, p_from timestamptz, p_to timestamptz,
                                          OUT d1 timestamptz, OUT d2 timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    f timestamptz := date_trunc('hour', p_from, 'UTC');
    a timestamptz;
    z timestamptz;
    t timestamptz;
BEGIN
    a := CASE WHEN date_trunc('day', f, 'UTC') = f THEN f ELSE date_trunc('day', f, 'UTC') + interval '1 day' END;
    t := CASE WHEN date_trunc('hour', p_to, 'UTC') = p_to THEN p_to ELSE date_trunc('hour', p_to, 'UTC') + interval '1 hour' END;
    SELECT least(date_trunc('day', t, 'UTC'), coalesce(max(s.daily_through), '-infinity'::timestamptz))
      INTO z FROM perf_rollup_state s WHERE s.tenant_id = p_tenant;
    IF a < z THEN
        d1 := a; d2 := z;
    ELSE
        d1 := p_to; d2 := p_to;
    END IF;
END;
$$;

-- The SQL range readers (perf_tenant_range, perf_endpoint_range, perf_query_range: used by
-- perf_summary_range, get_performance_summary, the optimization engine and psql) read the
-- hourly rows around the whole days as two index ranges, [from, d1) and [d2, to), as the Go
-- read path does. A first version read every hourly row of [from, to) and dropped those of
-- the whole days afterwards: a 30-day range walked 720 hours of rows to keep a few.
-- d1 and d2 come from perf_day_split as scalar subqueries: computed once before the scan and
-- used as its index bounds, with or without nested loops (perf_refresh_hour turns them off).
-- (When the window has no whole day, d1 = d2 = p_to: the first range is [from, p_to), which
-- holds the bucket of p_to, and the second [p_to, ceil(p_to)) holds no bucket.)

CREATE OR REPLACE FUNCTION perf_tenant_range(p_tenant integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF performance_metrics_cache LANGUAGE sql STABLE AS $$
    SELECT d.* FROM performance_metrics_daily d
     WHERE d.tenant_id = p_tenant AND d.hour_bucket >= (SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s) AND d.hour_bucket < (SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s)
    UNION ALL
    SELECT h.* FROM performance_metrics_cache h
     WHERE h.tenant_id = p_tenant AND h.hour_bucket >= perf_hour(p_from) AND h.hour_bucket < least((SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour_ceil(p_to))
    UNION ALL
    SELECT h.* FROM performance_metrics_cache h
     WHERE h.tenant_id = p_tenant AND h.hour_bucket >= greatest((SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour(p_from)) AND h.hour_bucket < perf_hour_ceil(p_to)
$$;

CREATE OR REPLACE FUNCTION perf_endpoint_range(p_tenant integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_endpoint_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_endpoint_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= (SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s) AND d.bucket < (SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s)
    UNION ALL
    SELECT h.* FROM perf_endpoint_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < least((SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour_ceil(p_to))
    UNION ALL
    SELECT h.* FROM perf_endpoint_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= greatest((SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour(p_from)) AND h.bucket < perf_hour_ceil(p_to)
$$;

CREATE OR REPLACE FUNCTION perf_query_range(p_tenant integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_query_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_query_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= (SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s) AND d.bucket < (SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s)
    UNION ALL
    SELECT h.* FROM perf_query_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < least((SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour_ceil(p_to))
    UNION ALL
    SELECT h.* FROM perf_query_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= greatest((SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour(p_from)) AND h.bucket < perf_hour_ceil(p_to)
$$;

