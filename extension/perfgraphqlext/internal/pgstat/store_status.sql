-- The state of a target after a check ($1 tenant, $2 db_namespace, $3 reachable,
-- $4 server_version, $5 has_pg_stat_statements, $6 has_auto_explain, $7 has_hypopg, $8 error,
-- $9 checked_at, $10 snapshot taken at (NULL: none, the previous one stays), $11 statements,
-- $12 stats_reset, $13 dealloc).
INSERT INTO perf_monitored_databases AS m (tenant_id, db_namespace, reachable, server_version,
        has_pg_stat_statements, has_auto_explain, has_hypopg, error, checked_at,
        last_snapshot_at, statements, stats_reset, dealloc)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (tenant_id, db_namespace) DO UPDATE SET
    reachable = excluded.reachable,
    server_version = coalesce(excluded.server_version, m.server_version),
    has_pg_stat_statements = excluded.has_pg_stat_statements,
    has_auto_explain = excluded.has_auto_explain,
    has_hypopg = excluded.has_hypopg,
    error = excluded.error,
    checked_at = excluded.checked_at,
    last_snapshot_at = coalesce(excluded.last_snapshot_at, m.last_snapshot_at),
    statements = CASE WHEN excluded.last_snapshot_at IS NULL THEN m.statements ELSE excluded.statements END,
    stats_reset = CASE WHEN excluded.last_snapshot_at IS NULL THEN m.stats_reset ELSE excluded.stats_reset END,
    dealloc = CASE WHEN excluded.last_snapshot_at IS NULL THEN m.dealloc ELSE excluded.dealloc END
