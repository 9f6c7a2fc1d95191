-- Stores one recommendation of a run: a new one (or one that was resolved and came back)
-- starts its first_detected and runs over; a known active one is updated in place.
INSERT INTO perf_recommendations AS r (tenant_id, id, category, priority, title, description, impact, effort,
    recommendation, implementation, estimated_savings, affected_endpoints, evidence, first_detected, last_detected,
    kind, status, resolved_at, score, runs)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, 'ACTIVE', NULL, $16, 1)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    category = excluded.category, priority = excluded.priority, title = excluded.title,
    description = excluded.description, impact = excluded.impact, effort = excluded.effort,
    recommendation = excluded.recommendation, implementation = excluded.implementation,
    estimated_savings = excluded.estimated_savings, affected_endpoints = excluded.affected_endpoints,
    evidence = excluded.evidence, kind = excluded.kind, score = excluded.score,
    last_detected = excluded.last_detected,
    first_detected = CASE WHEN r.status = 'RESOLVED' THEN excluded.first_detected ELSE r.first_detected END,
    runs = CASE WHEN r.status = 'RESOLVED' THEN 1 ELSE r.runs + 1 END,
    status = 'ACTIVE', resolved_at = NULL
RETURNING first_detected
