-- Refreshes the rollups of one tenant: every hour the exporter marked dirty, the hour after
-- each of them (DB spans there may belong to a request of the dirty hour), and the current
-- hour (a sealed hour takes its late rows additively instead of being recomputed); then merges the days they belong to (days before today) into the daily rollups.
-- Processed dirty marks are deleted unless a writer marked them again meanwhile. Safe to
-- call concurrently (a per-tenant transaction advisory lock serializes callers).
-- p_minute_retention: retention.minute_rollups; hours wholly older get no minute rows (NULL:
-- every hour gets them).
CREATE OR REPLACE FUNCTION refresh_performance_metrics_incremental(p_tenant text, p_minute_retention interval DEFAULT NULL)
RETURNS TABLE (hours_refreshed integer, duration_ms integer, status text)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    t_id    integer;
    started timestamptz := clock_timestamp();
    cur     timestamptz := perf_hour(now());
    today   timestamptz := perf_day(now());
    h       record;
    n       integer := 0;
    d       timestamptz;
BEGIN
    SELECT tenant_id INTO t_id FROM perf_tenants WHERE name = p_tenant;
    IF t_id IS NULL THEN
        hours_refreshed := 0; duration_ms := 0; status := 'UNKNOWN_TENANT';
        RETURN NEXT; RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('otelcol-perf:refresh'), t_id);

    CREATE TEMP TABLE IF NOT EXISTS perf_refresh_marks (hour_bucket timestamptz, mark_xmin text) ON COMMIT DROP;
    TRUNCATE perf_refresh_marks;
    INSERT INTO perf_refresh_marks
        SELECT hour_bucket, xmin::text FROM rollup_dirty_hours WHERE tenant_id = t_id;

    FOR h IN
        SELECT hb, min(reason) AS reason FROM (
            SELECT perf_hour(hour_bucket) AS hb, 'dirty' AS reason FROM perf_refresh_marks
            UNION ALL
            SELECT perf_hour(hour_bucket) + interval '1 hour', 'next' FROM perf_refresh_marks
             WHERE perf_hour(hour_bucket) + interval '1 hour' <= cur
            UNION ALL
            SELECT cur, 'current'
        ) x
        WHERE hb <= cur
        GROUP BY hb ORDER BY hb
    LOOP
        -- a sealed hour's rollups are the record (64_sealed_hours.sql): its raw rows may be
        -- thinned, so only the rows it does not count yet are added to it
        IF EXISTS (SELECT 1 FROM perf_sealed_hours WHERE tenant_id = t_id AND bucket = h.hb) THEN
            PERFORM perf_merge_late_hour(t_id, h.hb, p_minute_retention);
        ELSE
            PERFORM perf_refresh_hour(t_id, h.hb, p_minute_retention);
        END IF;
        INSERT INTO perf_rollup_refresh_log (tenant_id, hour_bucket, reason) VALUES (t_id, h.hb, h.reason);
        n := n + 1;
    END LOOP;

    -- a mark rewritten by a writer since we read it has another xmin and stays for next time
    DELETE FROM rollup_dirty_hours r USING perf_refresh_marks m
     WHERE r.tenant_id = t_id AND r.hour_bucket = m.hour_bucket AND r.xmin::text = m.mark_xmin;

    FOR d IN SELECT day FROM perf_rollup_pending_days WHERE tenant_id = t_id AND day < today ORDER BY day LOOP
        PERFORM perf_refresh_day(t_id, d);
        DELETE FROM perf_rollup_pending_days WHERE tenant_id = t_id AND day = d;
    END LOOP;
    INSERT INTO perf_rollup_state VALUES (t_id, today)
        ON CONFLICT (tenant_id) DO UPDATE SET daily_through = excluded.daily_through;

    DELETE FROM perf_rollup_refresh_log WHERE refreshed_at < now() - interval '2 days';

    hours_refreshed := n;
    duration_ms := (extract(epoch FROM clock_timestamp() - started) * 1000)::integer;
    status := 'SUCCESS';
    RETURN NEXT;
END;
$$;
