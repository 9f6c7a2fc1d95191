-- New tenants named only by clients (a header or resource attribute), created while fewer
-- than $2 tenants exist: the first names in key order that fit, none once the cap is reached.
-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
INSERT INTO perf_tenants (name)
SELECT n FROM unnest($1::text[]) AS n
ORDER BY n
LIMIT greatest($2::bigint - (SELECT count(*) FROM perf_tenants), 0)
ON CONFLICT (name) DO NOTHING
