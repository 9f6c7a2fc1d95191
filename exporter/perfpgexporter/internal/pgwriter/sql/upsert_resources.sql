-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
-- Metrics of one minute arrive in several batches (one metric per export, or several
-- SDK readers): merge column by column, newest reported value wins. Replays are harmless.
-- Two tenants redirected to the default (tenant.max_tenants) can give one key twice in a
-- batch, which DO UPDATE refuses: one of them is kept.
INSERT INTO system_resource_metrics AS t
    (ts, tenant_id, instance_id, cpu_usage_percent, memory_used_bytes, memory_total_bytes,
     heap_used_bytes, heap_total_bytes, event_loop_lag_ms, active_connections)
SELECT DISTINCT ON (1, 2, 3) *
FROM unnest($1::timestamptz[], $2::integer[], $3::int[], $4::real[], $5::bigint[],
            $6::bigint[], $7::bigint[], $8::bigint[], $9::real[], $10::int[])
ORDER BY 1, 2, 3
ON CONFLICT (tenant_id, ts, instance_id) DO UPDATE SET
    cpu_usage_percent  = coalesce(EXCLUDED.cpu_usage_percent, t.cpu_usage_percent),
    memory_used_bytes  = coalesce(EXCLUDED.memory_used_bytes, t.memory_used_bytes),
    memory_total_bytes = coalesce(EXCLUDED.memory_total_bytes, t.memory_total_bytes),
    heap_used_bytes    = coalesce(EXCLUDED.heap_used_bytes, t.heap_used_bytes),
    heap_total_bytes   = coalesce(EXCLUDED.heap_total_bytes, t.heap_total_bytes),
    event_loop_lag_ms  = coalesce(EXCLUDED.event_loop_lag_ms, t.event_loop_lag_ms),
    active_connections = coalesce(EXCLUDED.active_connections, t.active_connections)
