-- +goose Up
-- Rollups, health and read-side security of the perfgraphql extension.
--
-- Latency histograms. Durations (µs) fall into log-scale buckets of ratio gamma = 1.02:
-- bucket(d) = 0 for d <= 1 µs, else ceil(ln(d) / ln(1.02)); bucket i holds (1.02^(i-1), 1.02^i].
-- A bucket is reported as 2 * 1.02^i / 2.02, whose relative error is at most
-- (gamma-1)/(gamma+1) < 1%. Histograms are stored sparse, as two parallel arrays sorted by
-- bucket (…_idx integer[], …_cnt bigint[]), and merged by summing counts per bucket, so
-- percentiles over any range come from merged hourly/daily histograms, never from averaging
-- hourly percentiles. The request histograms of errors are kept apart (err_idx/err_cnt,
-- small), so Apdex can count errors as frustrated for any target T at read time.
--
-- Levels. Every rollup exists per hour (…_hourly, bucket = UTC hour) and per UTC day
-- (…_daily, bucket = UTC day, same columns), the daily rows are merged from the hourly ones.
-- A range read (perf_*_range) takes whole days that are consolidated (perf_rollup_state) from
-- the daily table and the rest from the hourly table. Ranges are resolved at hour
-- granularity: [date_trunc(hour, from), ceil(hour, to)).

