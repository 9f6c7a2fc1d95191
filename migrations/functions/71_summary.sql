
-- Merged request statistics of the endpoint rollups and call statistics of the query rollups
-- in [p_from, p_to) (optionally one service). Every caller wants both.
-- The histograms are merged inline (unnest every row's pairs, sum per bucket) rather than through
-- perf_hist_sum: that takes arrays, and building them costs more than the merge. Measured on
-- 3000 rows of ~100 buckets: 50-100 ms inline, 140-260 ms over array_agg, 1.5-3 s over
-- perf_array_cat, whose array_cat copies the growing state on every row. perf_refresh_day
-- uses perf_array_cat only per group of at most 24 hourly rows.
CREATE OR REPLACE FUNCTION perf_merge_range(p_tenant integer, p_from timestamptz, p_to timestamptz, p_service integer)
RETURNS TABLE (requests bigint, errors bigint, sum_us bigint, max_us bigint,
               lat_idx integer[], lat_cnt bigint[], err_idx integer[], err_cnt bigint[],
               q_calls bigint, q_errors bigint, q_slow bigint, q_sum_us bigint, q_idx integer[], q_cnt bigint[])
LANGUAGE sql STABLE AS $$
    WITH r AS MATERIALIZED (
        SELECT * FROM perf_endpoint_range(p_tenant, p_from, p_to)
        WHERE p_service IS NULL OR service_id = p_service
    ), q AS MATERIALIZED (
        SELECT * FROM perf_query_range(p_tenant, p_from, p_to)
        WHERE p_service IS NULL OR service_id = p_service
    )
    SELECT ra.requests, ra.errors, ra.sum_us, ra.max_us,
           coalesce(l.i, '{}'), coalesce(l.c, '{}'), coalesce(e.i, '{}'), coalesce(e.c, '{}'),
           qa.calls, qa.errors, qa.slow, qa.sum_us, coalesce(ql.i, '{}'), coalesce(ql.c, '{}')
    FROM (SELECT coalesce(sum(requests), 0)::bigint requests, coalesce(sum(errors), 0)::bigint errors,
                 coalesce(sum(sum_us), 0)::bigint sum_us, coalesce(max(max_us), 0)::bigint max_us FROM r) ra,
         (SELECT coalesce(sum(calls), 0)::bigint calls, coalesce(sum(errors), 0)::bigint errors,
                 coalesce(sum(slow_calls), 0)::bigint slow, coalesce(sum(sum_us), 0)::bigint sum_us FROM q) qa,
         (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY u.i) x) l,
         (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.err_idx, r.err_cnt) u(i, c) GROUP BY u.i) x) e,
         (SELECT array_agg(i ORDER BY i) i, array_agg(c ORDER BY i) c FROM (
              SELECT u.i, sum(u.c)::bigint c FROM q, unnest(q.lat_idx, q.lat_cnt) u(i, c) GROUP BY u.i) x) ql
$$;

-- Everything performanceOverview and get_performance_summary report for [p_from, p_to),
-- resolved at hour granularity. p_service restricts to one service (NULL: all).
CREATE OR REPLACE FUNCTION perf_summary_range(p_tenant integer, p_from timestamptz, p_to timestamptz,
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
        WITH e AS (SELECT * FROM perf_merge_range(p_tenant, f, t, p_service)),
             rs AS (SELECT coalesce(sum(cpu_sum), 0) cpu_sum, coalesce(sum(cpu_n), 0) cpu_n,
                           coalesce(sum(mem_sum), 0) / 1048576.0 mem_sum, coalesce(sum(mem_n), 0) mem_n,
                           max(mem_max) / 1048576.0 mem_max, coalesce(sum(lag_sum), 0) lag_sum, coalesce(sum(lag_n), 0) lag_n
                      FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket >= f AND bucket < t AND service_id = p_service),
             ps AS (SELECT coalesce(sum(util_sum), 0) util_sum, coalesce(sum(util_n), 0) util_n
                      FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket >= f AND bucket < t AND service_id = p_service)
        SELECT e.requests, e.errors, e.sum_us, e.max_us, e.q_calls, e.q_errors, e.q_slow,
               e.q_sum_us, rs.cpu_sum, rs.cpu_n, rs.mem_sum, rs.mem_n, rs.mem_max, rs.lag_sum, rs.lag_n,
               ps.util_sum, ps.util_n, e.lat_idx l_i, e.lat_cnt l_c, e.err_idx e_i, e.err_cnt e_c, e.q_idx q_i, e.q_cnt q_c
        INTO a FROM e, rs, ps;
    END IF;

    secs := extract(epoch FROM (least(t, now()) - f));
    -- clamped to the largest duration, as the Go summary (rollup.tenantAgg.summary) does
    pq := perf_hist_quantiles(a.l_i, a.l_c, '{0.5,0.95,0.99}', NULL, a.max_us);
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

-- The original's summary helper: health and KPIs of the last p_hours_back hours (whole
-- hours, the current partial hour included), and the trend against the equal period before.
CREATE OR REPLACE FUNCTION get_performance_summary(p_tenant text, p_hours_back integer, p_apdex_target_ms float8 DEFAULT 500)
RETURNS TABLE (health_score float8, status text, trend text, total_requests bigint,
               avg_response_time_ms float8, p95_response_time_ms float8, p99_response_time_ms float8,
               requests_per_second float8, error_rate float8, apdex float8,
               total_queries bigint, avg_query_time_ms float8, slow_query_count bigint,
               avg_cpu_usage_percent float8, avg_memory_usage_mb float8, max_memory_usage_mb float8,
               connection_pool_utilization float8)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t_id integer;
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
