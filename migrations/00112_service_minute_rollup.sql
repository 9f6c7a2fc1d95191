-- +goose Up
-- Minute rollup per (tenant, service): what the overview (rollup.Summaries) reads of the
-- partial hours at a range's edges. It read them from the endpoint and query minute rows,
-- thousands per edge hour (one per statement, endpoint and service and minute); this holds
-- one row per service and minute. Counted in the same pass over the hour's span rows as the
-- endpoint and query minute rows (perf_insert_span_rows, perf_add_span_rows in
-- functions/60_refresh_hour.sql), so its totals are theirs; kept
-- retention.minute_rollups like them (perf_drop_expired_rollups). Request columns are those
-- of perf_endpoint_minutely, the q_ ones those of perf_query_minutely (0 and empty
-- histograms where a service had no request, or no query, in that minute).
CREATE TABLE perf_service_minutely (
    tenant_id  integer NOT NULL,
    bucket     timestamptz NOT NULL,
    service_id integer NOT NULL,
    requests   bigint NOT NULL,
    errors     bigint NOT NULL,
    status_4xx bigint NOT NULL,
    status_5xx bigint NOT NULL,
    sum_us     bigint NOT NULL,
    max_us     bigint NOT NULL,
    min_us     bigint,
    lat_idx    integer[] NOT NULL,
    lat_cnt    bigint[] NOT NULL,
    err_idx    integer[] NOT NULL,
    err_cnt    bigint[] NOT NULL,
    q_calls    bigint NOT NULL,
    q_errors   bigint NOT NULL,
    q_slow     bigint NOT NULL,
    q_sum_us   bigint NOT NULL,
    q_max_us   bigint NOT NULL,
    q_min_us   bigint,
    q_idx      integer[] NOT NULL,
    q_cnt      bigint[] NOT NULL,
    PRIMARY KEY (tenant_id, bucket, service_id)
);
-- perf_reader reads it (functions/95_tenant_isolation.sql).

-- +goose Down
DROP TABLE perf_service_minutely;
