-- +goose Up
-- The SQL range readers (perf_tenant_range, perf_endpoint_range, perf_query_range: used by
-- perf_summary_range, get_performance_summary, the optimization engine and psql) read the
-- hourly rows around the whole days as two index ranges, [from, d1) and [d2, to), as the Go
-- read path does. The 00002 version read every hourly row of [from, to) and dropped those of
-- the whole days afterwards: a 30-day range walked 720 hours of rows to keep a few.
-- d1 and d2 come from perf_day_split as scalar subqueries: computed once before the scan and
-- used as its index bounds, with or without nested loops (perf_refresh_hour turns them off).
-- (When the window has no whole day, d1 = d2 = p_to: the first range is [from, p_to), which
-- holds the bucket of p_to, and the second [p_to, ceil(p_to)) holds no bucket.)

CREATE OR REPLACE FUNCTION perf_tenant_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
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

CREATE OR REPLACE FUNCTION perf_endpoint_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
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

CREATE OR REPLACE FUNCTION perf_query_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
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

-- +goose Down
CREATE OR REPLACE FUNCTION perf_tenant_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF performance_metrics_cache LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, performance_metrics_daily d
     WHERE d.tenant_id = p_tenant AND d.hour_bucket >= s.d1 AND d.hour_bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, performance_metrics_cache h
     WHERE h.tenant_id = p_tenant AND h.hour_bucket >= perf_hour(p_from) AND h.hour_bucket < perf_hour_ceil(p_to)
       AND NOT (h.hour_bucket >= s.d1 AND h.hour_bucket < s.d2)
$$;

CREATE OR REPLACE FUNCTION perf_endpoint_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_endpoint_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_endpoint_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= s.d1 AND d.bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_endpoint_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < perf_hour_ceil(p_to)
       AND NOT (h.bucket >= s.d1 AND h.bucket < s.d2)
$$;

CREATE OR REPLACE FUNCTION perf_query_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_query_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_query_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= s.d1 AND d.bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_query_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < perf_hour_ceil(p_to)
       AND NOT (h.bucket >= s.d1 AND h.bucket < s.d2)
$$;
