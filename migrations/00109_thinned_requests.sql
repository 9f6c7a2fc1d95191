-- +goose Up
-- Sealing thins request rows too (retention.raw_spans): how many it deleted per hour, next to
-- the DB-span rows. The span ids the record counts are api_spans / query_spans (the rows still
-- stored: kept by thinning or merged late) and api_thinned_spans / query_thinned_spans (the
-- rows thinning deleted): a row of the hour that the exporter's queue replays is in one of
-- them, so it is neither counted nor, thinned, stored a second time.
ALTER TABLE perf_sealed_hours ADD COLUMN api_thinned bigint NOT NULL DEFAULT 0,
                              ADD COLUMN api_thinned_spans bigint[] NOT NULL DEFAULT '{}',
                              ADD COLUMN query_thinned_spans bigint[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE perf_sealed_hours DROP COLUMN IF EXISTS api_thinned, DROP COLUMN IF EXISTS api_thinned_spans,
                              DROP COLUMN IF EXISTS query_thinned_spans;
