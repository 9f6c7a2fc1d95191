-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
-- Marks the (tenant, hour) buckets a write touched. DO UPDATE (not DO NOTHING) takes the
-- row lock until this transaction commits, so a rollup refresh that claims (deletes) the
-- mark concurrently waits for these rows to be visible before it aggregates.
INSERT INTO rollup_dirty_hours (tenant_id, hour_bucket)
SELECT * FROM unnest($1::integer[], $2::timestamptz[]) ORDER BY 1, 2
ON CONFLICT (tenant_id, hour_bucket) DO UPDATE SET marked_at = now()
