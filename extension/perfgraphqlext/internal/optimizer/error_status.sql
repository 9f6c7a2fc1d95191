-- 5xx answers of endpoints $4 (tenant $1, [$2, $3)) by status code, most frequent first. It
-- reads the window's log rows (primary key range of the tenant), and runs only for the
-- endpoints the error detector reports.
SELECT endpoint_id, status_code, count(*)
FROM api_performance_log
WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 AND endpoint_id = ANY($4) AND status_code >= 500
GROUP BY endpoint_id, status_code
ORDER BY endpoint_id, count(*) DESC, status_code
