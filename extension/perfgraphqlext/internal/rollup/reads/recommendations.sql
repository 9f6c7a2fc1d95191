-- The recommendations seen in the window, highest priority first ($5 minimum rank in $7, the priorities lowest first).
SELECT id, category, priority, title, description, impact, effort, recommendation,
    implementation, estimated_savings, affected_endpoints, evidence::text, first_detected, last_detected,
    kind, status, resolved_at, runs
    FROM perf_recommendations
    WHERE tenant_id = $1 AND last_detected >= $2 AND first_detected < $3 AND ($4::text IS NULL OR category = $4)
      AND coalesce(array_position($7::text[], priority), 1) >= $5
    ORDER BY coalesce(array_position($7::text[], priority), 1) DESC, last_detected DESC, id
    LIMIT $6
