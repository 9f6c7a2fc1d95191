SELECT d.tenant_id, d.db_system, d.db_namespace, d.db_id
FROM perf_databases d
JOIN unnest($1::integer[], $2::text[], $3::text[]) AS k(tenant_id, db_system, db_namespace)
  ON d.tenant_id = k.tenant_id AND d.db_system = k.db_system AND d.db_namespace = k.db_namespace
