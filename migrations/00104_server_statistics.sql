-- +goose Up
-- Server-side statistics of the monitored databases (the perfgraphql extension's targets),
-- read from pg_stat_statements by the scheduler's leader.

-- The state of each target as last seen by the leader: what the API's monitoredDatabases
-- shows the target's tenant. error is a description without host, user or database names.
CREATE TABLE perf_monitored_databases (
    tenant_id              integer NOT NULL REFERENCES perf_tenants,
    db_namespace           text NOT NULL,
    reachable              boolean NOT NULL,
    server_version         integer,          -- server_version_num
    has_pg_stat_statements boolean NOT NULL,
    has_auto_explain       boolean NOT NULL,
    has_hypopg             boolean NOT NULL,
    error                  text,
    checked_at             timestamptz NOT NULL,
    last_snapshot_at       timestamptz,
    statements             integer,          -- pg_stat_statements entries of the database at the last snapshot
    -- pg_stat_statements_info (PostgreSQL 14+): a changed stats_reset means every entry was
    -- reset since the previous snapshot
    stats_reset            timestamptz,
    dealloc                bigint,
    PRIMARY KEY (tenant_id, db_namespace)
);

-- The previous snapshot of each target, so that the next snapshot (of this leader or the
-- next one) takes deltas: one row per target, one array element per pg_stat_statements entry
-- of its database (the arrays are parallel). A row per entry would cost the leader thousands
-- of index insertions per target and interval; the snapshot is only ever read whole.
-- Internal to the scheduler: no grant to perf_reader.
CREATE TABLE perf_pgss_snapshot (
    tenant_id           integer NOT NULL REFERENCES perf_tenants,
    db_namespace        text NOT NULL,
    taken_at            timestamptz NOT NULL,
    userid              oid[] NOT NULL,
    dbid                oid[] NOT NULL,
    queryid             bigint[] NOT NULL,
    toplevel            boolean[] NOT NULL,
    fingerprint         bigint[] NOT NULL,
    calls               bigint[] NOT NULL,
    total_exec_ms       double precision[] NOT NULL,
    rows                bigint[] NOT NULL,
    shared_blks_hit     bigint[] NOT NULL,
    shared_blks_read    bigint[] NOT NULL,
    shared_blks_dirtied bigint[] NOT NULL,
    shared_blks_written bigint[] NOT NULL,
    temp_blks_read      bigint[] NOT NULL,
    temp_blks_written   bigint[] NOT NULL,
    wal_bytes           bigint[] NOT NULL,     -- elements NULL before PostgreSQL 13
    PRIMARY KEY (tenant_id, db_namespace)
);

-- What the targets' servers executed per hour and fingerprint (the sqlnorm fingerprint of
-- the pg_stat_statements text, the same as the client spans' of the statement): the deltas
-- of the snapshots that ended in the hour, summed over the entries of the fingerprint.
CREATE TABLE perf_query_server_hourly (
    tenant_id           integer NOT NULL REFERENCES perf_tenants,
    fingerprint         bigint NOT NULL,
    bucket              timestamptz NOT NULL,
    db_namespace        text NOT NULL,
    calls               bigint NOT NULL,
    total_exec_ms       double precision NOT NULL,
    rows                bigint NOT NULL,
    shared_blks_hit     bigint NOT NULL,
    shared_blks_read    bigint NOT NULL,
    shared_blks_dirtied bigint NOT NULL,
    shared_blks_written bigint NOT NULL,
    temp_blks_read      bigint NOT NULL,
    temp_blks_written   bigint NOT NULL,
    wal_bytes           bigint,
    PRIMARY KEY (tenant_id, fingerprint, bucket, db_namespace)
);
CREATE INDEX perf_query_server_hourly_bucket ON perf_query_server_hourly (tenant_id, bucket);

-- The normalized text of every fingerprint a target's server reported, which the client
-- spans may never have shown (statements of jobs, other applications): what plans are made
-- from. Written once per (tenant, database, fingerprint).
CREATE TABLE perf_server_statements (
    tenant_id       integer NOT NULL REFERENCES perf_tenants,
    db_namespace    text NOT NULL,
    fingerprint     bigint NOT NULL,
    normalized_text text NOT NULL,
    summary         text NOT NULL,
    operation       text NOT NULL,
    first_seen      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, db_namespace, fingerprint)
);

-- perf_reader reads perf_monitored_databases, perf_query_server_hourly and
-- perf_server_statements (functions/95_tenant_isolation.sql).

-- +goose Down
DROP TABLE IF EXISTS perf_server_statements, perf_query_server_hourly, perf_pgss_snapshot, perf_monitored_databases;