-- bucket index of a duration in µs
CREATE FUNCTION perf_hist_bucket(p_us bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN p_us <= 1 THEN 0 ELSE ceil(ln(p_us::float8) / 0.019802627296179712)::integer END $$;

-- representative duration (µs) of a bucket: within 1% of every value in it
CREATE FUNCTION perf_hist_value(p_bucket integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN p_bucket <= 0 THEN 1.0 ELSE 2.0 * power(1.02::float8, p_bucket) / 2.02 END $$;

-- +goose StatementBegin
-- Quantiles (µs) of a merged histogram (buckets ascending). Rank of quantile q among n
-- values: ceil(1 + q*(n-1)), as percentile_cont's upper neighbour. NULL when empty.
CREATE FUNCTION perf_hist_quantiles(p_idx integer[], p_cnt bigint[], p_q float8[])
RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n      integer := coalesce(array_length(p_idx, 1), 0);
    total  bigint := 0;
    acc    bigint := 0;
    i      integer;
    k      integer := 1;
    nq     integer := coalesce(array_length(p_q, 1), 0);
    res    float8[] := array_fill(NULL::float8, ARRAY[greatest(nq, 1)]);
    target float8;
BEGIN
    IF n = 0 OR nq = 0 THEN
        RETURN CASE WHEN nq = 0 THEN '{}'::float8[] ELSE res END;
    END IF;
    FOR i IN 1..n LOOP total := total + p_cnt[i]; END LOOP;
    IF total = 0 THEN RETURN res; END IF;
    -- quantiles must be given ascending
    FOR i IN 1..n LOOP
        acc := acc + p_cnt[i];
        WHILE k <= nq LOOP
            target := ceil(1 + p_q[k] * (total - 1));
            EXIT WHEN acc < target;
            res[k] := perf_hist_value(p_idx[i]);
            k := k + 1;
        END LOOP;
        EXIT WHEN k > nq;
    END LOOP;
    RETURN res;
END;
$$;
-- +goose StatementEnd

-- Number of values in a histogram whose bucket value is <= p_us (Apdex counts).
CREATE FUNCTION perf_hist_count_le(p_idx integer[], p_cnt bigint[], p_us float8) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(sum(c), 0)::bigint FROM unnest(p_idx, p_cnt) u(i, c) WHERE perf_hist_value(i) <= p_us $$;

-- hour and day buckets in UTC, whatever the session's TimeZone
CREATE FUNCTION perf_hour(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', p_ts, 'UTC') $$;
CREATE FUNCTION perf_hour_ceil(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN date_trunc('hour', p_ts, 'UTC') = p_ts THEN p_ts ELSE date_trunc('hour', p_ts, 'UTC') + interval '1 hour' END $$;
CREATE FUNCTION perf_day(p_ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('day', p_ts, 'UTC') $$;

-- ---------------------------------------------------------------------------------------
-- Rollup tables
-- ---------------------------------------------------------------------------------------

-- Per tenant and hour (the original's OLAP cache): extra mergeable columns.
ALTER TABLE performance_metrics_cache
    ADD COLUMN sum_response_us   bigint NOT NULL DEFAULT 0,
    ADD COLUMN max_response_us   bigint NOT NULL DEFAULT 0,
    ADD COLUMN lat_idx           integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN lat_cnt           bigint[]  NOT NULL DEFAULT '{}',
    ADD COLUMN err_idx           integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN err_cnt           bigint[]  NOT NULL DEFAULT '{}',
    ADD COLUMN sum_query_us      bigint NOT NULL DEFAULT 0,
    ADD COLUMN failed_queries    bigint NOT NULL DEFAULT 0,
    ADD COLUMN q_idx             integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN q_cnt             bigint[]  NOT NULL DEFAULT '{}',
    ADD COLUMN cpu_sum           double precision NOT NULL DEFAULT 0,
    ADD COLUMN cpu_n             bigint NOT NULL DEFAULT 0,
    ADD COLUMN mem_sum_mb        double precision NOT NULL DEFAULT 0,
    ADD COLUMN mem_n             bigint NOT NULL DEFAULT 0,
    ADD COLUMN lag_sum           double precision NOT NULL DEFAULT 0,
    ADD COLUMN lag_n             bigint NOT NULL DEFAULT 0,
    ADD COLUMN pool_util_sum     double precision NOT NULL DEFAULT 0,  -- percent per sample
    ADD COLUMN pool_util_n       bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN performance_metrics_cache.slow_query_count IS 'queries of at least 1 s';
COMMENT ON COLUMN performance_metrics_cache.health_score IS 'health of the hour with the default Apdex target (500 ms)';

-- same columns, one row per tenant and UTC day (hour_bucket = start of the day)
CREATE TABLE performance_metrics_daily (LIKE performance_metrics_cache INCLUDING DEFAULTS);
ALTER TABLE performance_metrics_daily ADD PRIMARY KEY (tenant_id, hour_bucket);

CREATE TABLE perf_endpoint_hourly (
    tenant_id      smallint NOT NULL,
    bucket         timestamptz NOT NULL,
    endpoint_id    integer NOT NULL,
    service_id     integer NOT NULL,
    requests       bigint NOT NULL,
    errors         bigint NOT NULL,
    status_4xx     bigint NOT NULL,
    status_5xx     bigint NOT NULL,
    sum_us         bigint NOT NULL,
    max_us         bigint NOT NULL,
    req_bytes_sum  bigint NOT NULL,
    req_bytes_n    bigint NOT NULL,
    resp_bytes_sum bigint NOT NULL,
    resp_bytes_n   bigint NOT NULL,
    lat_idx        integer[] NOT NULL,
    lat_cnt        bigint[] NOT NULL,
    err_idx        integer[] NOT NULL,
    err_cnt        bigint[] NOT NULL,
    PRIMARY KEY (tenant_id, bucket, endpoint_id)
);
CREATE INDEX perf_endpoint_hourly_ep ON perf_endpoint_hourly (tenant_id, endpoint_id, bucket);
CREATE TABLE perf_endpoint_daily (LIKE perf_endpoint_hourly INCLUDING ALL);

-- per fingerprint and endpoint (endpoint 0: issued outside any known request)
CREATE TABLE perf_query_hourly (
    tenant_id   smallint NOT NULL,
    bucket      timestamptz NOT NULL,
    fingerprint bigint NOT NULL,
    endpoint_id integer NOT NULL,
    service_id  integer NOT NULL,
    calls       bigint NOT NULL,
    errors      bigint NOT NULL,
    slow_calls  bigint NOT NULL,       -- >= 1 s
    sum_us      bigint NOT NULL,
    max_us      bigint NOT NULL,
    rows_sum    bigint NOT NULL,
    rows_n      bigint NOT NULL,       -- calls that reported rows
    lat_idx     integer[] NOT NULL,
    lat_cnt     bigint[] NOT NULL,
    PRIMARY KEY (tenant_id, bucket, fingerprint, endpoint_id, service_id)
);
CREATE INDEX perf_query_hourly_fp ON perf_query_hourly (tenant_id, fingerprint, bucket);
CREATE INDEX perf_query_hourly_ep ON perf_query_hourly (tenant_id, endpoint_id, bucket);
CREATE TABLE perf_query_daily (LIKE perf_query_hourly INCLUDING ALL);

-- resource usage per instance
CREATE TABLE perf_resource_hourly (
    tenant_id     smallint NOT NULL,
    bucket        timestamptz NOT NULL,
    instance_id   integer NOT NULL,
    service_id    integer NOT NULL,
    samples       bigint NOT NULL,
    cpu_sum       double precision NOT NULL, cpu_n  bigint NOT NULL, cpu_max  double precision,
    mem_sum       double precision NOT NULL, mem_n  bigint NOT NULL, mem_max  double precision,  -- bytes
    mem_total_max double precision,
    heap_sum      double precision NOT NULL, heap_n bigint NOT NULL, heap_max double precision,
    heap_total_max double precision,
    lag_sum       double precision NOT NULL, lag_n  bigint NOT NULL, lag_max  double precision,
    conn_sum      double precision NOT NULL, conn_n bigint NOT NULL, conn_max double precision,
    PRIMARY KEY (tenant_id, bucket, instance_id)
);

-- connection pools per instance and pool
CREATE TABLE perf_pool_hourly (
    tenant_id     smallint NOT NULL,
    bucket        timestamptz NOT NULL,
    instance_id   integer NOT NULL,
    pool_name     text NOT NULL,
    service_id    integer NOT NULL,
    samples       bigint NOT NULL,
    used_sum      double precision NOT NULL, used_n bigint NOT NULL, used_max double precision,
    idle_sum      double precision NOT NULL, idle_n bigint NOT NULL,
    max_max       double precision,
    util_sum      double precision NOT NULL, util_n bigint NOT NULL, util_max double precision,  -- percent
    pending_sum   double precision NOT NULL, pending_n bigint NOT NULL, pending_max double precision,
    wait_sum      double precision NOT NULL, wait_n bigint NOT NULL, wait_max double precision,
    PRIMARY KEY (tenant_id, bucket, instance_id, pool_name)
);

-- Days whose daily rows must be merged again from their hourly rows, and the day up to
-- which (exclusive) daily rows are complete per tenant.
CREATE TABLE perf_rollup_pending_days (
    tenant_id smallint NOT NULL,
    day       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day)
);
CREATE TABLE perf_rollup_state (
    tenant_id     smallint PRIMARY KEY,
    daily_through timestamptz NOT NULL
);

-- One row per (tenant, hour) rollup refresh: what the scheduler did and when (kept 2 days).
CREATE TABLE perf_rollup_refresh_log (
    tenant_id    smallint NOT NULL,
    hour_bucket  timestamptz NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    backend_pid  integer NOT NULL DEFAULT pg_backend_pid(),
    reason       text NOT NULL            -- 'dirty' | 'current' | 'next' (attribution spill-over)
);
CREATE INDEX perf_rollup_refresh_log_at ON perf_rollup_refresh_log (refreshed_at);

-- Recommendations of the optimization engine (filled by a later component; the GraphQL API
-- reads whatever is here and invents nothing).
CREATE TABLE perf_recommendations (
    tenant_id          smallint NOT NULL REFERENCES perf_tenants,
    id                 text NOT NULL,
    category           text NOT NULL,
    priority           text NOT NULL,        -- LOW | MEDIUM | HIGH | CRITICAL
    title              text NOT NULL,
    description        text NOT NULL,
    impact             text NOT NULL,
    effort             text NOT NULL,
    recommendation     text NOT NULL,
    implementation     text NOT NULL,
    estimated_savings  text NOT NULL DEFAULT '',
    affected_endpoints text[] NOT NULL DEFAULT '{}',
    evidence           jsonb NOT NULL DEFAULT '{}',
    first_detected     timestamptz NOT NULL DEFAULT now(),
    last_detected      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------
-- Range readers: daily rows for consolidated whole days, hourly rows for the rest.
-- ---------------------------------------------------------------------------------------

-- [p_from, p_to) hour-aligned; returns the day range [d1, d2) served by daily rows
CREATE FUNCTION perf_day_split(p_tenant smallint, p_from timestamptz, p_to timestamptz,
                               OUT d1 timestamptz, OUT d2 timestamptz)
LANGUAGE sql STABLE AS $$
    WITH b AS (
        SELECT CASE WHEN perf_day(perf_hour(p_from)) = perf_hour(p_from) THEN perf_hour(p_from)
                    ELSE perf_day(p_from) + interval '1 day' END AS a,
               least(perf_day(perf_hour_ceil(p_to)),
                     coalesce((SELECT daily_through FROM perf_rollup_state s WHERE s.tenant_id = p_tenant),
                              '-infinity'::timestamptz)) AS z
    )
    SELECT CASE WHEN a < z THEN a ELSE p_to END, CASE WHEN a < z THEN z ELSE p_to END FROM b
$$;

CREATE FUNCTION perf_tenant_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF performance_metrics_cache LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, performance_metrics_daily d
     WHERE d.tenant_id = p_tenant AND d.hour_bucket >= s.d1 AND d.hour_bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, performance_metrics_cache h
     WHERE h.tenant_id = p_tenant AND h.hour_bucket >= perf_hour(p_from) AND h.hour_bucket < perf_hour_ceil(p_to)
       AND NOT (h.hour_bucket >= s.d1 AND h.hour_bucket < s.d2)
$$;

CREATE FUNCTION perf_endpoint_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_endpoint_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_endpoint_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= s.d1 AND d.bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_endpoint_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < perf_hour_ceil(p_to)
       AND NOT (h.bucket >= s.d1 AND h.bucket < s.d2)
$$;

CREATE FUNCTION perf_query_range(p_tenant smallint, p_from timestamptz, p_to timestamptz)
RETURNS SETOF perf_query_hourly LANGUAGE sql STABLE AS $$
    SELECT d.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_query_daily d
     WHERE d.tenant_id = p_tenant AND d.bucket >= s.d1 AND d.bucket < s.d2
    UNION ALL
    SELECT h.* FROM perf_day_split(p_tenant, p_from, p_to) s, perf_query_hourly h
     WHERE h.tenant_id = p_tenant AND h.bucket >= perf_hour(p_from) AND h.bucket < perf_hour_ceil(p_to)
       AND NOT (h.bucket >= s.d1 AND h.bucket < s.d2)
$$;

-- ---------------------------------------------------------------------------------------
-- Refresh
-- ---------------------------------------------------------------------------------------

-- +goose StatementBegin
-- Re-aggregates one (tenant, hour) from the raw log tables into every hourly rollup.
-- (no index serves a nested loop over trace ids; hash joins are right even before ANALYZE)
CREATE FUNCTION perf_refresh_hour(p_tenant smallint, p_hour timestamptz) RETURNS void
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
BEGIN
    DELETE FROM perf_endpoint_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_endpoint_hourly
    SELECT p_tenant, h0, endpoint_id, max(service_id), sum(n), sum(ne), sum(s4), sum(s5), sum(su), max(mx),
           sum(rqs), sum(rqn), sum(rss), sum(rsn),
           array_agg(bk ORDER BY bk), array_agg(n ORDER BY bk),
           coalesce(array_agg(bk ORDER BY bk) FILTER (WHERE ne > 0), '{}'),
           coalesce(array_agg(ne ORDER BY bk) FILTER (WHERE ne > 0), '{}')
    FROM (
        SELECT endpoint_id, max(service_id) AS service_id, perf_hist_bucket(duration_us) AS bk,
               count(*) AS n, count(*) FILTER (WHERE is_error) AS ne,
               count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS s4,
               count(*) FILTER (WHERE status_code BETWEEN 500 AND 599) AS s5,
               sum(duration_us) AS su, max(duration_us) AS mx,
               coalesce(sum(request_size) FILTER (WHERE request_size >= 0), 0) AS rqs,
               count(*) FILTER (WHERE request_size >= 0) AS rqn,
               coalesce(sum(response_size) FILTER (WHERE response_size >= 0), 0) AS rss,
               count(*) FILTER (WHERE response_size >= 0) AS rsn
        FROM api_performance_log
        WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1
        GROUP BY endpoint_id, perf_hist_bucket(duration_us)
    ) g
    GROUP BY endpoint_id;

    -- DB spans without an endpoint are attributed to the request of the same trace and
    -- service whose [ts, ts+duration] contains them (the latest-starting one); durations are
    -- capped at 2^31-1 µs (< 36 min), so requests starting 36 min before the hour suffice.
    DELETE FROM perf_query_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_query_hourly
    SELECT p_tenant, h0, fingerprint, endpoint_id, service_id, sum(n), sum(ne), sum(ns), sum(su), max(mx),
           sum(rs), sum(rn), array_agg(bk ORDER BY bk), array_agg(n ORDER BY bk)
    FROM (
        SELECT fingerprint, endpoint_id, service_id, perf_hist_bucket(duration_us) AS bk,
               count(*) AS n, count(*) FILTER (WHERE is_error) AS ne,
               count(*) FILTER (WHERE duration_us >= 1000000) AS ns,
               sum(duration_us) AS su, max(duration_us) AS mx,
               coalesce(sum(rows_returned) FILTER (WHERE rows_returned >= 0), 0) AS rs,
               count(*) FILTER (WHERE rows_returned >= 0) AS rn
        FROM (
            SELECT q.fingerprint, q.endpoint_id, q.service_id, q.duration_us, q.is_error, q.rows_returned
            FROM query_performance_log q
            WHERE q.tenant_id = p_tenant AND q.ts >= h0 AND q.ts < h1 AND q.endpoint_id <> 0
            UNION ALL
            (SELECT DISTINCT ON (q.ts, q.span_id)
                   q.fingerprint, coalesce(a.endpoint_id, 0), q.service_id, q.duration_us, q.is_error, q.rows_returned
            FROM query_performance_log q
            LEFT JOIN api_performance_log a
              ON a.tenant_id = p_tenant AND a.trace_id = q.trace_id AND a.service_id = q.service_id
             AND a.ts >= h0 - interval '36 minutes' AND a.ts < h1
             AND a.ts <= q.ts AND a.ts + a.duration_us * interval '1 microsecond' >= q.ts
            WHERE q.tenant_id = p_tenant AND q.ts >= h0 AND q.ts < h1 AND q.endpoint_id = 0
            ORDER BY q.ts, q.span_id, a.ts DESC NULLS LAST)
        ) r
        GROUP BY fingerprint, endpoint_id, service_id, perf_hist_bucket(duration_us)
    ) g
    GROUP BY fingerprint, endpoint_id, service_id;

    DELETE FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_resource_hourly
    SELECT p_tenant, h0, m.instance_id, coalesce(max(i.service_id), 0), count(*),
           coalesce(sum(cpu_usage_percent), 0), count(cpu_usage_percent), max(cpu_usage_percent),
           coalesce(sum(memory_used_bytes), 0), count(memory_used_bytes), max(memory_used_bytes),
           max(memory_total_bytes),
           coalesce(sum(heap_used_bytes), 0), count(heap_used_bytes), max(heap_used_bytes),
           max(heap_total_bytes),
           coalesce(sum(event_loop_lag_ms), 0), count(event_loop_lag_ms), max(event_loop_lag_ms),
           coalesce(sum(active_connections), 0), count(active_connections), max(active_connections)
    FROM system_resource_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = p_tenant AND m.ts >= h0 AND m.ts < h1
    GROUP BY m.instance_id;

    DELETE FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_pool_hourly
    SELECT p_tenant, h0, m.instance_id, m.pool_name, coalesce(max(i.service_id), 0), count(*),
           coalesce(sum(used), 0), count(used), max(used),
           coalesce(sum(idle), 0), count(idle),
           max(max),
           coalesce(sum(100.0 * used / max) FILTER (WHERE max > 0), 0),
           count(*) FILTER (WHERE max > 0 AND used IS NOT NULL),
           max(100.0 * used / max) FILTER (WHERE max > 0),
           coalesce(sum(pending_requests), 0), count(pending_requests), max(pending_requests),
           coalesce(sum(wait_time_ms), 0), count(wait_time_ms), max(wait_time_ms)
    FROM db_pool_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = p_tenant AND m.ts >= h0 AND m.ts < h1
    GROUP BY m.instance_id, m.pool_name;

    DELETE FROM performance_metrics_cache WHERE tenant_id = p_tenant AND hour_bucket = h0;
    INSERT INTO performance_metrics_cache AS c (
        tenant_id, hour_bucket, total_requests, successful_requests, failed_requests,
        sum_response_us, max_response_us, lat_idx, lat_cnt, err_idx, err_cnt,
        total_queries, slow_query_count, sum_query_us, failed_queries, q_idx, q_cnt,
        cpu_sum, cpu_n, mem_sum_mb, mem_n, lag_sum, lag_n, pool_util_sum, pool_util_n,
        avg_cpu_usage_percent, avg_memory_usage_mb, max_memory_usage_mb, avg_event_loop_lag_ms)
    SELECT p_tenant, h0, a.requests, a.requests - a.errors, a.errors, a.sum_us, a.max_us,
           a.lat_idx, a.lat_cnt, a.err_idx, a.err_cnt,
           q.calls, q.slow, q.sum_us, q.errors, q.idx, q.cnt,
           r.cpu_sum, r.cpu_n, r.mem_sum, r.mem_n, r.lag_sum, r.lag_n, p.util_sum, p.util_n,
           r.cpu_sum / nullif(r.cpu_n, 0), r.mem_sum / nullif(r.mem_n, 0), r.mem_max,
           r.lag_sum / nullif(r.lag_n, 0)
    FROM perf_merge_endpoints(p_tenant, h0, h1, NULL) a,
         perf_merge_queries(p_tenant, h0, h1, NULL) q,
         (SELECT coalesce(sum(cpu_sum), 0) cpu_sum, coalesce(sum(cpu_n), 0) cpu_n,
                 coalesce(sum(mem_sum), 0) / 1048576.0 mem_sum, coalesce(sum(mem_n), 0) mem_n,
                 max(mem_max) / 1048576.0 mem_max,
                 coalesce(sum(lag_sum), 0) lag_sum, coalesce(sum(lag_n), 0) lag_n
            FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket = h0) r,
         (SELECT coalesce(sum(util_sum), 0) util_sum, coalesce(sum(util_n), 0) util_n
            FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket = h0) p
    WHERE a.requests > 0 OR q.calls > 0 OR r.cpu_n > 0 OR r.mem_n > 0 OR r.lag_n > 0 OR p.util_n > 0;

    UPDATE performance_metrics_cache c SET
        avg_response_time_ms = c.sum_response_us / 1000.0 / nullif(c.total_requests, 0),
        p95_response_time_ms = pq[1] / 1000.0,
        p99_response_time_ms = pq[2] / 1000.0,
        avg_query_time_ms    = c.sum_query_us / 1000.0 / nullif(c.total_queries, 0),
        health_score         = (perf_health(c.total_requests, c.failed_requests,
                                  perf_hist_count_le(c.lat_idx, c.lat_cnt, 500000) - perf_hist_count_le(c.err_idx, c.err_cnt, 500000),
                                  perf_hist_count_le(c.lat_idx, c.lat_cnt, 2000000) - perf_hist_count_le(c.err_idx, c.err_cnt, 2000000),
                                  c.pool_util_sum / nullif(c.pool_util_n, 0), c.cpu_sum / nullif(c.cpu_n, 0))).score,
        last_updated         = now()
    FROM (SELECT perf_hist_quantiles(lat_idx, lat_cnt, '{0.95,0.99}') pq
            FROM performance_metrics_cache WHERE tenant_id = p_tenant AND hour_bucket = h0) x
    WHERE c.tenant_id = p_tenant AND c.hour_bucket = h0;

    INSERT INTO perf_rollup_pending_days VALUES (p_tenant, perf_day(h0)) ON CONFLICT DO NOTHING;
END;
$$;
-- +goose StatementEnd

-- Merged request statistics of the endpoint rollups in [p_from, p_to) (optionally one service).
CREATE FUNCTION perf_merge_endpoints(p_tenant smallint, p_from timestamptz, p_to timestamptz, p_service integer)
RETURNS TABLE (requests bigint, errors bigint, sum_us bigint, max_us bigint,
               lat_idx integer[], lat_cnt bigint[], err_idx integer[], err_cnt bigint[])
LANGUAGE sql STABLE AS $$
    WITH r AS MATERIALIZED (
        SELECT * FROM perf_endpoint_range(p_tenant, p_from, p_to)
        WHERE p_service IS NULL OR service_id = p_service
    )
    SELECT coalesce((SELECT sum(requests) FROM r), 0)::bigint,
           coalesce((SELECT sum(errors) FROM r), 0)::bigint,
           coalesce((SELECT sum(sum_us) FROM r), 0)::bigint,
           coalesce((SELECT max(max_us) FROM r), 0)::bigint,
           coalesce(l.i, '{}'), coalesce(l.c, '{}'), coalesce(e.i, '{}'), coalesce(e.c, '{}')
    FROM (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY u.i) x) l,
         (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.err_idx, r.err_cnt) u(i, c) GROUP BY u.i) x) e
$$;

CREATE FUNCTION perf_merge_queries(p_tenant smallint, p_from timestamptz, p_to timestamptz, p_service integer)
RETURNS TABLE (calls bigint, errors bigint, slow bigint, sum_us bigint, idx integer[], cnt bigint[])
LANGUAGE sql STABLE AS $$
    WITH r AS MATERIALIZED (
        SELECT * FROM perf_query_range(p_tenant, p_from, p_to)
        WHERE p_service IS NULL OR service_id = p_service
    )
    SELECT coalesce((SELECT sum(calls) FROM r), 0)::bigint,
           coalesce((SELECT sum(errors) FROM r), 0)::bigint,
           coalesce((SELECT sum(slow_calls) FROM r), 0)::bigint,
           coalesce((SELECT sum(sum_us) FROM r), 0)::bigint,
           coalesce(l.i, '{}'), coalesce(l.c, '{}')
    FROM (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY u.i) x) l
$$;

-- +goose StatementBegin
-- Health score, see extension/perfgraphqlext/doc.go:
--   apdex      = (satisfied + tolerating/2) / requests   (errors are frustrated; 1 without traffic)
--   error_pen  = min(30, 200 * error_rate)                (5% errors -> 10 points)
--   sat_pen    = min(20, max(0, pool_util% - 80)) + min(20, max(0, cpu% - 80))
--   score      = clamp(100 * apdex - error_pen - sat_pen, 0, 100)
--   status     = HEALTHY >= 90 > DEGRADED >= 70 > UNHEALTHY >= 50 > CRITICAL
CREATE FUNCTION perf_health(p_requests bigint, p_errors bigint, p_satisfied_ok bigint,
                            p_tolerating_or_better_ok bigint, p_pool_util float8, p_cpu float8,
                            OUT score float8, OUT status text, OUT apdex float8)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    err_rate float8 := CASE WHEN coalesce(p_requests, 0) > 0 THEN p_errors::float8 / p_requests ELSE 0 END;
BEGIN
    IF coalesce(p_requests, 0) > 0 THEN
        apdex := (greatest(p_satisfied_ok, 0) + greatest(p_tolerating_or_better_ok - p_satisfied_ok, 0) / 2.0) / p_requests;
    ELSE
        apdex := 1;
    END IF;
    score := 100 * apdex
             - least(30, 200 * err_rate)
             - least(20, greatest(0, coalesce(p_pool_util, 0) - 80))
             - least(20, greatest(0, coalesce(p_cpu, 0) - 80));
    score := round(greatest(0, least(100, score))::numeric, 2)::float8;
    status := CASE WHEN score >= 90 THEN 'HEALTHY' WHEN score >= 70 THEN 'DEGRADED'
                   WHEN score >= 50 THEN 'UNHEALTHY' ELSE 'CRITICAL' END;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Trend of the health score against the previous equal period.
CREATE FUNCTION perf_trend(p_score float8, p_prev_score float8, p_prev_requests bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_prev_score IS NULL OR coalesce(p_prev_requests, 0) = 0 THEN 'STABLE'
        WHEN p_score - p_prev_score <= -20 OR (p_score - p_prev_score <= -5 AND p_score < 50) THEN 'CRITICAL'
        WHEN p_score - p_prev_score <= -5 THEN 'DEGRADING'
        WHEN p_score - p_prev_score >= 5 THEN 'IMPROVING'
        ELSE 'STABLE' END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Everything performanceOverview and get_performance_summary report for [p_from, p_to),
-- resolved at hour granularity. p_service restricts to one service (NULL: all).
CREATE FUNCTION perf_summary_range(p_tenant smallint, p_from timestamptz, p_to timestamptz,
                                   p_apdex_ms float8 DEFAULT 500, p_service integer DEFAULT NULL)
RETURNS TABLE (range_from timestamptz, range_to timestamptz,
               total_requests bigint, failed_requests bigint,
               avg_response_time_ms float8, p50_response_time_ms float8,
               p95_response_time_ms float8, p99_response_time_ms float8, max_response_time_ms float8,
               requests_per_second float8, error_rate float8, apdex float8,
               total_queries bigint, failed_queries bigint, avg_query_time_ms float8,
               p95_query_time_ms float8, slow_query_count bigint,
               avg_cpu_usage_percent float8, avg_memory_usage_mb float8, max_memory_usage_mb float8,
               avg_event_loop_lag_ms float8, connection_pool_utilization float8,
               health_score float8, status text)
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    f  timestamptz := perf_hour(p_from);
    t  timestamptz := perf_hour_ceil(p_to);
    tu float8 := p_apdex_ms * 1000;
    a  record; q record; r record; p record; hl record;
    secs float8;
    pq float8[]; qq float8[];
BEGIN
    IF p_service IS NULL THEN
        WITH c AS MATERIALIZED (SELECT * FROM perf_tenant_range(p_tenant, f, t))
        SELECT (SELECT coalesce(sum(c.total_requests), 0)::bigint FROM c) requests,
               (SELECT coalesce(sum(c.failed_requests), 0)::bigint FROM c) errors,
               (SELECT coalesce(sum(c.sum_response_us), 0)::bigint FROM c) sum_us,
               (SELECT coalesce(max(c.max_response_us), 0)::bigint FROM c) max_us,
               (SELECT coalesce(sum(c.total_queries), 0)::bigint FROM c) q_calls,
               (SELECT coalesce(sum(c.failed_queries), 0)::bigint FROM c) q_errors,
               (SELECT coalesce(sum(c.slow_query_count), 0)::bigint FROM c) q_slow,
               (SELECT coalesce(sum(c.sum_query_us), 0)::bigint FROM c) q_sum_us,
               (SELECT coalesce(sum(c.cpu_sum), 0) FROM c) cpu_sum, (SELECT coalesce(sum(c.cpu_n), 0) FROM c) cpu_n,
               (SELECT coalesce(sum(c.mem_sum_mb), 0) FROM c) mem_sum, (SELECT coalesce(sum(c.mem_n), 0) FROM c) mem_n,
               (SELECT max(c.max_memory_usage_mb) FROM c) mem_max,
               (SELECT coalesce(sum(c.lag_sum), 0) FROM c) lag_sum, (SELECT coalesce(sum(c.lag_n), 0) FROM c) lag_n,
               (SELECT coalesce(sum(c.pool_util_sum), 0) FROM c) util_sum, (SELECT coalesce(sum(c.pool_util_n), 0) FROM c) util_n,
               (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM c, unnest(c.lat_idx, c.lat_cnt) u(i, n) GROUP BY u.i) x) l_i,
               (SELECT array_agg(n ORDER BY i) FROM (SELECT u.i, sum(u.n)::bigint n FROM c, unnest(c.lat_idx, c.lat_cnt) u(i, n) GROUP BY u.i) x) l_c,
               (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM c, unnest(c.err_idx, c.err_cnt) u(i, n) GROUP BY u.i) x) e_i,
               (SELECT array_agg(n ORDER BY i) FROM (SELECT u.i, sum(u.n)::bigint n FROM c, unnest(c.err_idx, c.err_cnt) u(i, n) GROUP BY u.i) x) e_c,
               (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM c, unnest(c.q_idx, c.q_cnt) u(i, n) GROUP BY u.i) x) q_i,
               (SELECT array_agg(n ORDER BY i) FROM (SELECT u.i, sum(u.n)::bigint n FROM c, unnest(c.q_idx, c.q_cnt) u(i, n) GROUP BY u.i) x) q_c
        INTO a;
    ELSE
        WITH e AS (SELECT * FROM perf_merge_endpoints(p_tenant, f, t, p_service)),
             qm AS (SELECT * FROM perf_merge_queries(p_tenant, f, t, p_service)),
             rs AS (SELECT coalesce(sum(cpu_sum), 0) cpu_sum, coalesce(sum(cpu_n), 0) cpu_n,
                           coalesce(sum(mem_sum), 0) / 1048576.0 mem_sum, coalesce(sum(mem_n), 0) mem_n,
                           max(mem_max) / 1048576.0 mem_max, coalesce(sum(lag_sum), 0) lag_sum, coalesce(sum(lag_n), 0) lag_n
                      FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket >= f AND bucket < t AND service_id = p_service),
             ps AS (SELECT coalesce(sum(util_sum), 0) util_sum, coalesce(sum(util_n), 0) util_n
                      FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket >= f AND bucket < t AND service_id = p_service)
        SELECT e.requests, e.errors, e.sum_us, e.max_us, qm.calls q_calls, qm.errors q_errors, qm.slow q_slow,
               qm.sum_us q_sum_us, rs.cpu_sum, rs.cpu_n, rs.mem_sum, rs.mem_n, rs.mem_max, rs.lag_sum, rs.lag_n,
               ps.util_sum, ps.util_n, e.lat_idx l_i, e.lat_cnt l_c, e.err_idx e_i, e.err_cnt e_c, qm.idx q_i, qm.cnt q_c
        INTO a FROM e, qm, rs, ps;
    END IF;

    secs := extract(epoch FROM (least(t, now()) - f));
    pq := perf_hist_quantiles(a.l_i, a.l_c, '{0.5,0.95,0.99}');
    qq := perf_hist_quantiles(a.q_i, a.q_c, '{0.95}');
    hl := perf_health(a.requests, a.errors,
            perf_hist_count_le(a.l_i, a.l_c, tu) - perf_hist_count_le(a.e_i, a.e_c, tu),
            perf_hist_count_le(a.l_i, a.l_c, 4 * tu) - perf_hist_count_le(a.e_i, a.e_c, 4 * tu),
            a.util_sum / nullif(a.util_n, 0), a.cpu_sum / nullif(a.cpu_n, 0));

    range_from := f; range_to := t;
    total_requests := a.requests; failed_requests := a.errors;
    avg_response_time_ms := a.sum_us / 1000.0 / nullif(a.requests, 0);
    p50_response_time_ms := pq[1] / 1000.0;
    p95_response_time_ms := pq[2] / 1000.0;
    p99_response_time_ms := pq[3] / 1000.0;
    max_response_time_ms := a.max_us / 1000.0;
    requests_per_second := CASE WHEN secs > 0 THEN a.requests / secs ELSE 0 END;
    error_rate := CASE WHEN a.requests > 0 THEN a.errors::float8 / a.requests ELSE 0 END;
    apdex := hl.apdex;
    total_queries := a.q_calls; failed_queries := a.q_errors;
    avg_query_time_ms := a.q_sum_us / 1000.0 / nullif(a.q_calls, 0);
    p95_query_time_ms := qq[1] / 1000.0;
    slow_query_count := a.q_slow;
    avg_cpu_usage_percent := a.cpu_sum / nullif(a.cpu_n, 0);
    avg_memory_usage_mb := a.mem_sum / nullif(a.mem_n, 0);
    max_memory_usage_mb := a.mem_max;
    avg_event_loop_lag_ms := a.lag_sum / nullif(a.lag_n, 0);
    connection_pool_utilization := a.util_sum / nullif(a.util_n, 0);
    health_score := hl.score; status := hl.status;
    RETURN NEXT;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Merges the hourly rollups of one UTC day into the daily rollups.
