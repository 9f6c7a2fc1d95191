INSERT INTO perf_query_plan_changes (tenant_id, db_namespace, fingerprint, source, changed_at, old_plan_hash, new_plan_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT DO NOTHING
