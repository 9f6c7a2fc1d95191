-- The 5 active recommendations of the window that rank highest ($5: the priorities, lowest first).
SELECT id, category, kind, priority, title, description, impact, recommendation, affected_endpoints, evidence::text
    FROM perf_recommendations
    WHERE tenant_id = $1 AND status = 'ACTIVE' AND last_detected >= $2 AND first_detected < $3
      AND ($4::text IS NULL OR evidence->'services' ? $4::text)
    ORDER BY array_position($5::text[], priority) DESC NULLS LAST, score DESC, id
    LIMIT 5