CREATE FUNCTION perf_refresh_day(p_tenant smallint, p_day timestamptz) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    d0 timestamptz := perf_day(p_day);
    d1 timestamptz := perf_day(p_day) + interval '1 day';
BEGIN
    DELETE FROM perf_endpoint_daily WHERE tenant_id = p_tenant AND bucket = d0;
    INSERT INTO perf_endpoint_daily
    WITH r AS MATERIALIZED (SELECT * FROM perf_endpoint_hourly WHERE tenant_id = p_tenant AND bucket >= d0 AND bucket < d1),
    s AS (SELECT endpoint_id, max(service_id) service_id, sum(requests) requests, sum(errors) errors,
                 sum(status_4xx) s4, sum(status_5xx) s5, sum(sum_us) sum_us, max(max_us) max_us,
                 sum(req_bytes_sum) rqs, sum(req_bytes_n) rqn, sum(resp_bytes_sum) rss, sum(resp_bytes_n) rsn
            FROM r GROUP BY endpoint_id),
    l AS (SELECT endpoint_id, array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
            SELECT r.endpoint_id, u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2) x GROUP BY 1),
    e AS (SELECT endpoint_id, array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
            SELECT r.endpoint_id, u.i, sum(u.c)::bigint c FROM r, unnest(r.err_idx, r.err_cnt) u(i, c) GROUP BY 1, 2) x GROUP BY 1)
    SELECT p_tenant, d0, s.endpoint_id, s.service_id, s.requests, s.errors, s.s4, s.s5, s.sum_us, s.max_us,
           s.rqs, s.rqn, s.rss, s.rsn, coalesce(l.i, '{}'), coalesce(l.c, '{}'), coalesce(e.i, '{}'), coalesce(e.c, '{}')
    FROM s LEFT JOIN l USING (endpoint_id) LEFT JOIN e USING (endpoint_id);

    DELETE FROM perf_query_daily WHERE tenant_id = p_tenant AND bucket = d0;
    INSERT INTO perf_query_daily
    WITH r AS MATERIALIZED (SELECT * FROM perf_query_hourly WHERE tenant_id = p_tenant AND bucket >= d0 AND bucket < d1),
    s AS (SELECT fingerprint, endpoint_id, service_id, sum(calls) calls, sum(errors) errors, sum(slow_calls) slow,
                 sum(sum_us) sum_us, max(max_us) max_us, sum(rows_sum) rs, sum(rows_n) rn
            FROM r GROUP BY 1, 2, 3),
    l AS (SELECT fingerprint, endpoint_id, service_id, array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
            SELECT r.fingerprint, r.endpoint_id, r.service_id, u.i, sum(u.c)::bigint c
              FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1, 2, 3, 4) x GROUP BY 1, 2, 3)
    SELECT p_tenant, d0, s.fingerprint, s.endpoint_id, s.service_id, s.calls, s.errors, s.slow, s.sum_us, s.max_us,
           s.rs, s.rn, coalesce(l.i, '{}'), coalesce(l.c, '{}')
    FROM s LEFT JOIN l USING (fingerprint, endpoint_id, service_id);

    DELETE FROM performance_metrics_daily WHERE tenant_id = p_tenant AND hour_bucket = d0;
    INSERT INTO performance_metrics_daily
    WITH r AS MATERIALIZED (SELECT * FROM performance_metrics_cache WHERE tenant_id = p_tenant AND hour_bucket >= d0 AND hour_bucket < d1),
    m AS (SELECT (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1) x) li,
                 (SELECT array_agg(c ORDER BY i) FROM (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1) x) lc,
                 (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM r, unnest(r.err_idx, r.err_cnt) u(i, c) GROUP BY 1) x) ei,
                 (SELECT array_agg(c ORDER BY i) FROM (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.err_idx, r.err_cnt) u(i, c) GROUP BY 1) x) ec,
                 (SELECT array_agg(i ORDER BY i) FROM (SELECT u.i FROM r, unnest(r.q_idx, r.q_cnt) u(i, c) GROUP BY 1) x) qi,
                 (SELECT array_agg(c ORDER BY i) FROM (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.q_idx, r.q_cnt) u(i, c) GROUP BY 1) x) qc)
    SELECT p_tenant, d0, sum(total_requests), sum(successful_requests), sum(failed_requests),
           sum(sum_response_us) / 1000.0 / nullif(sum(total_requests), 0),
           (perf_hist_quantiles(max(m.li), max(m.lc), '{0.95}'))[1] / 1000.0,
           (perf_hist_quantiles(max(m.li), max(m.lc), '{0.99}'))[1] / 1000.0,
           sum(total_queries), sum(slow_query_count), sum(sum_query_us) / 1000.0 / nullif(sum(total_queries), 0),
           sum(cpu_sum) / nullif(sum(cpu_n), 0), sum(mem_sum_mb) / nullif(sum(mem_n), 0), max(max_memory_usage_mb),
           sum(lag_sum) / nullif(sum(lag_n), 0), NULL, now(),
           sum(sum_response_us), max(max_response_us), coalesce(max(m.li), '{}'), coalesce(max(m.lc), '{}'),
           coalesce(max(m.ei), '{}'), coalesce(max(m.ec), '{}'), sum(sum_query_us), sum(failed_queries),
           coalesce(max(m.qi), '{}'), coalesce(max(m.qc), '{}'),
           sum(cpu_sum), sum(cpu_n), sum(mem_sum_mb), sum(mem_n), sum(lag_sum), sum(lag_n), sum(pool_util_sum), sum(pool_util_n)
    FROM r, m
    HAVING count(*) > 0;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Refreshes the rollups of one tenant: every hour the exporter marked dirty, the hour after
