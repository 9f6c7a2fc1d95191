-- Hourly pool history; used/idle/pending are summed over instances and pools.
SELECT bucket, sum(util_sum) / nullif(sum(util_n), 0),
    sum(used_sum / nullif(used_n, 0)), sum(idle_sum / nullif(idle_n, 0)), sum(pending_sum / nullif(pending_n, 0)),
    sum(wait_sum) / nullif(sum(wait_n), 0)
    FROM perf_pool_hourly WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($4::integer IS NULL OR service_id = $4)
    GROUP BY bucket ORDER BY bucket
