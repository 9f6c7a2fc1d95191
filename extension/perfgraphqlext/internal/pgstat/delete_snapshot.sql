-- Drops a target's previous snapshot before the new one is copied in ($1 tenant, $2 db_namespace).
DELETE FROM perf_pgss_snapshot WHERE tenant_id = $1 AND db_namespace = $2
