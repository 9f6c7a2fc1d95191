-- How far the daily rollups of a tenant are consolidated: whole days before it are read
-- from the daily tables.
SELECT daily_through FROM perf_rollup_state WHERE tenant_id = $1
