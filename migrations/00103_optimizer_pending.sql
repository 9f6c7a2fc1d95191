-- +goose Up
-- Tenants whose rollups took new data that the optimization engine has not judged yet. The
-- scheduler writes a row when a refresh finds hours written since the last refresh, with its
-- own clock (the clock of perf_optimizer_runs.started_at), and deletes it once a logged run
-- started at or after data_at. Only unjudged tenants have a row, so the scheduler's look at
-- it costs nothing for idle tenants; a new leader finds here what its predecessor refreshed
-- and did not judge.
CREATE TABLE perf_optimizer_pending (
    tenant_id integer PRIMARY KEY REFERENCES perf_tenants,
    data_at   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS perf_optimizer_pending;
