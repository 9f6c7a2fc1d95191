-- Per endpoint counts of a window shorter than an hour, from the request log itself
-- (indexed by tenant and time). $1 tenant, $2 from, $3 to, $4 latency threshold (µs),
-- $5 apdex target (µs).
SELECT a.endpoint_id, a.service_id,
       count(*)                                                          AS requests,
       count(*) FILTER (WHERE perf_status_5xx(a.status_code))            AS status_5xx,
       count(*) FILTER (WHERE a.duration_us <= $4::float8)                       AS under_threshold,
       count(*) FILTER (WHERE a.is_error)                                AS errors,
       count(*) FILTER (WHERE NOT a.is_error AND a.duration_us <= $5::float8)     AS satisfied_ok,
       count(*) FILTER (WHERE NOT a.is_error AND a.duration_us <= 4 * $5::float8) AS tolerating_or_better_ok
  FROM api_performance_log a
 WHERE a.tenant_id = $1 AND a.ts >= $2 AND a.ts < $3
 GROUP BY a.endpoint_id, a.service_id
