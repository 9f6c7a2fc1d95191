-- Endpoint attribution: the request a DB span belongs to. This is the rule's source of
-- truth; the exporter applies the same rule within one batch (spanrows.attributeEndpoints)
-- so that most rows are stored attributed, and spanrows' TestAttributionAgreesWithSQL pins
-- the two equal. A DB span stored without an endpoint (endpoint_id 0: its request was not in
-- the exporter's batch) gets the endpoint of the request of the same tenant, trace and
-- service whose [ts - slack, ts + duration + slack] contains the span's start; of several, one
-- whose [ts, ts + duration] contains it exactly first, then the innermost (latest-starting)
-- one, then the lowest span id. The slack (perf_attribution_slack) absorbs the rounding of
-- SDKs that truncate a request's start or duration to the millisecond: a DB span issued in
-- the request's last millisecond then starts after its recorded end.

-- The rounding tolerated at both ends of a request: 1 ms. spanrows.AttributionSlack is the
-- exporter's copy (TestAttributionAgreesWithSQL). A request may so claim a DB span of the
-- hour before its own: the exporter marks that hour dirty too (pgwriter.markDirtyHours).
CREATE OR REPLACE FUNCTION perf_attribution_slack() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT interval '1 millisecond' $$;

-- The longest request a DB span can be attributed to: the exporter stores durations as
-- integer microseconds clamped to 2^31-1 µs (about 35.8 minutes), so the request of a span
-- starting at t started at t - perf_longest_request() or later. It bounds the scan of
-- api_performance_log (partitioned and keyed by time). Being shorter than an hour, it is
-- also why a refresh of a changed hour need only refresh the next hour too
-- (refresh_performance_metrics_incremental, reason 'next').
CREATE OR REPLACE FUNCTION perf_longest_request() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT interval '2147483647 microseconds' $$;

-- The DB spans of one tenant that start in [p_from, p_to), each with its endpoint: the
-- stored one, else the attributed one, else 0. With p_traces, only the spans of those traces
-- (NULL: all): a caller that needs few spans (the N+1 groups of an hour) attributes those
-- only, instead of joining every span of the hour with its requests. A single SELECT, so the
-- planner inlines it into its caller, where a NULL p_traces folds away.
CREATE OR REPLACE FUNCTION perf_attributed_queries(p_tenant integer, p_from timestamptz, p_to timestamptz,
                                                   p_traces uuid[] DEFAULT NULL)
RETURNS TABLE (ts timestamptz, span_id bigint, parent_span_id bigint, trace_id uuid, fingerprint bigint,
               service_id integer, endpoint_id integer, duration_us integer, rows_returned integer,
               is_error boolean)
LANGUAGE sql STABLE AS $$
    SELECT q.ts, q.span_id, q.parent_span_id, q.trace_id, q.fingerprint, q.service_id, q.endpoint_id,
           q.duration_us, q.rows_returned, q.is_error
    FROM query_performance_log q
    WHERE q.tenant_id = p_tenant AND q.ts >= p_from AND q.ts < p_to AND q.endpoint_id <> 0
      AND (p_traces IS NULL OR q.trace_id = ANY (p_traces))
    UNION ALL
    (SELECT DISTINCT ON (q.ts, q.span_id)
            q.ts, q.span_id, q.parent_span_id, q.trace_id, q.fingerprint, q.service_id, coalesce(a.endpoint_id, 0),
            q.duration_us, q.rows_returned, q.is_error
    FROM query_performance_log q
    LEFT JOIN api_performance_log a
      ON a.tenant_id = p_tenant AND a.trace_id = q.trace_id AND a.service_id = q.service_id
     AND a.ts >= p_from - perf_longest_request() - perf_attribution_slack() AND a.ts < p_to + perf_attribution_slack()
     AND a.ts <= q.ts + perf_attribution_slack()
     AND a.ts + a.duration_us * interval '1 microsecond' + perf_attribution_slack() >= q.ts
     AND (p_traces IS NULL OR a.trace_id = ANY (p_traces))
    WHERE q.tenant_id = p_tenant AND q.ts >= p_from AND q.ts < p_to AND q.endpoint_id = 0
      AND (p_traces IS NULL OR q.trace_id = ANY (p_traces))
    ORDER BY q.ts, q.span_id, (a.ts <= q.ts AND a.ts + a.duration_us * interval '1 microsecond' >= q.ts) DESC NULLS LAST,
             a.ts DESC NULLS LAST, a.span_id)
$$;
