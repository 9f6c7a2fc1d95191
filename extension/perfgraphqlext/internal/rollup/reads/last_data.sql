-- When the tenant (or service $2, when not null) last had a request: the latest request of
-- the log since $3 (the last minutes, which the rollups may not hold yet), else the start
-- of the latest minute bucket, else (minute rollups expired) of the latest hour bucket. Each
-- reads a primary key's (tenant_id, time) prefix backwards.
SELECT greatest(
    (SELECT max(ts) FROM api_performance_log
      WHERE tenant_id = $1 AND ts >= $3 AND ($2::integer IS NULL OR service_id = $2)),
    coalesce(
      (SELECT max(bucket) FROM perf_endpoint_minutely
        WHERE tenant_id = $1 AND ($2::integer IS NULL OR service_id = $2) AND requests > 0),
      (SELECT max(bucket) FROM perf_endpoint_hourly
        WHERE tenant_id = $1 AND ($2::integer IS NULL OR service_id = $2) AND requests > 0)))
