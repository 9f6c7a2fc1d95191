--
-- Latency histograms. Durations (µs) fall into log-scale buckets of ratio gamma = 1.02:
-- bucket(d) = 0 for d <= 1 µs, else ceil(ln(d) / ln(1.02)); bucket i holds (1.02^(i-1), 1.02^i].
-- A bucket is reported as 2 * 1.02^i / 2.02, whose relative error is at most
-- (gamma-1)/(gamma+1) < 1%. Histograms are stored sparse, as two parallel arrays sorted by
-- bucket (…_idx integer[], …_cnt bigint[]), and merged by summing counts per bucket, so
-- percentiles over any range come from merged hourly/daily histograms, never from averaging
-- hourly percentiles. The request histograms of errors are kept apart (err_idx/err_cnt,
-- small), so Apdex can count errors as frustrated for any target T at read time.

-- bucket index of a duration in µs
CREATE OR REPLACE FUNCTION perf_hist_bucket(p_us bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN p_us <= 1 THEN 0 ELSE ceil(ln(p_us::float8) / 0.019802627296179712)::integer END $$;

-- representative duration (µs) of a bucket: within 1% of every value in it
CREATE OR REPLACE FUNCTION perf_hist_value(p_bucket integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN p_bucket <= 0 THEN 1.0 ELSE 2.0 * power(1.02::float8, p_bucket) / 2.02 END $$;

-- Quantiles of a merged histogram as percentile_cont computes them over the raw values: at
-- rank r = 1 + q·(n-1), interpolated between the values of ranks floor(r) and ceil(r), each
-- taken as the value of its bucket. A first version took the bucket of rank ceil(r): each bucket value
-- is within 1% of the durations in its bucket, but the gap to the interpolated percentile_cont
-- could add to that (1.008% was seen at p95); the interpolation of two values each within 1%
-- stays within 1%. The Go read path (hist.go) computes the same.

-- p_min / p_max (NULL: unknown) are the smallest and largest duration of the group: each
-- quantile is clamped to them, so none is reported outside what was measured (a bucket's
-- value may lie just outside the durations it holds). Go: Hist.QuantilesWithin.
CREATE OR REPLACE FUNCTION perf_hist_quantiles(p_idx integer[], p_cnt bigint[], p_q float8[],
                                               p_min float8 DEFAULT NULL, p_max float8 DEFAULT NULL)
RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n     integer := coalesce(array_length(p_idx, 1), 0);
    nq    integer := coalesce(array_length(p_q, 1), 0);
    res   float8[] := array_fill(NULL::float8, ARRAY[greatest(nq, 1)]);
    total bigint := 0;
    i     integer;
    k     integer;
    r     float8;
    rank  bigint;
    acc   bigint;
    v     float8[2];
    j     integer;
BEGIN
    IF n = 0 OR nq = 0 THEN
        RETURN CASE WHEN nq = 0 THEN '{}'::float8[] ELSE res END;
    END IF;
    FOR i IN 1..n LOOP total := total + p_cnt[i]; END LOOP;
    IF total = 0 THEN RETURN res; END IF;
    FOR k IN 1..nq LOOP
        r := 1 + p_q[k] * (total - 1);
        FOR j IN 1..2 LOOP
            rank := CASE WHEN j = 1 THEN floor(r) ELSE ceil(r) END;
            acc := 0;
            v[j] := perf_hist_value(p_idx[n]);
            FOR i IN 1..n LOOP
                acc := acc + p_cnt[i];
                IF acc >= rank THEN
                    v[j] := perf_hist_value(p_idx[i]);
                    EXIT;
                END IF;
            END LOOP;
        END LOOP;
        res[k] := v[1] + (r - floor(r)) * (v[2] - v[1]);
        IF p_max IS NOT NULL AND res[k] > p_max THEN res[k] := p_max; END IF;
        IF p_min IS NOT NULL AND res[k] < p_min THEN res[k] := p_min; END IF;
    END LOOP;
    RETURN res;
END;
$$;

-- Number of values in a histogram whose bucket value is <= p_us (Apdex counts).
CREATE OR REPLACE FUNCTION perf_hist_count_le(p_idx integer[], p_cnt bigint[], p_us float8) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(sum(c), 0)::bigint FROM unnest(p_idx, p_cnt) u(i, c) WHERE perf_hist_value(i) <= p_us $$;



--   * endpointMetrics over 30 days merges ~30 daily histograms per endpoint; sending them
--     as integer[]/bigint[] (array_send, per element) cost more than everything else. The
--     daily endpoint rows also carry the histogram packed in a bytea (lat_pack: per bucket
--     int2 index + int4 count, big-endian, buckets ascending), computed by a trigger from
--     lat_idx/lat_cnt, which the resolvers read instead (NULL when a count does not fit in
--     int4: the arrays are read then). The hourly and minute rows are packed by the same
--     trigger (90_endpoint_pack.sql).

CREATE OR REPLACE FUNCTION perf_hist_pack(p_idx integer[], p_cnt bigint[]) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN coalesce(max(c), 0) > 2147483647 OR coalesce(min(i), 0) < 0 OR coalesce(max(i), 0) > 32767
                  OR count(*) FILTER (WHERE i IS NULL OR c IS NULL) > 0 THEN NULL
                ELSE coalesce(string_agg(int2send(i::smallint) || int4send(c::integer), ''::bytea ORDER BY i), ''::bytea) END
    FROM unnest(p_idx, p_cnt) u(i, c)
$$;

-- The sparse histogram (bucket numbers ascending, counts) of a list of bucket numbers: one
-- row, two NULL arrays for an empty or NULL list. A set-returning SQL function, so that the
-- planner inlines it where it is used LATERAL.
CREATE OR REPLACE FUNCTION perf_hist_of_buckets(p_buckets integer[]) RETURNS TABLE (idx integer[], cnt bigint[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(b ORDER BY b), array_agg(n ORDER BY b)
    FROM (SELECT b, count(*) AS n FROM unnest(p_buckets) b GROUP BY b) x
$$;


-- array concatenation as an aggregate: the hourly histograms of a group, end to end
CREATE AGGREGATE perf_array_cat(anycompatiblearray) (SFUNC = array_cat, STYPE = anycompatiblearray);

-- The sparse histogram (buckets ascending, counts summed) of possibly repeated (bucket,
-- count) pairs: one row, NULL arrays when there is none. Set-returning, so that the planner
-- inlines it where it is used LATERAL.
CREATE OR REPLACE FUNCTION perf_hist_sum(p_idx integer[], p_cnt bigint[]) RETURNS TABLE (idx integer[], cnt bigint[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(i ORDER BY i), array_agg(c ORDER BY i)
    FROM (SELECT i, sum(c)::bigint AS c FROM unnest(p_idx, p_cnt) u(i, c) GROUP BY i) x
$$;
