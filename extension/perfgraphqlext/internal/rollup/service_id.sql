-- The id of a service of a tenant by name.
SELECT service_id FROM perf_services WHERE tenant_id = $1 AND name = $2
