-- The pg_stat_statements entries of the connected database, without their text (reading the
-- texts means reading the server's query-text file: they are fetched only for new queryids).
-- Other databases of the server are left out: they may belong to another tenant. An entry
-- of another role whose statistics the role may not read has a NULL queryid (it lacks
-- pg_read_all_stats): counted, not used. {{schema}}, {{toplevel}}, {{total_exec_time}} and
-- {{wal_bytes}} are filled in for the server's version (pgstat.readSQL).
SELECT userid, dbid, {{toplevel}}, queryid, calls, {{total_exec_time}}, rows,
       shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
       temp_blks_read, temp_blks_written, {{wal_bytes}}
  FROM {{schema}}.pg_stat_statements(false)
 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
