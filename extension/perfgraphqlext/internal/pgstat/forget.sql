-- Forgets the targets that are no longer configured: their status and previous snapshot
-- ($1 tenant names, $2 db_namespaces, element-wise: the configured targets). Their hourly
-- statistics stay until their retention.
WITH keep AS (
    SELECT t.tenant_id, k.ns
      FROM unnest($1::text[], $2::text[]) AS k (tenant, ns)
      JOIN perf_tenants t ON t.name = k.tenant
), gone_status AS (
    DELETE FROM perf_monitored_databases m
     WHERE NOT EXISTS (SELECT 1 FROM keep WHERE keep.tenant_id = m.tenant_id AND keep.ns = m.db_namespace)
)
DELETE FROM perf_pgss_snapshot s
 WHERE NOT EXISTS (SELECT 1 FROM keep WHERE keep.tenant_id = s.tenant_id AND keep.ns = s.db_namespace)
