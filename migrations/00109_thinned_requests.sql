-- +goose Up
-- Sealing thins request rows too (retention.raw_spans): how many it deleted per hour, next to
-- the DB-span rows. api_spans keeps listing every request row the record counts, thinned
-- ones included, so a thinned request that is replayed is not counted a second time.
ALTER TABLE perf_sealed_hours ADD COLUMN api_thinned bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE perf_sealed_hours DROP COLUMN IF EXISTS api_thinned;
