-- Sealed hours (retention.late_data_horizon) and raw-span thinning (retention.raw_spans).
--
-- Past the horizon an hour's rollups and N+1 groups are the record (perf_sealed_hours). The
-- refresh no longer recomputes a sealed hour from its raw rows, which thinning has reduced:
-- it adds the rows that arrived since (perf_merge_late_hour). Every figure of the endpoint
-- and query rollups is mergeable (counts, sums, min, max, histogram bucket counts), so the
-- record plus the late rows equals what a recompute over all rows would give, with one
-- exception stated in docs/database.md: a DB span the record counted without a request
-- (endpoint 0) stays there when its request arrives after the seal.
--
-- Thinning deletes the DB-span rows of a sealed hour that nothing reads once the hour is
-- sealed. Kept are the rows every raw-row reader needs to give the same answer:
--   * DB spans of requests that are slow (>= p_slow_request_us) or failed (error or 5xx),
--     and DB spans that are themselves slow (>= p_slow_query_us) or failed;
--   * the traces of the hour's N+1 groups (their examples) and of the active
--     recommendations' evidence (exampleTraceIds);
--   * the 3 slowest executions of each fingerprint in the hour, ties included: the optimizer's
--     example executions (query_examples.sql) are the 3 slowest of a fingerprint in its 3
--     hours with the highest max_us, and the engine's window starts on an hour;
--   * leading-wildcard LIKE executions (like_pattern = 3), which likescan.sql counts;
--   * with keep_sample, also the DB spans of a share p_sample of the other traces (whole traces,
--     perf_trace_sampled).
-- Then it thins the hour's request rows (perf_thin_requests, 65_thin_requests.sql, which says
-- what their readers need kept). The record lists the span id of every row it counts, the
-- thinned ones apart: a replayed row is never counted twice, and a replayed thinned row is
-- deleted again by the next merge.

-- Seals one (tenant, hour): makes sure its N+1 groups exist (under the current rule), thins
-- its DB-span and request rows by p_mode and records the span ids of the rows the record
-- counts, thinned and left (each thinning returns the ids it deleted; the record is written
-- once, here). Returns the number of rows deleted (0 when the hour was sealed already). The caller
-- makes sure the hour's rollups are current (no dirty mark on it or the hour before).
CREATE OR REPLACE FUNCTION perf_seal_hour(p_tenant integer, p_hour timestamptz, p_mode text, p_sample float8,
                                          p_slow_request_us bigint, p_slow_query_us bigint) RETURNS bigint
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
    query_gone bigint[] := '{}';
    api_gone   bigint[];
