-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_instances (tenant_id, service_id, host_name, service_instance_id)
SELECT * FROM unnest($1::integer[], $2::int[], $3::text[], $4::text[]) ORDER BY 1, 2, 3, 4
ON CONFLICT (tenant_id, service_id, host_name, service_instance_id) DO NOTHING
