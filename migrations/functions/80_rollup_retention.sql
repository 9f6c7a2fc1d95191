-- Retention of the rollups. The raw log partitions are dropped after retention.logs; the
-- rollups were kept forever (perf_query_hourly alone grows by ~5 000 rows per tenant and hour
-- at 1M spans/day). perf_drop_expired_rollups deletes the hourly rollup rows of the UTC days
-- wholly older than now - p_hourly, and the daily rows older than now - p_daily, tenant by
-- tenant (the primary keys start with (tenant_id, bucket): index range deletes, cheap when
-- there is nothing to delete, so the scheduler calls it on every tick). A range older than
-- the hourly retention is answered from whole days only. The minute rollups (which serve
-- the partial hours at the edges of recent ranges) are deleted by minute, older than
-- now - p_minute.

CREATE OR REPLACE FUNCTION perf_drop_expired_rollups(p_hourly interval, p_daily interval, p_now timestamptz DEFAULT now(),
                                                      p_minute interval DEFAULT interval '48 hours')
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    h_cut timestamptz := perf_day(p_now - p_hourly);
    d_cut timestamptz := perf_day(p_now - p_daily);
    m_cut timestamptz := perf_minute(p_now - p_minute);
    t     integer;
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
        DELETE FROM performance_metrics_cache WHERE tenant_id = t AND hour_bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_endpoint_minutely WHERE tenant_id = t AND bucket < m_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_query_minutely WHERE tenant_id = t AND bucket < m_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_endpoint_hourly WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_query_hourly WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_resource_hourly WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_pool_hourly WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_nplusone_hourly WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_nplusone_hours WHERE tenant_id = t AND bucket < h_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM performance_metrics_daily WHERE tenant_id = t AND hour_bucket < d_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_endpoint_daily WHERE tenant_id = t AND bucket < d_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
        DELETE FROM perf_query_daily WHERE tenant_id = t AND bucket < d_cut; GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
    END LOOP;
    RETURN n;
END;
$$;