-- each of them (DB spans there may belong to a request of the dirty hour), and the current
-- hour; then merges the days they belong to (days before today) into the daily rollups.
-- Processed dirty marks are deleted unless a writer marked them again meanwhile. Safe to
-- call concurrently (a per-tenant transaction advisory lock serializes callers).
CREATE FUNCTION refresh_performance_metrics_incremental(p_tenant text)
RETURNS TABLE (hours_refreshed integer, duration_ms integer, status text)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    t_id    smallint;
    started timestamptz := clock_timestamp();
    cur     timestamptz := perf_hour(now());
    today   timestamptz := perf_day(now());
    h       record;
    n       integer := 0;
    d       timestamptz;
BEGIN
    SELECT tenant_id INTO t_id FROM perf_tenants WHERE name = p_tenant;
    IF t_id IS NULL THEN
        hours_refreshed := 0; duration_ms := 0; status := 'UNKNOWN_TENANT';
        RETURN NEXT; RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('otelcol-perf:refresh'), t_id);

    CREATE TEMP TABLE IF NOT EXISTS perf_refresh_marks (hour_bucket timestamptz, mark_xmin text) ON COMMIT DROP;
    TRUNCATE perf_refresh_marks;
    INSERT INTO perf_refresh_marks
        SELECT hour_bucket, xmin::text FROM rollup_dirty_hours WHERE tenant_id = t_id;

    FOR h IN
        SELECT hb, min(reason) AS reason FROM (
            SELECT perf_hour(hour_bucket) AS hb, 'dirty' AS reason FROM perf_refresh_marks
            UNION ALL
            SELECT perf_hour(hour_bucket) + interval '1 hour', 'next' FROM perf_refresh_marks
             WHERE perf_hour(hour_bucket) + interval '1 hour' <= cur
            UNION ALL
            SELECT cur, 'current'
        ) x
        WHERE hb <= cur
        GROUP BY hb ORDER BY hb
    LOOP
        PERFORM perf_refresh_hour(t_id, h.hb);
        INSERT INTO perf_rollup_refresh_log (tenant_id, hour_bucket, reason) VALUES (t_id, h.hb, h.reason);
        n := n + 1;
    END LOOP;

    -- a mark rewritten by a writer since we read it has another xmin and stays for next time
    DELETE FROM rollup_dirty_hours r USING perf_refresh_marks m
     WHERE r.tenant_id = t_id AND r.hour_bucket = m.hour_bucket AND r.xmin::text = m.mark_xmin;

    FOR d IN SELECT day FROM perf_rollup_pending_days WHERE tenant_id = t_id AND day < today ORDER BY day LOOP
        PERFORM perf_refresh_day(t_id, d);
        DELETE FROM perf_rollup_pending_days WHERE tenant_id = t_id AND day = d;
    END LOOP;
    INSERT INTO perf_rollup_state VALUES (t_id, today)
        ON CONFLICT (tenant_id) DO UPDATE SET daily_through = excluded.daily_through;

    DELETE FROM perf_rollup_refresh_log WHERE refreshed_at < now() - interval '2 days';

    hours_refreshed := n;
    duration_ms := (extract(epoch FROM clock_timestamp() - started) * 1000)::integer;
    status := 'SUCCESS';
    RETURN NEXT;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- The original's summary helper: health and KPIs of the last p_hours_back hours (whole
