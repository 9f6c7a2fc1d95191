-- Totals and p50/p95/p99 of one fingerprint over [$2, $3) ($4 fingerprint, $5 service or NULL);
-- the quantiles clamped to the smallest and largest execution (the smallest unknown when a
-- row predates min_us).
WITH r AS MATERIALIZED (SELECT * FROM perf_query_range($1, $2, $3) WHERE fingerprint = $4 AND ($5::integer IS NULL OR service_id = $5)),
    h AS (SELECT u.i, sum(u.c)::bigint c FROM r, unnest(r.lat_idx, r.lat_cnt) u(i, c) GROUP BY 1)
    SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(errors), 0)::bigint, coalesce(sum(sum_us), 0)::bigint,
           coalesce(max(max_us), 0)::bigint, coalesce(sum(rows_sum), 0)::bigint, coalesce(sum(rows_n), 0)::bigint,
           (SELECT perf_hist_quantiles(array_agg(i ORDER BY i), array_agg(c ORDER BY i), '{0.5,0.95,0.99}',
                   (SELECT CASE WHEN count(min_us) = count(*) THEN min(min_us) END FROM r)::float8,
                   (SELECT max(max_us) FROM r)::float8) FROM h)
    FROM r
