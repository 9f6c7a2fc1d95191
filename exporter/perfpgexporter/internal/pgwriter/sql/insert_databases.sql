-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_databases (tenant_id, db_system, db_namespace)
SELECT * FROM unnest($1::integer[], $2::text[], $3::text[]) ORDER BY 1, 2, 3
ON CONFLICT (tenant_id, db_system, db_namespace) DO NOTHING
