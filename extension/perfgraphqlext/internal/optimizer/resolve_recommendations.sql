-- Resolves the active recommendations of the kinds whose detectors ran ($2) that this run
-- did not find again ($3), and closes their history episode; returns how many.
WITH r AS (
    UPDATE perf_recommendations SET status = 'RESOLVED', resolved_at = $4
    WHERE tenant_id = $1 AND status = 'ACTIVE' AND kind = ANY($2) AND NOT (id = ANY($3))
    RETURNING id, first_detected
), h AS (
    UPDATE perf_recommendation_history h SET resolved_at = $4
    FROM r WHERE h.tenant_id = $1 AND h.id = r.id AND h.first_seen = r.first_detected
)
SELECT count(*) FROM r
