-- Adds one snapshot's deltas to the hour ($1 tenant, $2 bucket, $3 db_namespace, then one
-- array per column, one element per fingerprint). wal_bytes stays NULL while every snapshot
-- of the hour came from a server without it (before PostgreSQL 13).
INSERT INTO perf_query_server_hourly AS h (tenant_id, fingerprint, bucket, db_namespace, calls,
        total_exec_ms, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied,
        shared_blks_written, temp_blks_read, temp_blks_written, wal_bytes)
SELECT $1, u.fp, $2, $3, u.calls, u.total, u.rows, u.hit, u.read, u.dirtied, u.written,
       u.tread, u.twritten, u.wal
  FROM unnest($4::bigint[], $5::bigint[], $6::float8[], $7::bigint[], $8::bigint[], $9::bigint[],
              $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[])
       AS u (fp, calls, total, rows, hit, read, dirtied, written, tread, twritten, wal)
ON CONFLICT (tenant_id, fingerprint, bucket, db_namespace) DO UPDATE SET
    calls = h.calls + excluded.calls,
    total_exec_ms = h.total_exec_ms + excluded.total_exec_ms,
    rows = h.rows + excluded.rows,
    shared_blks_hit = h.shared_blks_hit + excluded.shared_blks_hit,
    shared_blks_read = h.shared_blks_read + excluded.shared_blks_read,
    shared_blks_dirtied = h.shared_blks_dirtied + excluded.shared_blks_dirtied,
    shared_blks_written = h.shared_blks_written + excluded.shared_blks_written,
    temp_blks_read = h.temp_blks_read + excluded.temp_blks_read,
    temp_blks_written = h.temp_blks_written + excluded.temp_blks_written,
    wal_bytes = CASE WHEN h.wal_bytes IS NULL AND excluded.wal_bytes IS NULL THEN NULL
                     ELSE coalesce(h.wal_bytes, 0) + coalesce(excluded.wal_bytes, 0) END
