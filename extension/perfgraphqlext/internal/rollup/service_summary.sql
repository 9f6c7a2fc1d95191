-- The sums and histograms of one service for each window [$2[k], $3[k]), in the column
-- order of the per-tenant rollups (rollup_read.go, Summaries): what perf_summary_range
-- reads for a service, the formulas then applied in Go. $1 tenant, $4 service.
SELECT w.k::int - 1, e.requests, e.errors, e.sum_us, e.max_us, e.q_calls, e.q_errors, e.q_slow, e.q_sum_us,
       rs.cpu_sum, rs.cpu_n, rs.mem_sum, rs.mem_n, rs.mem_max, rs.lag_sum, rs.lag_n, ps.util_sum, ps.util_n,
       e.lat_idx, e.lat_cnt, e.err_idx, e.err_cnt, e.q_idx, e.q_cnt
FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY w(f, t, k)
CROSS JOIN LATERAL perf_merge_range($1, w.f, w.t, $4) e
CROSS JOIN LATERAL (
    SELECT coalesce(sum(cpu_sum), 0) cpu_sum, coalesce(sum(cpu_n), 0)::bigint cpu_n,
           coalesce(sum(mem_sum), 0) / 1048576.0 mem_sum, coalesce(sum(mem_n), 0)::bigint mem_n,
           max(mem_max) / 1048576.0 mem_max, coalesce(sum(lag_sum), 0) lag_sum, coalesce(sum(lag_n), 0)::bigint lag_n
    FROM perf_resource_hourly WHERE tenant_id = $1 AND bucket >= perf_hour(w.f) AND bucket < perf_hour_ceil(w.t) AND service_id = $4) rs
CROSS JOIN LATERAL (
    SELECT coalesce(sum(util_sum), 0) util_sum, coalesce(sum(util_n), 0)::bigint util_n
    FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= perf_hour(w.f) AND bucket < perf_hour_ceil(w.t) AND service_id = $4) ps
