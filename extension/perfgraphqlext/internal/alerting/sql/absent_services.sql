-- Services of a tenant that sent requests within the lookback ($2: its first hour, read from
-- the hourly endpoint rollups) but none since $3 (read from the request log). $4: one
-- service's name, or NULL for all.
SELECT s.name
  FROM perf_services s
 WHERE s.tenant_id = $1 AND ($4::text IS NULL OR s.name = $4)
   AND EXISTS (SELECT 1 FROM perf_endpoint_hourly h
                WHERE h.tenant_id = $1 AND h.bucket >= $2 AND h.service_id = s.service_id)
   AND NOT EXISTS (SELECT 1 FROM api_performance_log a
                    WHERE a.tenant_id = $1 AND a.ts >= $3 AND a.service_id = s.service_id)
 ORDER BY s.name
