-- Pool history from the hourly rollups in bins of $5 (an hour or more): utilization and wait
-- are sample-weighted means; used/idle/pending are each pool's mean over the bin, summed
-- over instances and pools.
WITH p AS (
    SELECT date_bin($5::interval, bucket, '2000-01-01 00:00:00+00') b, instance_id, pool_name,
        sum(util_sum) util_sum, sum(util_n) util_n, sum(wait_sum) wait_sum, sum(wait_n) wait_n,
        sum(used_sum) / nullif(sum(used_n), 0) used, sum(idle_sum) / nullif(sum(idle_n), 0) idle,
        sum(pending_sum) / nullif(sum(pending_n), 0) pending
    FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR service_id = $4)
    GROUP BY 1, 2, 3)
SELECT b, sum(util_sum) / nullif(sum(util_n), 0), sum(used), sum(idle), sum(pending), sum(wait_sum) / nullif(sum(wait_n), 0)
    FROM p GROUP BY b ORDER BY b