-- hours, the current partial hour included), and the trend against the equal period before.
CREATE FUNCTION get_performance_summary(p_tenant text, p_hours_back integer, p_apdex_target_ms float8 DEFAULT 500)
RETURNS TABLE (health_score float8, status text, trend text, total_requests bigint,
               avg_response_time_ms float8, p95_response_time_ms float8, p99_response_time_ms float8,
               requests_per_second float8, error_rate float8, apdex float8,
               total_queries bigint, avg_query_time_ms float8, slow_query_count bigint,
               avg_cpu_usage_percent float8, avg_memory_usage_mb float8, max_memory_usage_mb float8,
               connection_pool_utilization float8)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t_id smallint;
    cur  record;
    prev record;
    f    timestamptz;
BEGIN
    IF p_hours_back IS NULL OR p_hours_back < 1 OR p_hours_back > 24 * 366 THEN
        RAISE EXCEPTION 'get_performance_summary: p_hours_back must be between 1 and 8784, got %', p_hours_back;
    END IF;
    SELECT tenant_id INTO t_id FROM perf_tenants WHERE name = p_tenant;
    IF t_id IS NULL THEN RETURN; END IF;
    f := perf_hour(now()) - make_interval(hours => p_hours_back - 1);
    SELECT * INTO cur FROM perf_summary_range(t_id, f, now(), p_apdex_target_ms);
    SELECT * INTO prev FROM perf_summary_range(t_id, f - make_interval(hours => p_hours_back), f, p_apdex_target_ms);
    health_score := cur.health_score; status := cur.status;
    trend := perf_trend(cur.health_score, prev.health_score, prev.total_requests);
    total_requests := cur.total_requests;
    avg_response_time_ms := cur.avg_response_time_ms;
    p95_response_time_ms := cur.p95_response_time_ms;
    p99_response_time_ms := cur.p99_response_time_ms;
    requests_per_second := cur.requests_per_second;
    error_rate := cur.error_rate; apdex := cur.apdex;
    total_queries := cur.total_queries; avg_query_time_ms := cur.avg_query_time_ms;
    slow_query_count := cur.slow_query_count;
    avg_cpu_usage_percent := cur.avg_cpu_usage_percent;
    avg_memory_usage_mb := cur.avg_memory_usage_mb; max_memory_usage_mb := cur.max_memory_usage_mb;
    connection_pool_utilization := cur.connection_pool_utilization;
    RETURN NEXT;
