-- Pool history from the minute samples in bins of $5 (under an hour), as pool_history.sql:
-- utilization (used/max where max is known) and wait are means over the samples;
-- used/idle/pending are each pool's mean over the bin, summed over instances and pools.
WITH p AS (
    SELECT date_bin($5::interval, m.ts, '2000-01-01 00:00:00+00') b, m.instance_id, m.pool_name,
        sum(100.0 * m.used / m.max) FILTER (WHERE m.max > 0 AND m.used IS NOT NULL) util_sum,
        count(*) FILTER (WHERE m.max > 0 AND m.used IS NOT NULL) util_n,
        sum(m.wait_time_ms) wait_sum, count(m.wait_time_ms) wait_n,
        avg(m.used) used, avg(m.idle) idle, avg(m.pending_requests) pending
    FROM db_pool_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = $1 AND m.ts >= $2 AND m.ts < $3 AND ($4::integer IS NULL OR i.service_id = $4)
    GROUP BY 1, 2, 3)
SELECT b, sum(util_sum) / nullif(sum(util_n), 0), sum(used)::float8, sum(idle)::float8, sum(pending)::float8,
    sum(wait_sum) / nullif(sum(wait_n), 0)
    FROM p GROUP BY b ORDER BY b
