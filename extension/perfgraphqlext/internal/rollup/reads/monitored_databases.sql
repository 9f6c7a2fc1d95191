-- The tenant's monitored databases and their state at the last check.
SELECT db_namespace, reachable, server_version, has_pg_stat_statements, has_auto_explain, has_hypopg,
       error, checked_at, last_snapshot_at, statements
  FROM perf_monitored_databases
 WHERE tenant_id = $1
 ORDER BY db_namespace