END;
$$;
-- +goose StatementEnd

-- ---------------------------------------------------------------------------------------
-- Read-side security: the GraphQL API runs every request as perf_reader, with the tenant
-- in the transaction-local setting perf.tenant_id; row-level security limits every table
-- it can read to that tenant. (Table owners and superusers, i.e. the exporter and the
-- scheduler, are not subject to these policies.)
-- ---------------------------------------------------------------------------------------
-- +goose StatementBegin
DO $$
BEGIN
    -- roles are cluster-wide and several databases may be migrated at once
    BEGIN
        CREATE ROLE perf_reader NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        BEGIN
            EXECUTE format('GRANT perf_reader TO %I', current_user);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END;
$$;
-- +goose StatementEnd

CREATE FUNCTION perf_current_tenant() RETURNS smallint
LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('perf.tenant_id', true), '')::smallint $$;

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO perf_reader', current_schema());
    FOREACH t IN ARRAY ARRAY[
        'perf_tenants', 'perf_services', 'perf_endpoints', 'perf_databases', 'perf_instances',
        'query_fingerprints', 'query_performance_log', 'api_performance_log',
        'system_resource_metrics', 'db_pool_metrics', 'performance_metrics_cache',
        'performance_metrics_daily', 'perf_endpoint_hourly', 'perf_endpoint_daily',
        'perf_query_hourly', 'perf_query_daily', 'perf_resource_hourly', 'perf_pool_hourly',
        'perf_rollup_state', 'perf_recommendations']
    LOOP
        EXECUTE format('GRANT SELECT ON %I TO perf_reader', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'perf_tenants', 'perf_services', 'perf_endpoints', 'perf_databases', 'perf_instances',
        'query_fingerprints', 'query_performance_log', 'api_performance_log',
        'system_resource_metrics', 'db_pool_metrics', 'performance_metrics_cache']
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS perf_tenant_isolation ON %I', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE SELECT ON %I FROM perf_reader', t);
    END LOOP;
    EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM perf_reader', current_schema());
