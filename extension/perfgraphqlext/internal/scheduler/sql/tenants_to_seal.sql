-- Tenants with an hour to seal: rollups for an hour in [$1, $2) (the log retention up to the
-- late-data horizon) that is not sealed yet. The per-tenant rollup rows drive the query.
SELECT t.name
FROM perf_tenants t
WHERE EXISTS (SELECT 1 FROM performance_metrics_cache c
               WHERE c.tenant_id = t.tenant_id AND c.hour_bucket >= perf_hour($1) AND c.hour_bucket + interval '1 hour' <= $2
                 AND NOT EXISTS (SELECT 1 FROM perf_sealed_hours s WHERE s.tenant_id = c.tenant_id AND s.bucket = c.hour_bucket))
ORDER BY t.tenant_id
