-- What the previous snapshot of a target recorded ($1 tenant, $2 db_namespace).
SELECT last_snapshot_at, stats_reset, dealloc
  FROM perf_monitored_databases
 WHERE tenant_id = $1 AND db_namespace = $2
