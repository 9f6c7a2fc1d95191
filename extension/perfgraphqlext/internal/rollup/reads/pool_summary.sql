-- Utilization and wait over the window from the hourly pool rollups.
SELECT sum(util_sum) / nullif(sum(util_n), 0), max(util_max),
    sum(wait_sum) / nullif(sum(wait_n), 0), max(wait_max)
    FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR service_id = $4)
