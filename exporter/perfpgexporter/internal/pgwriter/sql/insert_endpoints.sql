-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_endpoints (tenant_id, service_id, span_kind, method, route)
SELECT * FROM unnest($1::integer[], $2::int[], $3::text[], $4::text[], $5::text[]) ORDER BY 1, 2, 3, 4, 5
ON CONFLICT (tenant_id, service_id, span_kind, method, route) DO NOTHING
