-- Merges the hourly rollups of one UTC day into the daily rollups. Per endpoint (and per
-- fingerprint, endpoint, service) the day's hourly histogram arrays are concatenated
-- (perf_array_cat) and summed per bucket once per group (perf_hist_sum); a first version
-- unnested every hourly row and grouped all (group, bucket) pairs of the day together, then
-- sorted them: 3x the time. min_us stays NULL (unknown) when an hour does not know it.
CREATE OR REPLACE FUNCTION perf_refresh_day(p_tenant integer, p_day timestamptz) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    d0 timestamptz := perf_day(p_day);
    d1 timestamptz := perf_day(p_day) + interval '1 day';
BEGIN
    DELETE FROM perf_endpoint_daily WHERE tenant_id = p_tenant AND bucket = d0;
    INSERT INTO perf_endpoint_daily (tenant_id, bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx,
                                     sum_us, max_us, min_us, req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n,
                                     lat_idx, lat_cnt, err_idx, err_cnt)
    SELECT p_tenant, d0, g.endpoint_id, g.service_id, g.requests, g.errors, g.s4, g.s5, g.sum_us, g.max_us, g.min_us,
           g.rqs, g.rqn, g.rss, g.rsn, coalesce(l.idx, '{}'), coalesce(l.cnt, '{}'), coalesce(e.idx, '{}'), coalesce(e.cnt, '{}')
    FROM (SELECT endpoint_id, max(service_id) service_id, sum(requests) requests, sum(errors) errors,
                 sum(status_4xx) s4, sum(status_5xx) s5, sum(sum_us) sum_us, max(max_us) max_us, CASE WHEN count(min_us) = count(*) THEN min(min_us) END min_us,
                 sum(req_bytes_sum) rqs, sum(req_bytes_n) rqn, sum(resp_bytes_sum) rss, sum(resp_bytes_n) rsn,
                 perf_array_cat(lat_idx) li, perf_array_cat(lat_cnt) lc, perf_array_cat(err_idx) ei, perf_array_cat(err_cnt) ec
            FROM perf_endpoint_hourly WHERE tenant_id = p_tenant AND bucket >= d0 AND bucket < d1
           GROUP BY endpoint_id) g
    CROSS JOIN LATERAL perf_hist_sum(g.li, g.lc) l
    CROSS JOIN LATERAL perf_hist_sum(g.ei, g.ec) e;

    DELETE FROM perf_query_daily WHERE tenant_id = p_tenant AND bucket = d0;
    INSERT INTO perf_query_daily (tenant_id, bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls,
                                  sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt)
    SELECT p_tenant, d0, g.fingerprint, g.endpoint_id, g.service_id, g.calls, g.errors, g.slow, g.sum_us, g.max_us, g.min_us,
           g.rs, g.rn, coalesce(l.idx, '{}'), coalesce(l.cnt, '{}')
    FROM (SELECT fingerprint, endpoint_id, service_id, sum(calls) calls, sum(errors) errors, sum(slow_calls) slow,
                 sum(sum_us) sum_us, max(max_us) max_us, CASE WHEN count(min_us) = count(*) THEN min(min_us) END min_us, sum(rows_sum) rs, sum(rows_n) rn,
                 perf_array_cat(lat_idx) li, perf_array_cat(lat_cnt) lc
            FROM perf_query_hourly WHERE tenant_id = p_tenant AND bucket >= d0 AND bucket < d1
           GROUP BY fingerprint, endpoint_id, service_id) g
    CROSS JOIN LATERAL perf_hist_sum(g.li, g.lc) l;

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