BEGIN
    IF p_mode NOT IN ('keep_all', 'keep_interesting', 'keep_sample') THEN
        RAISE EXCEPTION 'perf_seal_hour: unknown raw_spans mode %', p_mode;
    END IF;
    IF EXISTS (SELECT 1 FROM perf_sealed_hours WHERE tenant_id = p_tenant AND bucket = h0) THEN
        RETURN 0;
    END IF;
    -- the groups become the record: compute them now if the engine has not (engine off)
    IF NOT EXISTS (SELECT 1 FROM perf_nplusone_hours WHERE tenant_id = p_tenant AND bucket = h0) THEN
        PERFORM perf_refresh_nplusone_hour(p_tenant, h0);
    END IF;

    INSERT INTO perf_sealed_hours (tenant_id, bucket, raw_spans, api_spans, query_spans)
    VALUES (p_tenant, h0, p_mode, '{}', '{}');
    IF p_mode <> 'keep_all' THEN
        CREATE TEMP TABLE IF NOT EXISTS perf_seal_keep_traces (trace_id uuid PRIMARY KEY) ON COMMIT DROP;
        TRUNCATE perf_seal_keep_traces;
        INSERT INTO perf_seal_keep_traces
        SELECT a.trace_id FROM api_performance_log a
         WHERE a.tenant_id = p_tenant
           AND a.ts >= h0 - perf_longest_request() - perf_attribution_slack() AND a.ts < h1 + perf_attribution_slack()
           AND (a.is_error OR perf_status_5xx(a.status_code) OR a.duration_us >= p_slow_request_us)
        UNION
        SELECT t FROM perf_nplusone_hourly n CROSS JOIN LATERAL unnest(n.trace_ids) t
         WHERE n.tenant_id = p_tenant AND n.bucket = h0
        UNION
        SELECT (jsonb_path_query(r.evidence, 'strict $.**.exampleTraceIds[*]') #>> '{}')::uuid
          FROM perf_recommendations r
         WHERE r.tenant_id = p_tenant AND r.status = 'ACTIVE'
        ON CONFLICT DO NOTHING;

        WITH top AS (
            SELECT ts, span_id
            FROM (SELECT ts, span_id, rank() OVER (PARTITION BY fingerprint ORDER BY duration_us DESC, ts DESC) AS rk
                    FROM query_performance_log
                   WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1) x
            WHERE rk <= 3
        ), gone AS (
            DELETE FROM query_performance_log q
             WHERE q.tenant_id = p_tenant AND q.ts >= h0 AND q.ts < h1
               AND NOT q.is_error AND q.duration_us < p_slow_query_us AND q.like_pattern <> 3
               AND NOT EXISTS (SELECT 1 FROM perf_seal_keep_traces k WHERE k.trace_id = q.trace_id)
               AND NOT EXISTS (SELECT 1 FROM top WHERE top.ts = q.ts AND top.span_id = q.span_id)
               AND NOT (p_mode = 'keep_sample' AND perf_trace_sampled(q.trace_id, p_sample))
            RETURNING q.span_id
        )
        SELECT coalesce(array_agg(span_id ORDER BY span_id), '{}') INTO query_gone FROM gone;
    END IF;
    api_gone := perf_thin_requests(p_tenant, h0, p_mode, p_sample);
    -- the record: the rows thinned, and the rows left, which it counts too
    UPDATE perf_sealed_hours
       SET query_thinned = cardinality(query_gone), query_thinned_spans = query_gone,
           api_thinned = cardinality(api_gone), api_thinned_spans = api_gone,
           api_spans = (SELECT coalesce(array_agg(span_id ORDER BY span_id), '{}') FROM api_performance_log
                         WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1),
           query_spans = (SELECT coalesce(array_agg(span_id ORDER BY span_id), '{}') FROM query_performance_log
                           WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1)
     WHERE tenant_id = p_tenant AND bucket = h0;
    -- Each statement above read its own snapshot: a row committed after the caller found the
    -- hour clean may have been listed as counted, or deleted, without its hour having been
    -- refreshed. A writer marks the hour dirty in the transaction of its rows, so such a row
    -- shows as a mark now: undo this hour's seal (the caller catches it) and try next tick.
    IF EXISTS (SELECT 1 FROM rollup_dirty_hours d
                WHERE d.tenant_id = p_tenant AND perf_hour(d.hour_bucket) IN (h0, h0 - interval '1 hour')) THEN
        RAISE EXCEPTION 'perf_seal_hour: hour % of tenant % took new rows while it was sealed', h0, p_tenant
            USING ERRCODE = 'PX001';
    END IF;
    RETURN cardinality(query_gone) + cardinality(api_gone);
END;
$$;

-- Seals the hours of tenant p_tenant that ended at or before p_before and start at or after
-- p_after (the log retention: older rows are gone with their partitions) and have rollups,
-- unless their rollups are not current: the hour or the one before it is marked dirty (the
-- refresh of a dirty hour also refreshes the next one). Oldest first, at most p_limit hours
-- per call, so that a first run over a long retention spreads over ticks.
CREATE OR REPLACE FUNCTION perf_seal_hours(p_tenant text, p_after timestamptz, p_before timestamptz, p_mode text,
                                           p_sample float8, p_slow_request_us bigint, p_slow_query_us bigint,
                                           p_limit integer)
RETURNS TABLE (hours_sealed integer, rows_thinned bigint)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    t_id integer;
    h    timestamptz;
BEGIN
    hours_sealed := 0; rows_thinned := 0;
    SELECT tenant_id INTO t_id FROM perf_tenants WHERE name = p_tenant;
    IF t_id IS NULL THEN
        RETURN NEXT; RETURN;
    END IF;
    -- the refresh's lock: a seal never runs between a refresh's read of the raw rows and its write
    PERFORM pg_advisory_xact_lock(hashtext('otelcol-perf:refresh'), t_id);
    FOR h IN
        SELECT c.hour_bucket FROM performance_metrics_cache c
         WHERE c.tenant_id = t_id AND c.hour_bucket >= perf_hour(p_after) AND c.hour_bucket + interval '1 hour' <= p_before
           AND NOT EXISTS (SELECT 1 FROM perf_sealed_hours s WHERE s.tenant_id = t_id AND s.bucket = c.hour_bucket)
           AND NOT EXISTS (SELECT 1 FROM rollup_dirty_hours d
                            WHERE d.tenant_id = t_id
                              AND perf_hour(d.hour_bucket) IN (c.hour_bucket, c.hour_bucket - interval '1 hour'))
         ORDER BY c.hour_bucket
         LIMIT p_limit
    LOOP
        BEGIN
            rows_thinned := rows_thinned + perf_seal_hour(t_id, h, p_mode, p_sample, p_slow_request_us, p_slow_query_us);
            hours_sealed := hours_sealed + 1;
        EXCEPTION WHEN SQLSTATE 'PX001' THEN
            NULL; -- new rows arrived: the refresh takes them first, the hour is sealed on a later tick
        END;
    END LOOP;
    -- older hours have no raw rows left (their partitions are dropped): nothing late can be
    -- told apart from what they count any more
    DELETE FROM perf_sealed_hours WHERE tenant_id = t_id AND bucket < perf_hour(p_after) - interval '1 day';
    RETURN NEXT;
END;
$$;

-- Adds the rows of a sealed (tenant, hour) that its record does not count yet (late spans)
-- to its endpoint and query rollups, hour and minutes (perf_add_span_rows; minutes only while
-- the hour is within p_minute_retention, as perf_refresh_hour), then recomputes the hour's
-- per-tenant, resource and pool rows (which do not read the span logs) and marks its day for
-- re-merging. The hour's N+1 groups stay as they are. Returns how many late rows it merged.
CREATE OR REPLACE FUNCTION perf_merge_late_hour(p_tenant integer, p_hour timestamptz,
                                                p_minute_retention interval DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
    s  perf_sealed_hours;
    late_api bigint[];
    late_q   bigint[];
BEGIN
    SELECT * INTO s FROM perf_sealed_hours WHERE tenant_id = p_tenant AND bucket = h0 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'perf_merge_late_hour: hour % of tenant % is not sealed', h0, p_tenant;
    END IF;
    -- a thinned row stored again (the exporter's queue replaying its batch past the horizon):
    -- the record counts it already, so it goes again, before it could claim a late DB span
    DELETE FROM api_performance_log a USING unnest(s.api_thinned_spans) c(id)
     WHERE a.tenant_id = p_tenant AND a.ts >= h0 AND a.ts < h1 AND a.span_id = c.id;
    DELETE FROM query_performance_log q USING unnest(s.query_thinned_spans) c(id)
     WHERE q.tenant_id = p_tenant AND q.ts >= h0 AND q.ts < h1 AND q.span_id = c.id;
    SELECT coalesce(array_agg(a.span_id), '{}') INTO late_api
      FROM api_performance_log a LEFT JOIN unnest(s.api_spans) c(id) ON c.id = a.span_id
     WHERE a.tenant_id = p_tenant AND a.ts >= h0 AND a.ts < h1 AND c.id IS NULL;
    SELECT coalesce(array_agg(q.span_id), '{}') INTO late_q
      FROM query_performance_log q LEFT JOIN unnest(s.query_spans) c(id) ON c.id = q.span_id
     WHERE q.tenant_id = p_tenant AND q.ts >= h0 AND q.ts < h1 AND c.id IS NULL;
    IF cardinality(late_api) = 0 AND cardinality(late_q) = 0 THEN
        RETURN 0;
    END IF;

    PERFORM perf_add_span_rows(p_tenant, h0, perf_has_minute_rows(h0, p_minute_retention), late_api, late_q);
    PERFORM perf_refresh_hour_totals(p_tenant, h0);
    UPDATE perf_sealed_hours
       SET api_spans = api_spans || late_api, query_spans = query_spans || late_q
     WHERE tenant_id = p_tenant AND bucket = h0;
    RETURN cardinality(late_api) + cardinality(late_q);
END;
$$;
