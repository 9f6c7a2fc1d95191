-- Health score, see extension/perfgraphqlext/doc.go:
--   apdex      = (satisfied + tolerating/2) / requests   (errors are frustrated; 1 without traffic)
--   error_pen  = min(30, 200 * error_rate)                (5% errors -> 10 points)
--   sat_pen    = min(20, max(0, pool_util% - 80)) + min(20, max(0, cpu% - 80))
--   score      = clamp(100 * apdex - error_pen - sat_pen, 0, 100)
--   status     = NO_DATA without requests, else HEALTHY >= 90 > DEGRADED >= 70 > UNHEALTHY >= 50 > CRITICAL
CREATE OR REPLACE FUNCTION perf_health(p_requests bigint, p_errors bigint, p_satisfied_ok bigint,
                            p_tolerating_or_better_ok bigint, p_pool_util float8, p_cpu float8,
                            OUT score float8, OUT status text, OUT apdex float8)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    err_rate float8 := CASE WHEN coalesce(p_requests, 0) > 0 THEN p_errors::float8 / p_requests ELSE 0 END;
BEGIN
    IF coalesce(p_requests, 0) > 0 THEN
        apdex := (greatest(p_satisfied_ok, 0) + greatest(p_tolerating_or_better_ok - p_satisfied_ok, 0) / 2.0) / p_requests;
    ELSE
        apdex := 1;
    END IF;
    score := 100 * apdex
             - least(30, 200 * err_rate)
             - least(20, greatest(0, coalesce(p_pool_util, 0) - 80))
             - least(20, greatest(0, coalesce(p_cpu, 0) - 80));
    score := round(greatest(0, least(100, score))::numeric, 2)::float8;
    status := CASE WHEN coalesce(p_requests, 0) <= 0 THEN 'NO_DATA' WHEN score >= 90 THEN 'HEALTHY' WHEN score >= 70 THEN 'DEGRADED'
                   WHEN score >= 50 THEN 'UNHEALTHY' ELSE 'CRITICAL' END;
END;
$$;

-- Trend of the health score against the previous equal period.
CREATE OR REPLACE FUNCTION perf_trend(p_score float8, p_prev_score float8, p_prev_requests bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_prev_score IS NULL OR coalesce(p_prev_requests, 0) = 0 THEN 'STABLE'
        WHEN p_score - p_prev_score <= -20 OR (p_score - p_prev_score <= -5 AND p_score < 50) THEN 'CRITICAL'
        WHEN p_score - p_prev_score <= -5 THEN 'DEGRADING'
        WHEN p_score - p_prev_score >= 5 THEN 'IMPROVING'
        ELSE 'STABLE' END
$$;
