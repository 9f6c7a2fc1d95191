-- One recommendation by its id ($2), with the columns of recommendations.sql.
SELECT id, category, priority, title, description, impact, effort, recommendation,
    implementation, estimated_savings, affected_endpoints, evidence::text, first_detected, last_detected,
    kind, status, resolved_at, runs
    FROM perf_recommendations
    WHERE tenant_id = $1 AND id = $2
