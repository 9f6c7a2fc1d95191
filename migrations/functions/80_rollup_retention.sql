-- Retention of the rollups. The raw log partitions are dropped after retention.logs; the
-- rollups were kept forever (perf_query_hourly alone grows by ~5 000 rows per tenant and hour
-- at 1M spans/day). perf_drop_expired_rollups deletes the hourly rollup rows of the UTC days
-- wholly older than now - p_hourly, and the daily rows older than now - p_daily, tenant by
-- tenant (the primary keys start with (tenant_id, bucket): index range deletes, cheap when
-- there is nothing to delete, so the scheduler calls it on every tick). A range older than
-- the hourly retention is answered from whole days only. The minute rollups (which serve
-- the partial hours at the edges of recent ranges: endpoint, query and service) are deleted
-- by minute, older than now - p_minute.

-- The oldest minute whose minute rollup rows retention p_minute keeps at p_now.
CREATE OR REPLACE FUNCTION perf_minute_cut(p_minute interval, p_now timestamptz DEFAULT now()) RETURNS timestamptz
LANGUAGE sql STABLE AS $$ SELECT perf_minute(p_now - p_minute) $$;

-- Whether the hour of p_hour still has minutes that retention p_minute keeps (NULL: keep all):
-- the refresh builds minute rows for such hours only.
CREATE OR REPLACE FUNCTION perf_has_minute_rows(p_hour timestamptz, p_minute interval) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT p_minute IS NULL OR perf_hour(p_hour) + interval '1 hour' > perf_minute_cut(p_minute) $$;

CREATE OR REPLACE FUNCTION perf_drop_expired_rollups(p_hourly interval, p_daily interval, p_now timestamptz DEFAULT now(),
                                                      p_minute interval DEFAULT interval '48 hours')
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    h_cut timestamptz := perf_day(p_now - p_hourly);
    d_cut timestamptz := perf_day(p_now - p_daily);
    m_cut timestamptz := perf_minute_cut(p_minute, p_now);
    t     integer;
    r     record;
    n     bigint := 0;
    k     bigint;
BEGIN
    IF p_minute < interval '1 hour' OR p_minute > p_hourly THEN
        RAISE EXCEPTION 'perf_drop_expired_rollups: minute retention must be at least 1 hour and at most the hourly one (got %)',
            p_minute USING ERRCODE = '22023';
    END IF;
    IF p_hourly < interval '2 days' OR p_daily < p_hourly THEN
        RAISE EXCEPTION 'perf_drop_expired_rollups: hourly retention must be at least 2 days and daily at least hourly (got %, %)',
            p_hourly, p_daily USING ERRCODE = '22023';
    END IF;
    FOR t IN SELECT tenant_id FROM perf_tenants LOOP
        FOR r IN SELECT * FROM (VALUES
            ('performance_metrics_cache', 'hour_bucket', h_cut), ('perf_endpoint_minutely', 'bucket', m_cut),
            ('perf_query_minutely', 'bucket', m_cut), ('perf_service_minutely', 'bucket', m_cut), ('perf_endpoint_hourly', 'bucket', h_cut),
            ('perf_query_hourly', 'bucket', h_cut), ('perf_resource_hourly', 'bucket', h_cut),
            ('perf_pool_hourly', 'bucket', h_cut), ('perf_nplusone_hourly', 'bucket', h_cut),
            ('perf_nplusone_hours', 'bucket', h_cut), ('performance_metrics_daily', 'hour_bucket', d_cut),
            ('perf_endpoint_daily', 'bucket', d_cut), ('perf_query_daily', 'bucket', d_cut)
        ) v(tbl, col, cut)
        LOOP
            EXECUTE format('DELETE FROM %I WHERE tenant_id = $1 AND %I < $2', r.tbl, r.col) USING t, r.cut;
            GET DIAGNOSTICS k = ROW_COUNT;
            n := n + k;
        END LOOP;
    END LOOP;
    RETURN n;
END;
$$;
