-- +goose Up
-- The error detector's 5xx breakdown by status code (optimizer/error_status.sql) has no
-- rollup to read: the rollups count 5xx answers, not their codes. Without an index it read
-- every request row of the window (a 30-day window: every partition, whole) to keep the 5xx
-- rows of a few endpoints. 5xx rows are few, and sealing keeps failed requests, so a partial
-- index on them reads only those rows. Its predicate is the statement's (a test pins that the
-- statement uses it).
CREATE INDEX api_performance_log_5xx ON api_performance_log (tenant_id, endpoint_id, ts)
    INCLUDE (status_code) WHERE status_code >= 500;

-- +goose Down
DROP INDEX IF EXISTS api_performance_log_5xx;
