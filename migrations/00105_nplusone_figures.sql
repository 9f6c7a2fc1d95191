-- +goose Up
-- The N+1 groups of an hour are kept by repetitions alone (every request that loops counts);
-- the duration rule decides only whether the pattern is reported. gated counts the groups
-- (requests) of the row whose loop took at least the rule's min_total_us.
ALTER TABLE perf_nplusone_hourly ADD COLUMN gated bigint NOT NULL DEFAULT 0;
-- The stored hours were computed with the duration rule as a filter (their gated would read
-- 0): the engine recomputes every hour it reads that has no record.
DELETE FROM perf_nplusone_hours;
DELETE FROM perf_nplusone_hourly;

-- +goose Down
DELETE FROM perf_nplusone_hours;
DELETE FROM perf_nplusone_hourly;
ALTER TABLE perf_nplusone_hourly DROP COLUMN IF EXISTS gated;
