-- What the servers of the tenant's monitored databases executed for one fingerprint over
-- [$2, $3), per database ($4 fingerprint), from the pg_stat_statements snapshots.
SELECT db_namespace, sum(calls)::bigint, sum(total_exec_ms), sum(rows)::bigint,
       sum(shared_blks_hit)::bigint, sum(shared_blks_read)::bigint, sum(shared_blks_dirtied)::bigint,
       sum(shared_blks_written)::bigint, sum(temp_blks_read)::bigint, sum(temp_blks_written)::bigint,
       sum(wal_bytes)::bigint, min(bucket), max(bucket)
  FROM perf_query_server_hourly
 WHERE tenant_id = $1 AND bucket >= $2 AND bucket < $3 AND fingerprint = $4
 GROUP BY db_namespace
 ORDER BY sum(total_exec_ms) DESC, db_namespace
