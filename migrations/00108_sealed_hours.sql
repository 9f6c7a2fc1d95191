-- +goose Up
-- Hours past the late-data horizon (retention.late_data_horizon). A sealed hour's rollups and
-- N+1 groups are the record: the refresh no longer recomputes it from the raw rows (which
-- raw-span thinning may have reduced), it adds the rows that arrive later to it. api_spans /
-- query_spans are the span ids of the hour's raw rows that the record already counts (the rows
-- thinning kept and the late rows merged since; 00109 adds those thinning deleted), so a late
-- row is one whose span id is listed nowhere: that is how a merge counts each row exactly once.
-- Internal bookkeeping: perf_reader does not read it.
CREATE TABLE perf_sealed_hours (
    tenant_id      integer NOT NULL REFERENCES perf_tenants,
    bucket         timestamptz NOT NULL,
    sealed_at      timestamptz NOT NULL DEFAULT now(),
    raw_spans      text NOT NULL CHECK (raw_spans IN ('keep_all', 'keep_interesting', 'keep_sample')),
    query_thinned  bigint NOT NULL DEFAULT 0,  -- DB-span rows deleted when the hour was sealed
    api_spans      bigint[] NOT NULL,
    query_spans    bigint[] NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
);

-- +goose Down
DROP TABLE IF EXISTS perf_sealed_hours;
