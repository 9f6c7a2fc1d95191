-- +goose Up
-- A 5xx answer is a status 500-599 (perf_status_5xx, functions/15_http_status.sql), as the
-- rollups always counted it; 00111's index kept every status >= 500. Its predicate is now
-- perf_status_5xx's expression written out (an index may not call a project function), so
-- it holds exactly the rows the error detector's breakdown (error_status.sql) reads.
DROP INDEX IF EXISTS api_performance_log_5xx;
CREATE INDEX api_performance_log_5xx ON api_performance_log (tenant_id, endpoint_id, ts)
    INCLUDE (status_code) WHERE status_code BETWEEN 500 AND 599;

-- +goose Down
DROP INDEX IF EXISTS api_performance_log_5xx;
CREATE INDEX api_performance_log_5xx ON api_performance_log (tenant_id, endpoint_id, ts)
    INCLUDE (status_code) WHERE status_code >= 500;
