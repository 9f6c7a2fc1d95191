-- Resource series from the hourly rollups.
SELECT date_bin($4::interval, bucket, '2000-01-01 00:00:00+00') b,
        sum(cpu_sum) / nullif(sum(cpu_n), 0), max(cpu_max),
        sum(mem_sum) / nullif(sum(mem_n), 0) / 1048576.0, max(mem_max) / 1048576.0, max(mem_total_max) / 1048576.0,
        sum(heap_sum) / nullif(sum(heap_n), 0) / 1048576.0, max(heap_total_max) / 1048576.0,
        sum(lag_sum) / nullif(sum(lag_n), 0), sum(conn_sum) / nullif(sum(conn_n), 0), count(DISTINCT instance_id)
    FROM perf_resource_hourly
    WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND ($5::integer IS NULL OR service_id = $5)
    GROUP BY 1 ORDER BY 1
