-- Re-aggregates one (tenant, hour) from the raw log tables into every hourly rollup: its
-- endpoint and query rows are counted again from all of the hour's span rows
-- (perf_insert_span_rows: hour and minute rows written where they changed), then the
-- rollups that do not read the span logs follow.
-- Minute rows are built only for an hour that still has minutes within p_minute_retention
-- (retention.minute_rollups; NULL: every hour): perf_drop_expired_rollups deletes older ones,
-- and writing them is most of the refresh's time (~37x the hour's query rows).
CREATE OR REPLACE FUNCTION perf_refresh_hour(p_tenant integer, p_hour timestamptz,
                                             p_minute_retention interval DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
BEGIN
    PERFORM perf_insert_span_rows(p_tenant, h0, perf_has_minute_rows(h0, p_minute_retention), NULL, NULL);

    PERFORM perf_refresh_hour_totals(p_tenant, h0);

    -- the hour's N+1 groups are now stale: the engine recomputes them when it next needs them
    DELETE FROM perf_nplusone_hours WHERE tenant_id = p_tenant AND bucket = h0;
END;
$$;

-- perf_insert_span_rows and perf_add_span_rows count span rows of one (tenant, hour) into
-- its endpoint and query rollups: the hour's rows and, with p_minutes, its minute rows and
-- the per-service minute rows (00112).
-- p_api_spans / p_query_spans list the span ids to count (NULL: every row of the hour).
--   * perf_insert_span_rows makes the endpoint and query rows of the hour and of its minutes,
--     and its service minute rows, those counted: a stored row equal to its count is left
--     alone, a differing one updated, a missing one inserted, one no longer counted deleted. Most refreshes (dirty marks, the
--     hour after, the current hour on every tick) recount rows that did not change:
--     - hour rows: rewriting them added entries to every index of the hourly rollups (four on
--       perf_query_hourly, mostly cold pages); unchanged, 3 hours of ~2800 rows refresh in
--       ~0.65x the backend CPU time;
--     - minute rows: rewritten, each left a dead version that the edge reads of a range walk
--       until a vacuum (endpointMetrics over the last hour 1.1-1.45x slower after a refresh than
--       after a VACUUM), and the current hour's tick wrote all of its minutes again: a tick of
--       a 1M-row hour with a few seconds of new spans writes 2-4 MB of WAL instead of 82 MB
--       (~1.1x its time: comparing 232k statement minutes), of a normal hour 14 kB instead of
--       0.87 MB (the same time).
--     A service minute is filled by two statements (its request half, then its query half):
--     each sets its half where it differs, empties it where it is no longer counted, and a
--     row whose halves are both empty is then deleted.
--   * perf_add_span_rows merges a group into the row it has already (ON CONFLICT): every
--     figure is mergeable (counts, sums, min, max, histogram bucket counts), so
--     perf_merge_late_hour (64_sealed_hours.sql) adds the late rows of a sealed hour to its
--     record. The refresh does not merge: ON CONFLICT's speculative insertion of every
--     minute row would cost it time for conflicts it never meets.
-- DB spans without an endpoint get the one of their request (perf_attributed_queries).
--
-- One pass over the raw rows groups them both by (key, minute) for the minute rollups and
-- by key for the hour (GROUPING SETS: one sort serves both levels), so the hour rows are
-- counted from the raw rows exactly as before the minute rollups existed. Deriving the
-- hour from the minute rows instead (unnest and re-sum every minute histogram, ~0.7 s of
-- endpoints and ~1.7 s of queries on a 1M-row hour) cost more than this second grouping
-- level. (no index serves a nested loop over trace ids; hash joins are right even before ANALYZE)
--
-- The per-service minute rows are a third grouping level of the same pass, (service, minute),
-- requests in the first statement and DB spans merged into them by the second (ON CONFLICT in
-- both functions: a few rows per minute). They were summed from the hour's endpoint and query
-- minute rows, re-merging some 220k statement-minute histograms on a 1M-row hour; a
-- service-minute's histogram counted from its raw durations is the same one. Their totals
-- equal those of the endpoint and query minute rows (an endpoint belongs to one service:
-- perf_endpoints), which TestMinuteRowsMergeToTheirHour pins. On the bench's 1M-row hour
-- (backend CPU, old and new bodies alternated) the third level adds ~1 s to this pass where
-- the summing took 1.4-2.2 s: the refresh of the hour ~0.9x.
--
-- Histograms: the pass collects each group's bucket numbers, and each group's sparse
-- histogram is then counted from its own list. A first version grouped by (…, bucket) first
-- and then again by (…) with ordered array_agg: two aggregations and a sort of every row,
-- 1.6x the time on a 1M-row hour.
--
-- The two functions have one body, and the minute and the hour rows of a rollup have the
-- same columns and merge the same way: this block writes each of those once and creates
-- both functions from them (ordinary plpgsql; nothing dynamic runs when they are called).
DO $do$
DECLARE
    endpoint_cols  text := 'tenant_id, bucket, endpoint_id, service_id, requests, errors, status_4xx, status_5xx,
        sum_us, max_us, min_us, req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt';
    endpoint_merge text := $m$ON CONFLICT (tenant_id, bucket, endpoint_id) DO UPDATE SET
        service_id = greatest(t.service_id, excluded.service_id),
        requests = t.requests + excluded.requests, errors = t.errors + excluded.errors,
        status_4xx = t.status_4xx + excluded.status_4xx, status_5xx = t.status_5xx + excluded.status_5xx,
        sum_us = t.sum_us + excluded.sum_us, max_us = greatest(t.max_us, excluded.max_us),
        min_us = least(t.min_us, excluded.min_us),
        req_bytes_sum = t.req_bytes_sum + excluded.req_bytes_sum, req_bytes_n = t.req_bytes_n + excluded.req_bytes_n,
        resp_bytes_sum = t.resp_bytes_sum + excluded.resp_bytes_sum, resp_bytes_n = t.resp_bytes_n + excluded.resp_bytes_n,
        (lat_idx, lat_cnt) = (SELECT x.idx, x.cnt FROM perf_hist_sum(t.lat_idx || excluded.lat_idx, t.lat_cnt || excluded.lat_cnt) x),
        (err_idx, err_cnt) = (SELECT coalesce(x.idx, '{}'), coalesce(x.cnt, '{}')
                                FROM perf_hist_sum(t.err_idx || excluded.err_idx, t.err_cnt || excluded.err_cnt) x)$m$;
    query_cols     text := 'tenant_id, bucket, fingerprint, endpoint_id, service_id, calls, errors, slow_calls,
        sum_us, max_us, min_us, rows_sum, rows_n, lat_idx, lat_cnt';
    -- (table, key columns, value columns, the h columns that fill them)
    endpoint_sync  text[] := ARRAY['endpoint_id', 'service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us,
        req_bytes_sum, req_bytes_n, resp_bytes_sum, resp_bytes_n, lat_idx, lat_cnt, err_idx, err_cnt',
        'service_id, n, ne, s4, s5, su, mx, mn, rqs, rqn, rss, rsn, idx, cnt, eidx, ecnt'];
    query_sync     text[] := ARRAY['fingerprint, endpoint_id, service_id', 'calls, errors, slow_calls, sum_us, max_us, min_us,
        rows_sum, rows_n, lat_idx, lat_cnt', 'n, ne, ns, su, mx, mn, rs, rn, idx, cnt'];
    query_merge    text := $m$ON CONFLICT (tenant_id, bucket, fingerprint, endpoint_id, service_id) DO UPDATE SET
        calls = t.calls + excluded.calls, errors = t.errors + excluded.errors, slow_calls = t.slow_calls + excluded.slow_calls,
        sum_us = t.sum_us + excluded.sum_us, max_us = greatest(t.max_us, excluded.max_us),
        min_us = least(t.min_us, excluded.min_us),
        rows_sum = t.rows_sum + excluded.rows_sum, rows_n = t.rows_n + excluded.rows_n,
        (lat_idx, lat_cnt) = (SELECT x.idx, x.cnt FROM perf_hist_sum(t.lat_idx || excluded.lat_idx, t.lat_cnt || excluded.lat_cnt) x)$m$;
    service_cols   text := 'tenant_id, bucket, service_id, requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us,
        lat_idx, lat_cnt, err_idx, err_cnt, q_calls, q_errors, q_slow, q_sum_us, q_max_us, q_min_us, q_idx, q_cnt';
    service_merge  text := $m$ON CONFLICT (tenant_id, bucket, service_id) DO UPDATE SET
        requests = t.requests + excluded.requests, errors = t.errors + excluded.errors,
        status_4xx = t.status_4xx + excluded.status_4xx, status_5xx = t.status_5xx + excluded.status_5xx,
        sum_us = t.sum_us + excluded.sum_us, max_us = greatest(t.max_us, excluded.max_us),
        min_us = least(t.min_us, excluded.min_us),
        (lat_idx, lat_cnt) = (SELECT coalesce(x.idx, '{}'), coalesce(x.cnt, '{}')
                                FROM perf_hist_sum(t.lat_idx || excluded.lat_idx, t.lat_cnt || excluded.lat_cnt) x),
        (err_idx, err_cnt) = (SELECT coalesce(x.idx, '{}'), coalesce(x.cnt, '{}')
                                FROM perf_hist_sum(t.err_idx || excluded.err_idx, t.err_cnt || excluded.err_cnt) x)$m$;
    -- the query half of a service minute: merged in both functions, since the request half
    -- (the statement before) may have inserted its row already
    service_q_merge text := $m$ON CONFLICT (tenant_id, bucket, service_id) DO UPDATE SET
        q_calls = t.q_calls + excluded.q_calls, q_errors = t.q_errors + excluded.q_errors,
        q_slow = t.q_slow + excluded.q_slow, q_sum_us = t.q_sum_us + excluded.q_sum_us,
        q_max_us = greatest(t.q_max_us, excluded.q_max_us), q_min_us = least(t.q_min_us, excluded.q_min_us),
        (q_idx, q_cnt) = (SELECT coalesce(x.idx, '{}'), coalesce(x.cnt, '{}')
                            FROM perf_hist_sum(t.q_idx || excluded.q_idx, t.q_cnt || excluded.q_cnt) x)$m$;
    -- the two halves of a service minute (requests, queries): their columns, what fills them
    -- from h, and their value where the service had none in that minute
    service_halves text[] := ARRAY[
        'requests, errors, status_4xx, status_5xx, sum_us, max_us, min_us, lat_idx, lat_cnt, err_idx, err_cnt',
        'h.n, h.ne, h.s4, h.s5, h.su, h.mx, h.mn, h.idx, h.cnt, h.eidx, h.ecnt',
        $z$0, 0, 0, 0, 0, 0, NULL::bigint, '{}'::integer[], '{}'::bigint[], '{}'::integer[], '{}'::bigint[]$z$,
        'q_calls, q_errors, q_slow, q_sum_us, q_max_us, q_min_us, q_idx, q_cnt',
        'h.n, h.ne, h.ns, h.su, h.mx, h.mn, h.idx, h.cnt',
        $z$0, 0, 0, 0, 0, NULL::bigint, '{}'::integer[], '{}'::bigint[]$z$];
    service_sync   text[] := '{"",""}';
    service_ins    text := '';
    service_empty  text := '';
    -- per hourly rollup: the CTEs that update and delete its stored rows, and the insert's filter
    sync           text[];
    ins            text[];
    w              record;
    v record;
BEGIN
    FOR v IN SELECT * FROM (VALUES ('perf_insert_span_rows', false), ('perf_add_span_rows', true)) v(fn, merge) LOOP
        sync := '{"","","",""}'; ins := '{"","","",""}';
        service_sync := '{"",""}'; service_ins := ''; service_empty := '';
        IF NOT v.merge THEN
            -- a service minute's half is set where it differs from its count, emptied where it
            -- is no longer counted; a row is inserted where the service had none (the other
            -- half empty), and deleted once both halves are empty
            FOR i IN 1..2 LOOP
                service_sync[i] := format($s$
    ), services_changed AS (
        UPDATE perf_service_minutely s SET (%1$s) = (%2$s)
          FROM h WHERE per_service AND s.tenant_id = p_tenant AND s.bucket >= h0 AND s.bucket < h1
           AND s.bucket = h.bucket AND s.service_id = h.service_id AND (%4$s) IS DISTINCT FROM (%2$s)
    ), services_gone AS (
        UPDATE perf_service_minutely s SET (%1$s) = (%3$s)
         WHERE s.tenant_id = p_tenant AND s.bucket >= h0 AND s.bucket < h1
           AND NOT EXISTS (SELECT 1 FROM h WHERE per_service AND h.bucket = s.bucket AND h.service_id = s.service_id)
           AND (%4$s) IS DISTINCT FROM (%3$s)$s$, service_halves[3 * i - 2], service_halves[3 * i - 1],
                    service_halves[3 * i], regexp_replace(service_halves[3 * i - 2], '(\w+)', 's.\1', 'g'));
            END LOOP;
            service_ins := $s$
          AND NOT EXISTS (SELECT 1 FROM perf_service_minutely s WHERE s.tenant_id = p_tenant AND s.bucket = h.bucket
                                                                AND s.service_id = h.service_id)$s$;
            service_empty := $s$

    DELETE FROM perf_service_minutely WHERE tenant_id = p_tenant AND bucket >= h0 AND bucket < h1
       AND requests = 0 AND q_calls = 0;$s$;
        END IF;
        FOR w IN SELECT x.*, (SELECT string_agg(format('s.%1$I = h.%1$I', k), ' AND ') FROM unnest(regexp_split_to_array(x.d[1], '\s*,\s*')) k) AS keys
                   FROM (VALUES (1, 'perf_endpoint_hourly', endpoint_sync, 'whole_hour'),
                                (2, 'perf_query_hourly', query_sync, 'whole_hour'),
                                (3, 'perf_endpoint_minutely', endpoint_sync, 'NOT whole_hour AND NOT per_service'),
                                (4, 'perf_query_minutely', query_sync, 'NOT whole_hour AND NOT per_service')) x(i, tbl, d, rows)
                  WHERE NOT v.merge LOOP
            sync[w.i] := format($s$
    ), %1$s_gone AS (
        DELETE FROM %1$I s WHERE s.tenant_id = p_tenant AND s.bucket >= h0 AND s.bucket < h1
           AND NOT EXISTS (SELECT 1 FROM h WHERE %6$s AND s.bucket = h.bucket AND %2$s)
    ), %1$s_changed AS (
        UPDATE %1$I s SET (%3$s) = (%4$s)
          FROM h WHERE %6$s AND s.tenant_id = p_tenant AND s.bucket >= h0 AND s.bucket < h1 AND s.bucket = h.bucket AND %2$s
           AND (%5$s) IS DISTINCT FROM (%4$s)$s$, w.tbl, w.keys, w.d[2],
                regexp_replace(w.d[3], '(\w+)', 'h.\1', 'g'), regexp_replace(w.d[2], '(\w+)', 's.\1', 'g'), w.rows);
            ins[w.i] := format($s$
          AND NOT EXISTS (SELECT 1 FROM %1$I s WHERE s.tenant_id = p_tenant AND s.bucket >= h0 AND s.bucket < h1
                                                  AND s.bucket = h.bucket AND %2$s)$s$, w.tbl, w.keys);
        END LOOP;
        EXECUTE format($f$
CREATE OR REPLACE FUNCTION %5$I(p_tenant integer, p_hour timestamptz, p_minutes boolean,
                                p_api_spans bigint[], p_query_spans bigint[]) RETURNS void
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $body$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
BEGIN
    WITH g AS (
        SELECT coalesce(perf_minute(ts), h0) AS bucket, grouping(perf_minute(ts)) = 1 AS whole_hour,
               grouping(endpoint_id) = 1 AS per_service, endpoint_id, max(service_id) AS service_id,
               count(*) AS n, count(*) FILTER (WHERE is_error) AS ne,
               count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS s4,
               count(*) FILTER (WHERE perf_status_5xx(status_code)) AS s5,
               sum(duration_us) AS su, max(duration_us) AS mx, min(duration_us) AS mn,
               coalesce(sum(request_size) FILTER (WHERE request_size >= 0), 0) AS rqs,
               count(*) FILTER (WHERE request_size >= 0) AS rqn,
               coalesce(sum(response_size) FILTER (WHERE response_size >= 0), 0) AS rss,
               count(*) FILTER (WHERE response_size >= 0) AS rsn,
               array_agg(perf_hist_bucket(duration_us)) AS bks,
               array_agg(perf_hist_bucket(duration_us)) FILTER (WHERE is_error) AS ebks
        FROM api_performance_log
        WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1
          AND (p_api_spans IS NULL OR span_id IN (SELECT unnest(p_api_spans)))
        GROUP BY GROUPING SETS ((endpoint_id, perf_minute(ts)), (endpoint_id),
                                (api_performance_log.service_id, perf_minute(ts)))
    ), h AS (
        SELECT g.*, l.idx, l.cnt, coalesce(e.idx, '{}') AS eidx, coalesce(e.cnt, '{}') AS ecnt
        FROM g
        CROSS JOIN LATERAL perf_hist_of_buckets(g.bks) l
        CROSS JOIN LATERAL perf_hist_of_buckets(g.ebks) e
        WHERE whole_hour OR p_minutes%6$s%13$s%17$s
    ), minutes AS (
        INSERT INTO perf_endpoint_minutely AS t (%1$s)
        SELECT p_tenant, bucket, endpoint_id, service_id, n, ne, s4, s5, su, mx, mn, rqs, rqn, rss, rsn, idx, cnt, eidx, ecnt
        FROM h WHERE NOT whole_hour AND NOT per_service%14$s
        %2$s
    ), services AS (
        INSERT INTO perf_service_minutely AS t (%10$s)
        SELECT p_tenant, bucket, service_id, n, ne, s4, s5, su, mx, mn, idx, cnt, eidx, ecnt, 0, 0, 0, 0, 0, NULL, '{}', '{}'
        FROM h WHERE per_service%19$s
        %11$s
    )
    INSERT INTO perf_endpoint_hourly AS t (%1$s)
    SELECT p_tenant, bucket, endpoint_id, service_id, n, ne, s4, s5, su, mx, mn, rqs, rqn, rss, rsn, idx, cnt, eidx, ecnt
    FROM h WHERE whole_hour%7$s
    %2$s;

    WITH g AS (
        SELECT coalesce(perf_minute(ts), h0) AS bucket, grouping(perf_minute(ts)) = 1 AS whole_hour,
               grouping(fingerprint) = 1 AS per_service, fingerprint, endpoint_id, service_id,
               count(*) AS n, count(*) FILTER (WHERE is_error) AS ne,
               count(*) FILTER (WHERE duration_us >= 1000000) AS ns,
               sum(duration_us) AS su, max(duration_us) AS mx, min(duration_us) AS mn,
               coalesce(sum(rows_returned) FILTER (WHERE rows_returned >= 0), 0) AS rs,
               count(*) FILTER (WHERE rows_returned >= 0) AS rn,
               array_agg(perf_hist_bucket(duration_us)) AS bks
        FROM perf_attributed_queries(p_tenant, h0, h1) r
        WHERE p_query_spans IS NULL OR span_id IN (SELECT unnest(p_query_spans))
        GROUP BY GROUPING SETS ((fingerprint, endpoint_id, service_id, perf_minute(ts)),
                                (fingerprint, endpoint_id, service_id), (service_id, perf_minute(ts)))
    ), h AS (
        SELECT g.*, l.idx, l.cnt FROM g CROSS JOIN LATERAL perf_hist_of_buckets(g.bks) l
        WHERE whole_hour OR p_minutes%8$s%15$s%18$s
    ), minutes AS (
        INSERT INTO perf_query_minutely AS t (%3$s)
        SELECT p_tenant, bucket, fingerprint, endpoint_id, service_id, n, ne, ns, su, mx, mn, rs, rn, idx, cnt
        FROM h WHERE NOT whole_hour AND NOT per_service%16$s
        %4$s
    ), services AS (
        INSERT INTO perf_service_minutely AS t (%10$s)
        SELECT p_tenant, bucket, service_id, 0, 0, 0, 0, 0, 0, NULL, '{}', '{}', '{}', '{}', n, ne, ns, su, mx, mn, idx, cnt
        FROM h WHERE per_service%19$s
        %12$s
    )
    INSERT INTO perf_query_hourly AS t (%3$s)
    SELECT p_tenant, bucket, fingerprint, endpoint_id, service_id, n, ne, ns, su, mx, mn, rs, rn, idx, cnt
    FROM h WHERE whole_hour%9$s
    %4$s;%20$s
END;
$body$
$f$, endpoint_cols, CASE WHEN v.merge THEN endpoint_merge ELSE '' END,
            query_cols, CASE WHEN v.merge THEN query_merge ELSE '' END, v.fn,
            sync[1], ins[1], sync[2], ins[2],
            service_cols, CASE WHEN v.merge THEN service_merge ELSE '' END, service_q_merge, sync[3], ins[3], sync[4], ins[4],
            service_sync[1], service_sync[2], service_ins, service_empty);
    END LOOP;
END;
$do$;

-- The rollups of one (tenant, hour) that do not read the span logs: resources and pools from
-- their metric tables, the per-tenant row from the hour's endpoint, query, resource and
-- pool rows. A sealed hour (64_sealed_hours.sql) recomputes these after merging late spans into its
-- endpoint and query rows.
CREATE OR REPLACE FUNCTION perf_refresh_hour_totals(p_tenant integer, p_hour timestamptz) RETURNS void
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
BEGIN
    DELETE FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_resource_hourly
    SELECT p_tenant, h0, m.instance_id, coalesce(max(i.service_id), 0), count(*),
           coalesce(sum(cpu_usage_percent), 0), count(cpu_usage_percent), max(cpu_usage_percent),
           coalesce(sum(memory_used_bytes), 0), count(memory_used_bytes), max(memory_used_bytes),
           max(memory_total_bytes),
           coalesce(sum(heap_used_bytes), 0), count(heap_used_bytes), max(heap_used_bytes),
           max(heap_total_bytes),
           coalesce(sum(event_loop_lag_ms), 0), count(event_loop_lag_ms), max(event_loop_lag_ms),
           coalesce(sum(active_connections), 0), count(active_connections), max(active_connections)
    FROM system_resource_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = p_tenant AND m.ts >= h0 AND m.ts < h1
    GROUP BY m.instance_id;

    DELETE FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket = h0;
    INSERT INTO perf_pool_hourly
    SELECT p_tenant, h0, m.instance_id, m.pool_name, coalesce(max(i.service_id), 0), count(*),
           coalesce(sum(used), 0), count(used), max(used),
           coalesce(sum(idle), 0), count(idle),
           max(max),
           coalesce(sum(100.0 * used / max) FILTER (WHERE max > 0), 0),
           count(*) FILTER (WHERE max > 0 AND used IS NOT NULL),
           max(100.0 * used / max) FILTER (WHERE max > 0),
           coalesce(sum(pending_requests), 0), count(pending_requests), max(pending_requests),
           coalesce(sum(wait_time_ms), 0), count(wait_time_ms), max(wait_time_ms)
    FROM db_pool_metrics m
    LEFT JOIN perf_instances i ON i.tenant_id = m.tenant_id AND i.instance_id = m.instance_id
    WHERE m.tenant_id = p_tenant AND m.ts >= h0 AND m.ts < h1
    GROUP BY m.instance_id, m.pool_name;

    DELETE FROM performance_metrics_cache WHERE tenant_id = p_tenant AND hour_bucket = h0;
    INSERT INTO performance_metrics_cache AS c (
        tenant_id, hour_bucket, total_requests, successful_requests, failed_requests,
        sum_response_us, max_response_us, lat_idx, lat_cnt, err_idx, err_cnt,
        total_queries, slow_query_count, sum_query_us, failed_queries, q_idx, q_cnt,
        cpu_sum, cpu_n, mem_sum_mb, mem_n, lag_sum, lag_n, pool_util_sum, pool_util_n,
        avg_cpu_usage_percent, avg_memory_usage_mb, max_memory_usage_mb, avg_event_loop_lag_ms)
    SELECT p_tenant, h0, a.requests, a.requests - a.errors, a.errors, a.sum_us, a.max_us,
           a.lat_idx, a.lat_cnt, a.err_idx, a.err_cnt,
           a.q_calls, a.q_slow, a.q_sum_us, a.q_errors, a.q_idx, a.q_cnt,
           r.cpu_sum, r.cpu_n, r.mem_sum, r.mem_n, r.lag_sum, r.lag_n, p.util_sum, p.util_n,
           r.cpu_sum / nullif(r.cpu_n, 0), r.mem_sum / nullif(r.mem_n, 0), r.mem_max,
           r.lag_sum / nullif(r.lag_n, 0)
    FROM perf_merge_range(p_tenant, h0, h1, NULL) a,
         (SELECT coalesce(sum(cpu_sum), 0) cpu_sum, coalesce(sum(cpu_n), 0) cpu_n,
                 coalesce(sum(mem_sum), 0) / 1048576.0 mem_sum, coalesce(sum(mem_n), 0) mem_n,
                 max(mem_max) / 1048576.0 mem_max,
                 coalesce(sum(lag_sum), 0) lag_sum, coalesce(sum(lag_n), 0) lag_n
            FROM perf_resource_hourly WHERE tenant_id = p_tenant AND bucket = h0) r,
         (SELECT coalesce(sum(util_sum), 0) util_sum, coalesce(sum(util_n), 0) util_n
            FROM perf_pool_hourly WHERE tenant_id = p_tenant AND bucket = h0) p
    WHERE a.requests > 0 OR a.q_calls > 0 OR r.cpu_n > 0 OR r.mem_n > 0 OR r.lag_n > 0 OR p.util_n > 0;

    UPDATE performance_metrics_cache c SET
        avg_response_time_ms = c.sum_response_us / 1000.0 / nullif(c.total_requests, 0),
        p95_response_time_ms = pq[1] / 1000.0,
        p99_response_time_ms = pq[2] / 1000.0,
        avg_query_time_ms    = c.sum_query_us / 1000.0 / nullif(c.total_queries, 0),
        health_score         = (perf_health(c.total_requests, c.failed_requests,
                                  perf_hist_count_le(c.lat_idx, c.lat_cnt, 500000) - perf_hist_count_le(c.err_idx, c.err_cnt, 500000),
                                  perf_hist_count_le(c.lat_idx, c.lat_cnt, 2000000) - perf_hist_count_le(c.err_idx, c.err_cnt, 2000000),
                                  c.pool_util_sum / nullif(c.pool_util_n, 0), c.cpu_sum / nullif(c.cpu_n, 0))).score,
        last_updated         = now()
    FROM (SELECT perf_hist_quantiles(lat_idx, lat_cnt, '{0.95,0.99}') pq
            FROM performance_metrics_cache WHERE tenant_id = p_tenant AND hour_bucket = h0) x
    WHERE c.tenant_id = p_tenant AND c.hour_bucket = h0;

    INSERT INTO perf_rollup_pending_days VALUES (p_tenant, perf_day(h0)) ON CONFLICT DO NOTHING;
END;
$$;
