-- The id of a tenant by name; no row for a tenant that never sent data.
SELECT tenant_id FROM perf_tenants WHERE name = $1
