-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_tenants (name)
SELECT n FROM unnest($1::text[]) AS n ORDER BY n
ON CONFLICT (name) DO NOTHING