END;
$$;
-- +goose StatementEnd
-- the perf_reader role is cluster-wide and may serve other databases: it is not dropped
DROP FUNCTION get_performance_summary(text, integer, float8);
DROP FUNCTION refresh_performance_metrics_incremental(text);
DROP FUNCTION perf_refresh_day(smallint, timestamptz);
DROP FUNCTION perf_summary_range(smallint, timestamptz, timestamptz, float8, integer);
DROP FUNCTION perf_trend(float8, float8, bigint);
DROP FUNCTION perf_health(bigint, bigint, bigint, bigint, float8, float8);
DROP FUNCTION perf_refresh_hour(smallint, timestamptz);
DROP FUNCTION perf_merge_queries(smallint, timestamptz, timestamptz, integer);
DROP FUNCTION perf_merge_endpoints(smallint, timestamptz, timestamptz, integer);
DROP FUNCTION perf_query_range(smallint, timestamptz, timestamptz);
DROP FUNCTION perf_endpoint_range(smallint, timestamptz, timestamptz);
DROP FUNCTION perf_tenant_range(smallint, timestamptz, timestamptz);
DROP FUNCTION perf_day_split(smallint, timestamptz, timestamptz);
DROP TABLE perf_recommendations, perf_rollup_refresh_log, perf_rollup_state, perf_rollup_pending_days,
    perf_pool_hourly, perf_resource_hourly, perf_query_daily, perf_query_hourly,
    perf_endpoint_daily, perf_endpoint_hourly, performance_metrics_daily;
-- after the tables whose policies use it
DROP FUNCTION perf_current_tenant();
ALTER TABLE performance_metrics_cache
    DROP COLUMN sum_response_us, DROP COLUMN max_response_us, DROP COLUMN lat_idx, DROP COLUMN lat_cnt,
    DROP COLUMN err_idx, DROP COLUMN err_cnt, DROP COLUMN sum_query_us, DROP COLUMN failed_queries,
    DROP COLUMN q_idx, DROP COLUMN q_cnt, DROP COLUMN cpu_sum, DROP COLUMN cpu_n, DROP COLUMN mem_sum_mb,
    DROP COLUMN mem_n, DROP COLUMN lag_sum, DROP COLUMN lag_n, DROP COLUMN pool_util_sum, DROP COLUMN pool_util_n;
DROP FUNCTION perf_day(timestamptz);
DROP FUNCTION perf_hour_ceil(timestamptz);
DROP FUNCTION perf_hour(timestamptz);
DROP FUNCTION perf_hist_count_le(integer[], bigint[], float8);
DROP FUNCTION perf_hist_quantiles(integer[], bigint[], float8[]);
DROP FUNCTION perf_hist_value(integer);
DROP FUNCTION perf_hist_bucket(bigint);
