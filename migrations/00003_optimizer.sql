-- +goose Up
-- Optimization engine (perfgraphql extension, internal/optimizer).
--
-- perf_recommendations holds one row per (tenant, recommendation id); ids are stable hashes
-- of kind + subject, so a problem keeps its id across runs. A row is ACTIVE while the engine
-- reports it and RESOLVED (resolved_at set) once a successful run of its detector no longer
-- does; first_detected is the start of the current episode. Every episode (first seen ..
-- last seen, resolved at) is kept in perf_recommendation_history, so a problem that comes
-- back is a new episode of the same id.

ALTER TABLE perf_recommendations
    ADD COLUMN kind        text NOT NULL DEFAULT '',       -- GraphQL BottleneckType
    ADD COLUMN status      text NOT NULL DEFAULT 'ACTIVE', -- ACTIVE | RESOLVED
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN score       double precision NOT NULL DEFAULT 0,  -- ranking among equal priorities
    ADD COLUMN runs        integer NOT NULL DEFAULT 1;           -- runs that reported it in this episode
CREATE INDEX perf_recommendations_status ON perf_recommendations (tenant_id, status, last_detected);

CREATE TABLE perf_recommendation_history (
    tenant_id     smallint NOT NULL REFERENCES perf_tenants,
    id            text NOT NULL,
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    resolved_at   timestamptz,               -- NULL: still open
    category      text NOT NULL,
    kind          text NOT NULL,
    priority      text NOT NULL,             -- latest priority
    max_priority  text NOT NULL,             -- highest priority of the episode
    title         text NOT NULL,
    runs          integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id, first_seen)
);
CREATE INDEX perf_recommendation_history_open ON perf_recommendation_history (tenant_id, id) WHERE resolved_at IS NULL;

-- One row per engine run and tenant (kept 30 days).
CREATE TABLE perf_optimizer_runs (
    tenant_id     smallint NOT NULL REFERENCES perf_tenants,
    started_at    timestamptz NOT NULL,
    duration_ms   integer NOT NULL,
    window_from   timestamptz NOT NULL,
    window_to     timestamptz NOT NULL,
    detected      integer NOT NULL,
    new           integer NOT NULL,
    resolved      integer NOT NULL,
    failed        text[] NOT NULL DEFAULT '{}',   -- detectors that failed ("name: error")
    PRIMARY KEY (tenant_id, started_at)
);

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['perf_recommendation_history', 'perf_optimizer_runs']
    LOOP
        EXECUTE format('GRANT SELECT ON %I TO perf_reader', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE perf_optimizer_runs, perf_recommendation_history;
DROP INDEX perf_recommendations_status;
ALTER TABLE perf_recommendations DROP COLUMN kind, DROP COLUMN status, DROP COLUMN resolved_at,
    DROP COLUMN score, DROP COLUMN runs;
