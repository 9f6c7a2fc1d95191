SELECT name, tenant_id FROM perf_tenants WHERE name = ANY($1::text[])
