-- +goose Up
-- The hourly endpoint rollups carry the packed latency histogram too (lat_pack, migration
-- 00004): endpointMetrics over 1 to 48 hours reads thousands of hourly rows, and sending
-- their integer[]/bigint[] histograms element by element cost more than the rest of the query.

CREATE TRIGGER perf_endpoint_hourly_pack BEFORE INSERT OR UPDATE ON perf_endpoint_hourly
    FOR EACH ROW EXECUTE FUNCTION perf_endpoint_daily_pack();
UPDATE perf_endpoint_hourly SET lat_pack = perf_hist_pack(lat_idx, lat_cnt);

-- +goose Down
DROP TRIGGER perf_endpoint_hourly_pack ON perf_endpoint_hourly;
UPDATE perf_endpoint_hourly SET lat_pack = NULL;
