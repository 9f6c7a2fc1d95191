-- The endpoint rollups carry their latency histogram packed in a bytea too (lat_pack, see
-- perf_hist_pack): endpointMetrics reads thousands of rows, and sending integer[]/bigint[]
-- histograms element by element cost more than the rest of the query.
CREATE OR REPLACE FUNCTION perf_endpoint_daily_pack() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.lat_pack := perf_hist_pack(NEW.lat_idx, NEW.lat_cnt);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER perf_endpoint_daily_pack BEFORE INSERT OR UPDATE ON perf_endpoint_daily
    FOR EACH ROW EXECUTE FUNCTION perf_endpoint_daily_pack();
CREATE OR REPLACE TRIGGER perf_endpoint_hourly_pack BEFORE INSERT OR UPDATE ON perf_endpoint_hourly
    FOR EACH ROW EXECUTE FUNCTION perf_endpoint_daily_pack();
-- the minute rows too: endpointMetrics reads the partial hours at a range's edges from them,
-- up to 60 rows per endpoint and edge hour, and their arrays cost it 2.2x the time of the
-- packed value (EndpointAggs over ~12k edge minute rows)
CREATE OR REPLACE TRIGGER perf_endpoint_minutely_pack BEFORE INSERT OR UPDATE ON perf_endpoint_minutely
    FOR EACH ROW EXECUTE FUNCTION perf_endpoint_daily_pack();
