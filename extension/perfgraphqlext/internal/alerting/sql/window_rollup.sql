-- Per endpoint counts of a window from the endpoint rollups through the range reader: whole
-- days and hours of [$2, $3), and the minutes of its partial hours (widened to whole minutes). Latency counts come from the histograms (bucket resolution); a request that
-- errored is in err_idx/err_cnt as well as in lat_idx/lat_cnt.
SELECT r.endpoint_id, r.service_id,
       sum(r.requests)::bigint   AS requests,
       sum(r.status_5xx)::bigint AS status_5xx,
       sum(perf_hist_count_le(r.lat_idx, r.lat_cnt, $4::float8))::bigint AS under_threshold,
       sum(r.errors)::bigint     AS errors,
       sum(greatest(perf_hist_count_le(r.lat_idx, r.lat_cnt, $5::float8)
                    - perf_hist_count_le(r.err_idx, r.err_cnt, $5::float8), 0))::bigint AS satisfied_ok,
       sum(greatest(perf_hist_count_le(r.lat_idx, r.lat_cnt, 4 * $5::float8)
                    - perf_hist_count_le(r.err_idx, r.err_cnt, 4 * $5::float8), 0))::bigint AS tolerating_or_better_ok
  FROM perf_endpoint_range($1, $2, $3) r
 GROUP BY r.endpoint_id, r.service_id
