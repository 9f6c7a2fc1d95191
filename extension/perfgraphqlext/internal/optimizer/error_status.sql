-- 5xx answers (perf_status_5xx) of endpoints $4 (tenant $1, [$2, $3)) by status code, most
-- frequent first. It reads the failed requests through the partial index
-- api_performance_log_5xx (its predicate is perf_status_5xx's, inlined here), and runs only
-- for the endpoints the error detector reports.
SELECT endpoint_id, status_code, count(*)
FROM api_performance_log
WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND endpoint_id = ANY($4) AND perf_status_5xx(status_code)
GROUP BY endpoint_id, status_code
ORDER BY endpoint_id, count(*) DESC, status_code
