-- Alert instances of the tenant that were pending or firing during [$2, $3): started before
-- its end and evaluated (still active) or resolved after its start. $4: one state or NULL.
SELECT rule, state, labels, annotations, active_since, fired_at, resolved_at, last_eval, value
  FROM perf_alerts
 WHERE tenant_id = $1 AND active_since < $3 AND coalesce(resolved_at, last_eval) >= $2
   AND ($4::text IS NULL OR state = $4)
 ORDER BY (state = 'firing') DESC, active_since DESC, rule, fingerprint
 LIMIT $5
