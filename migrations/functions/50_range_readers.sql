--
-- Levels. Every rollup exists per hour (…_hourly, bucket = UTC hour) and per UTC day
-- (…_daily, bucket = UTC day, same columns), the daily rows are merged from the hourly ones.
-- A range read (perf_*_range) takes whole days that are consolidated (perf_rollup_state) from
-- the daily table and the other whole hours from the hourly table; the endpoint and query
-- readers take the partial hours at the edges from the minute rollups (…_minutely), so
-- [from, to) is read at minute resolution (minute rows are kept retention.minute_rollups:
-- pass whole hours for older ranges). The tenant reader has no minute rollup and rounds the
-- range out to [date_trunc(hour, from), ceil(hour, to)).

--     that covers what that step reads;
--   * perf_day_split is called by every SQL range reader (perf_*_range, so by
--     perf_summary_range and get_performance_summary); as a LANGUAGE sql function returning a
--     record it could not be inlined and its body was planned again on every call (several
--     ms). The same function in plpgsql keeps its plan for the session.
CREATE OR REPLACE FUNCTION perf_day_split(p_tenant integer, p_from timestamptz, p_to timestamptz,
                                          OUT d1 timestamptz, OUT d2 timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    f timestamptz := perf_hour_ceil(p_from);
    a timestamptz;
    z timestamptz;
    t timestamptz;
BEGIN
    a := CASE WHEN date_trunc('day', f, 'UTC') = f THEN f ELSE date_trunc('day', f, 'UTC') + interval '1 day' END;
    t := perf_hour(p_to);
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

-- The three readers have one body: this block writes it once, as a template over the rollup
-- (function name, hourly table = the row type, daily table, bucket column), and creates each
-- reader as a plain LANGUAGE sql function when this file is applied. No dynamic SQL runs when
-- a reader is called: each is an ordinary SQL function, which the planner inlines into the
-- query that calls it (dynamic SQL in plpgsql, or one reader taking a regclass, would not be).
DO $do$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('perf_tenant_range',   'performance_metrics_cache', 'performance_metrics_daily', NULL,                     'hour_bucket'),
        ('perf_endpoint_range', 'perf_endpoint_hourly',      'perf_endpoint_daily',       'perf_endpoint_minutely', 'bucket'),
        ('perf_query_range',    'perf_query_hourly',         'perf_query_daily',          'perf_query_minutely',    'bucket')
    ) v(fn, hourly, daily, minutely, bucket)
    LOOP
        IF r.minutely IS NULL THEN
            -- no minute rollup: the range is rounded out to whole hours
            EXECUTE format($tmpl$
CREATE OR REPLACE FUNCTION %1$I(p_tenant integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF %2$I LANGUAGE sql STABLE AS $body$
    SELECT d.* FROM %3$I d
     WHERE d.tenant_id = p_tenant AND d.%4$I >= (SELECT s.d1 FROM perf_day_split(p_tenant, perf_hour(p_from), perf_hour_ceil(p_to)) s) AND d.%4$I < (SELECT s.d2 FROM perf_day_split(p_tenant, perf_hour(p_from), perf_hour_ceil(p_to)) s)
    UNION ALL
    SELECT h.* FROM %2$I h
     WHERE h.tenant_id = p_tenant AND h.%4$I >= perf_hour(p_from) AND h.%4$I < least((SELECT s.d1 FROM perf_day_split(p_tenant, perf_hour(p_from), perf_hour_ceil(p_to)) s), perf_hour_ceil(p_to))
    UNION ALL
    SELECT h.* FROM %2$I h
     WHERE h.tenant_id = p_tenant AND h.%4$I >= greatest((SELECT s.d2 FROM perf_day_split(p_tenant, perf_hour(p_from), perf_hour_ceil(p_to)) s), perf_hour(p_from)) AND h.%4$I < perf_hour_ceil(p_to)
$body$
$tmpl$, r.fn, r.hourly, r.daily, r.bucket);
        ELSE
            -- whole days, whole hours, and the minutes of the partial hours at both edges
            EXECUTE format($tmpl$
CREATE OR REPLACE FUNCTION %1$I(p_tenant integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF %2$I LANGUAGE sql STABLE AS $body$
    SELECT d.* FROM %3$I d
     WHERE d.tenant_id = p_tenant AND d.%4$I >= (SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s) AND d.%4$I < (SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s)
    UNION ALL
    SELECT h.* FROM %2$I h
     WHERE h.tenant_id = p_tenant AND h.%4$I >= perf_hour_ceil(p_from) AND h.%4$I < least((SELECT s.d1 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour(p_to))
    UNION ALL
    SELECT h.* FROM %2$I h
     WHERE h.tenant_id = p_tenant AND h.%4$I >= greatest((SELECT s.d2 FROM perf_day_split(p_tenant, p_from, p_to) s), perf_hour_ceil(p_from)) AND h.%4$I < perf_hour(p_to)
    UNION ALL
    SELECT m.* FROM %5$I m
     WHERE m.tenant_id = p_tenant AND m.%4$I >= perf_minute(p_from) AND m.%4$I < least(perf_hour_ceil(p_from), p_to)
    UNION ALL
    SELECT m.* FROM %5$I m
     WHERE m.tenant_id = p_tenant AND m.%4$I >= greatest(perf_hour(p_to), perf_hour_ceil(p_from)) AND m.%4$I < p_to
$body$
$tmpl$, r.fn, r.hourly, r.daily, r.bucket, r.minutely);
        END IF;
    END LOOP;
END;
$do$;
