-- The previous snapshot of a target ($1 tenant, $2 db_namespace): parallel arrays, one
-- element per pg_stat_statements entry.
SELECT userid, dbid, toplevel, queryid, fingerprint, calls, total_exec_ms, rows,
       shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
       temp_blks_read, temp_blks_written, wal_bytes
  FROM perf_pgss_snapshot
 WHERE tenant_id = $1 AND db_namespace = $2
