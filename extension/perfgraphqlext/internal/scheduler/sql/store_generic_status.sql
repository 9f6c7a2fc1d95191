-- Whether a statement of a target could be planned generically ($1 tenant name, $2 db_namespace,
-- $3 fingerprint, $4 status, $5 message, $6 plan_hash or NULL, $7 checked_at).
INSERT INTO perf_generic_plan_status (tenant_id, db_namespace, fingerprint, status, message, plan_hash, checked_at)
SELECT tenant_id, $2, $3, $4, $5, $6, $7 FROM perf_tenants WHERE name = $1
ON CONFLICT (tenant_id, db_namespace, fingerprint) DO UPDATE SET
    status = EXCLUDED.status, message = EXCLUDED.message, plan_hash = EXCLUDED.plan_hash, checked_at = EXCLUDED.checked_at
