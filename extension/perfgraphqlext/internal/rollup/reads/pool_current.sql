-- Current pool state: the latest sample of each instance and pool within the last hour before $3, summed.
SELECT coalesce(sum(used), 0)::bigint, coalesce(sum(idle), 0)::bigint,
    coalesce(sum(max), 0)::bigint, coalesce(sum(pending_requests), 0)::bigint FROM (
        SELECT DISTINCT ON (m.instance_id, m.pool_name) m.used, m.idle, m.max, m.pending_requests
        FROM db_pool_metrics m LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
        WHERE m.tenant_id = $1 AND m.ts >= greatest($2::timestamptz, $3::timestamptz - interval '1 hour') AND m.ts < $4::timestamptz
          AND ($5::integer IS NULL OR i.service_id = $5)
        ORDER BY m.instance_id, m.pool_name, m.ts DESC) x
