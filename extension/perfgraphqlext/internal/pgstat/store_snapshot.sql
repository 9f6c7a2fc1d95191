-- Replaces a target's previous snapshot ($1 tenant, $2 db_namespace, $3 taken_at, then the
-- parallel arrays in the table's order).
INSERT INTO perf_pgss_snapshot AS s (tenant_id, db_namespace, taken_at, userid, dbid, queryid, toplevel,
        fingerprint, calls, total_exec_ms, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied,
        shared_blks_written, temp_blks_read, temp_blks_written, wal_bytes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
ON CONFLICT (tenant_id, db_namespace) DO UPDATE SET
    taken_at = excluded.taken_at, userid = excluded.userid, dbid = excluded.dbid,
    queryid = excluded.queryid, toplevel = excluded.toplevel, fingerprint = excluded.fingerprint,
    calls = excluded.calls, total_exec_ms = excluded.total_exec_ms, rows = excluded.rows,
    shared_blks_hit = excluded.shared_blks_hit, shared_blks_read = excluded.shared_blks_read,
    shared_blks_dirtied = excluded.shared_blks_dirtied, shared_blks_written = excluded.shared_blks_written,
    temp_blks_read = excluded.temp_blks_read, temp_blks_written = excluded.temp_blks_written,
    wal_bytes = excluded.wal_bytes
