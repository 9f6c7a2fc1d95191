-- Thinning of the request rows of a sealed hour (retention.raw_spans), after its DB-span rows
-- (perf_seal_hour, 64_sealed_hours.sql). Once an hour is sealed, its rollups answer every
-- count, sum and percentile. What still reads its request rows, and what each needs kept:
--   * the error detector's 5xx breakdown (error_status.sql) and its error example traces read
--     failed requests only: the requests of the traces perf_seal_hour keeps whole
--     (perf_seal_keep_traces: those of slow or failed requests, of the hour's N+1 groups and
--     of the active recommendations' example traces) are all kept;
--   * the endpoint example traces (endpoint_examples.sql) are the 3 slowest requests of an
--     endpoint in its 3 hours with the highest max_us, and the engine's window starts on an
--     hour: the 3 slowest requests of each endpoint in the hour are kept, ties included;
--   * absent-service alerts ask whether a service had a request since a time (of any age):
--     the latest request of each service in the hour is kept, ties included, so a service's
--     latest request since any time is still there;
--   * a trace's waterfall (traceDbSpans) shows its earliest request with its DB spans: the
--     requests of every trace that still has a DB span of the hour are kept;
--   * the attribution of a DB span of a later hour (perf_attributed_queries): its request may
--     start in this hour and end after it, so every request whose [ts, ts + duration + slack]
--     reaches the next hour is kept;
--   * with keep_sample, the requests of the sampled traces (whole traces, perf_trace_sampled).
-- trafficSeries with intervals under an hour reads the minute rollups, not the request log;
-- the alerts' windows under 5 minutes and lastDataAt read the last minutes only, never a
-- sealed hour (the horizon is at least 2 hours).
-- Not served: a DB span that arrives after the seal while its request row was thinned is
-- counted without an endpoint (endpoint 0), as one whose request never arrived.

-- Whether keep_sample keeps trace p_trace: its first 32 bits, read as a number, fall in the
-- share p_sample of their range. Every row of a trace (request and DB spans) so goes together.
CREATE OR REPLACE FUNCTION perf_trace_sampled(p_trace uuid, p_sample float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ('x' || left(replace(p_trace::text, '-', ''), 8))::bit(32)::bigint < p_sample * 4294967296.0
$$;

-- Deletes the request rows of the sealed (tenant, hour) that no reader needs (above) and
-- returns their span ids, in order, which perf_seal_hour records (api_thinned_spans,
-- api_thinned). Called by perf_seal_hour after it recorded the hour and thinned its DB-span
-- rows, with its perf_seal_keep_traces filled.
CREATE OR REPLACE FUNCTION perf_thin_requests(p_tenant integer, p_hour timestamptz, p_mode text, p_sample float8)
RETURNS bigint[]
LANGUAGE plpgsql SET enable_nestloop = off SET jit = off AS $$
DECLARE
    h0 timestamptz := perf_hour(p_hour);
    h1 timestamptz := perf_hour(p_hour) + interval '1 hour';
    gone_ids bigint[];
BEGIN
    IF p_mode = 'keep_all' THEN
        RETURN '{}';
    END IF;
    -- the traces of the DB spans left (a request claims DB spans from its start - slack on)
    INSERT INTO perf_seal_keep_traces
    SELECT DISTINCT q.trace_id FROM query_performance_log q
     WHERE q.tenant_id = p_tenant AND q.ts >= h0 - perf_attribution_slack() AND q.ts < h1
    ON CONFLICT DO NOTHING;

    WITH ranked AS (
        SELECT ts, span_id,
               rank() OVER (PARTITION BY endpoint_id ORDER BY duration_us DESC, ts DESC) AS slowest,
               rank() OVER (PARTITION BY service_id ORDER BY ts DESC) AS latest
          FROM api_performance_log
         WHERE tenant_id = p_tenant AND ts >= h0 AND ts < h1
    ), gone AS (
        DELETE FROM api_performance_log a
         USING ranked r
         WHERE a.tenant_id = p_tenant AND a.ts >= h0 AND a.ts < h1 AND a.ts = r.ts AND a.span_id = r.span_id
           AND r.slowest > 3 AND r.latest > 1
           AND a.ts + a.duration_us * interval '1 microsecond' + perf_attribution_slack() < h1
           AND NOT EXISTS (SELECT 1 FROM perf_seal_keep_traces k WHERE k.trace_id = a.trace_id)
           AND NOT (p_mode = 'keep_sample' AND perf_trace_sampled(a.trace_id, p_sample))
        RETURNING a.span_id
    )
    SELECT coalesce(array_agg(span_id ORDER BY span_id), '{}') INTO gone_ids FROM gone;
    RETURN gone_ids;
END;
$$;
