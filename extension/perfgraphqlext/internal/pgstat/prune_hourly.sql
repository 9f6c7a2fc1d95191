-- Hours of a tenant older than the retention of the hourly rollups ($1 tenant, $2 cut).
DELETE FROM perf_query_server_hourly WHERE tenant_id = $1 AND bucket < $2
