-- +goose Up
-- Read path of the rollups (perfgraphql extension, rollup_read.go).
--
-- The GraphQL resolvers read the daily and hourly rollup tables directly (the day split is
-- computed in Go from perf_rollup_state) and merge the latency histograms in Go, so what
-- remains for PostgreSQL is index range scans:
--   * slowQueries first looks for the rows whose max_us reaches the threshold (rare for any
--     useful threshold) to find the candidate fingerprints: an index on (tenant_id, max_us)
--     that covers what that step reads;
--   * perf_day_split is called by every SQL range reader (perf_*_range, so by
--     perf_summary_range and get_performance_summary); as a LANGUAGE sql function returning a
--     record it could not be inlined and its body was planned again on every call (several
--     ms). The same function in plpgsql keeps its plan for the session.

CREATE INDEX perf_query_hourly_max ON perf_query_hourly (tenant_id, max_us)
    INCLUDE (bucket, fingerprint, service_id, endpoint_id);
CREATE INDEX perf_query_daily_max ON perf_query_daily (tenant_id, max_us)
    INCLUDE (bucket, fingerprint, service_id, endpoint_id);

--   * endpointMetrics over 30 days merges ~30 daily histograms per endpoint; sending them
--     as integer[]/bigint[] (array_send, per element) cost more than everything else. The
--     daily endpoint rows also carry the histogram packed in a bytea (lat_pack: per bucket
--     int2 index + int4 count, big-endian, buckets ascending), computed by a trigger from
--     lat_idx/lat_cnt, which the resolvers read instead (NULL when a count does not fit in
--     int4: the arrays are read then). The hourly table gets the same column (always NULL) so
--     that both keep the same row type (perf_endpoint_range unions them).

-- +goose StatementBegin
CREATE FUNCTION perf_hist_pack(p_idx integer[], p_cnt bigint[]) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(max(c), 0) > 2147483647 OR coalesce(min(i), 0) < 0 OR coalesce(max(i), 0) > 32767
                  OR count(*) FILTER (WHERE i IS NULL OR c IS NULL) > 0 THEN NULL
                ELSE coalesce(string_agg(int2send(i::smallint) || int4send(c::integer), ''::bytea ORDER BY i), ''::bytea) END
    FROM unnest(p_idx, p_cnt) u(i, c)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION perf_endpoint_daily_pack() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.lat_pack := perf_hist_pack(NEW.lat_idx, NEW.lat_cnt);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

ALTER TABLE perf_endpoint_hourly ADD COLUMN lat_pack bytea;
ALTER TABLE perf_endpoint_daily ADD COLUMN lat_pack bytea;
CREATE TRIGGER perf_endpoint_daily_pack BEFORE INSERT OR UPDATE ON perf_endpoint_daily
    FOR EACH ROW EXECUTE FUNCTION perf_endpoint_daily_pack();
UPDATE perf_endpoint_daily SET lat_pack = perf_hist_pack(lat_idx, lat_cnt);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION perf_day_split(p_tenant smallint, p_from timestamptz, p_to timestamptz,
                                          OUT d1 timestamptz, OUT d2 timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    f timestamptz := date_trunc('hour', p_from, 'UTC');
    a timestamptz;
    z timestamptz;
    t timestamptz;
BEGIN
    a := CASE WHEN date_trunc('day', f, 'UTC') = f THEN f ELSE date_trunc('day', f, 'UTC') + interval '1 day' END;
    t := CASE WHEN date_trunc('hour', p_to, 'UTC') = p_to THEN p_to ELSE date_trunc('hour', p_to, 'UTC') + interval '1 hour' END;
    SELECT least(date_trunc('day', t, 'UTC'), coalesce(max(s.daily_through), '-infinity'::timestamptz))
      INTO z FROM perf_rollup_state s WHERE s.tenant_id = p_tenant;
    IF a < z THEN
        d1 := a; d2 := z;
    ELSE
        d1 := p_to; d2 := p_to;
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION perf_day_split(p_tenant smallint, p_from timestamptz, p_to timestamptz,
                                          OUT d1 timestamptz, OUT d2 timestamptz)
LANGUAGE sql STABLE AS $$
    WITH b AS (
        SELECT CASE WHEN perf_day(perf_hour(p_from)) = perf_hour(p_from) THEN perf_hour(p_from)
                    ELSE perf_day(p_from) + interval '1 day' END AS a,
               least(perf_day(perf_hour_ceil(p_to)),
                     coalesce((SELECT daily_through FROM perf_rollup_state s WHERE s.tenant_id = p_tenant),
                              '-infinity'::timestamptz)) AS z
    )
    SELECT CASE WHEN a < z THEN a ELSE p_to END, CASE WHEN a < z THEN z ELSE p_to END FROM b
$$;
-- +goose StatementEnd
DROP TRIGGER perf_endpoint_daily_pack ON perf_endpoint_daily;
ALTER TABLE perf_endpoint_daily DROP COLUMN lat_pack;
ALTER TABLE perf_endpoint_hourly DROP COLUMN lat_pack;
DROP FUNCTION perf_endpoint_daily_pack();
DROP FUNCTION perf_hist_pack(integer[], bigint[]);
DROP INDEX perf_query_daily_max;
DROP INDEX perf_query_hourly_max;
