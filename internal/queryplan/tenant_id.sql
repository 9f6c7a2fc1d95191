-- The id of a configured target's tenant, created when the tenant has sent no data yet ($1 name).
WITH ins AS (
    INSERT INTO perf_tenants (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING tenant_id
)
SELECT tenant_id FROM ins
UNION ALL
SELECT tenant_id FROM perf_tenants WHERE name = $1
LIMIT 1
