-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
-- Two tenants redirected to the default (tenant.max_tenants) can give one key twice in a
-- batch, which DO UPDATE refuses: one of them is kept.
INSERT INTO db_pool_metrics AS t
    (ts, tenant_id, instance_id, pool_name, used, idle, max, pending_requests, wait_time_ms)
SELECT DISTINCT ON (1, 2, 3, 4) *
FROM unnest($1::timestamptz[], $2::integer[], $3::int[], $4::text[], $5::int[],
            $6::int[], $7::int[], $8::int[], $9::real[])
ORDER BY 1, 2, 3, 4
ON CONFLICT (tenant_id, ts, instance_id, pool_name) DO UPDATE SET
    used             = coalesce(EXCLUDED.used, t.used),
    idle             = coalesce(EXCLUDED.idle, t.idle),
    max              = coalesce(EXCLUDED.max, t.max),
    pending_requests = coalesce(EXCLUDED.pending_requests, t.pending_requests),
    wait_time_ms     = coalesce(EXCLUDED.wait_time_ms, t.wait_time_ms)
