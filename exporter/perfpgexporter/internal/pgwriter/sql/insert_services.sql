-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_services (tenant_id, name)
SELECT * FROM unnest($1::integer[], $2::text[]) ORDER BY 1, 2
ON CONFLICT (tenant_id, name) DO NOTHING
