-- Request series binned from the request log itself: count, errors, sum, max and exact percentiles.
SELECT date_bin($4::interval, ts, '2000-01-01 00:00:00+00') b, count(*), count(*) FILTER (WHERE is_error),
        sum(duration_us::bigint), max(duration_us),
        percentile_cont('{0.5,0.95,0.99}'::float8[]) WITHIN GROUP (ORDER BY duration_us)
    FROM api_performance_log
    WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND endpoint_id = ANY($5)
    GROUP BY 1 ORDER BY 1
