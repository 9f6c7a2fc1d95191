-- The id of a configured target's tenant, created when the tenant has sent no data yet ($1 name).
SELECT perf_ensure_tenant($1)
