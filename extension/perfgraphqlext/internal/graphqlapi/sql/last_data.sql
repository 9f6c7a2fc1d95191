-- When the tenant (or service $2, when not null) last had a request: the start of the latest
-- minute bucket, else (minute rollups expired) of the latest hour bucket. Both read the
-- primary key's (tenant_id, bucket) prefix backwards.
SELECT coalesce(
    (SELECT max(bucket) FROM perf_endpoint_minutely
      WHERE tenant_id = $1 AND ($2::integer IS NULL OR service_id = $2) AND requests > 0),
    (SELECT max(bucket) FROM perf_endpoint_hourly
      WHERE tenant_id = $1 AND ($2::integer IS NULL OR service_id = $2) AND requests > 0))
