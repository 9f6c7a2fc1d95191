-- +goose Up
-- Query plans of the monitored databases (the perfgraphql extension's targets), redacted by
-- internal/queryplan before they are written: every expression's literals are ?, and only
-- keys on its allow-list are kept.

-- One row per distinct plan of a statement: (tenant, database, fingerprint, source, shape).
-- source 'actual': executions auto_explain logged (perfpg exporter, logs pipeline); the
-- exec_* columns sum their durations. source 'generic': the planner's generic plan of the
-- statement (scheduler leader, EXPLAIN EXECUTE under plan_cache_mode = force_generic_plan);
-- times_seen counts the runs that found this plan. A generic and an actual plan of the same
-- shape are two rows: one has estimates, the other what happened.
-- plan_hash is the hash of the plan's shape (node types, relations, indexes, join structure;
-- not costs, rows, times or expressions): queryplan.ShapeHash.
CREATE TABLE perf_query_plans (
    tenant_id     integer NOT NULL REFERENCES perf_tenants,
    db_namespace  text NOT NULL,
    fingerprint   bigint NOT NULL,
    source        text NOT NULL CHECK (source IN ('generic', 'actual')),
    plan_hash     bigint NOT NULL,
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    times_seen    bigint NOT NULL,
    plan          jsonb NOT NULL,          -- the redacted plan of the latest sighting
    plan_text     text NOT NULL,           -- one line per node, indented, with its conditions
    top_node      text NOT NULL,           -- the root node: "Seq Scan on public.orders"
    total_cost    double precision,        -- the planner's estimate of the root (latest sighting)
    -- source 'actual' only (NULL for generic plans): auto_explain's duration of the logged
    -- executions of this plan, in ms
    exec_total_ms double precision,
    exec_min_ms   double precision,
    exec_max_ms   double precision,
    PRIMARY KEY (tenant_id, db_namespace, fingerprint, source, plan_hash)
);
CREATE INDEX perf_query_plans_last_seen ON perf_query_plans (tenant_id, last_seen);

-- A statement's plan changed: a plan of another shape than the last one seen (of the same
-- source) was seen at changed_at. old_plan_hash is the plan last seen before, new_plan_hash
-- the one seen now (both rows of perf_query_plans).
CREATE TABLE perf_query_plan_changes (
    tenant_id     integer NOT NULL REFERENCES perf_tenants,
    db_namespace  text NOT NULL,
    fingerprint   bigint NOT NULL,
    source        text NOT NULL CHECK (source IN ('generic', 'actual')),
    changed_at    timestamptz NOT NULL,
    old_plan_hash bigint NOT NULL,
    new_plan_hash bigint NOT NULL,
    PRIMARY KEY (tenant_id, db_namespace, fingerprint, source, changed_at, new_plan_hash)
);
CREATE INDEX perf_query_plan_changes_at ON perf_query_plan_changes (tenant_id, changed_at);

-- Whether the scheduler could make a generic plan of a statement of a target, and why not:
-- status 'planned' | 'no_parameter_types' (a parameter's type cannot be inferred) |
-- 'does_not_parse' (the normalized text is no valid statement: a collapsed IN (?) list,
-- a ? where PostgreSQL needs a name) | 'not_plannable' (a statement EXPLAIN does not take:
-- utility, DDL) | 'partition_pruning_by_null' (the generic plan pruned partitions by a NULL
-- parameter, so it is not the plan the statement gets) | 'error' (timeout, privileges...).
-- message explains it in words without literals (the statement's normalized text is in
-- perf_server_statements).
CREATE TABLE perf_generic_plan_status (
    tenant_id    integer NOT NULL REFERENCES perf_tenants,
    db_namespace text NOT NULL,
    fingerprint  bigint NOT NULL,
    status       text NOT NULL,
    message      text NOT NULL,
    plan_hash    bigint,                   -- the generic plan when status = 'planned'
    checked_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, db_namespace, fingerprint)
);

-- perf_reader reads all three (functions/95_tenant_isolation.sql).

-- +goose Down
DROP TABLE IF EXISTS perf_generic_plan_status, perf_query_plan_changes, perf_query_plans;
