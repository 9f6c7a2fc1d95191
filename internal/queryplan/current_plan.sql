-- The plan of the statement (of this source) seen last before this sighting, with when; taken
-- under the statement's advisory lock, so two writers see each other's plan.
SELECT plan_hash, last_seen
  FROM perf_query_plans
 WHERE tenant_id = $1 AND db_namespace = $2 AND fingerprint = $3 AND source = $4
 ORDER BY last_seen DESC, plan_hash
 LIMIT 1
