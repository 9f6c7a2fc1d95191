-- One sighting (or several of one batch, summed) of a plan: $1 tenant, $2 db_namespace,
-- $3 fingerprint, $4 source, $5 plan_hash, $6 first seen, $7 last seen, $8 sightings, $9 plan,
-- $10 plan_text, $11 top_node, $12 total_cost, $13 exec total ms, $14 exec min, $15 exec max
-- (NULL for generic plans). The plan JSON kept is the latest sighting's.
INSERT INTO perf_query_plans AS p (tenant_id, db_namespace, fingerprint, source, plan_hash, first_seen, last_seen,
                                   times_seen, plan, plan_text, top_node, total_cost, exec_total_ms, exec_min_ms, exec_max_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (tenant_id, db_namespace, fingerprint, source, plan_hash) DO UPDATE SET
    first_seen    = least(p.first_seen, EXCLUDED.first_seen),
    last_seen     = greatest(p.last_seen, EXCLUDED.last_seen),
    times_seen    = p.times_seen + EXCLUDED.times_seen,
    plan          = CASE WHEN EXCLUDED.last_seen >= p.last_seen THEN EXCLUDED.plan ELSE p.plan END,
    plan_text     = CASE WHEN EXCLUDED.last_seen >= p.last_seen THEN EXCLUDED.plan_text ELSE p.plan_text END,
    top_node      = CASE WHEN EXCLUDED.last_seen >= p.last_seen THEN EXCLUDED.top_node ELSE p.top_node END,
    total_cost    = CASE WHEN EXCLUDED.last_seen >= p.last_seen THEN EXCLUDED.total_cost ELSE p.total_cost END,
    exec_total_ms = p.exec_total_ms + EXCLUDED.exec_total_ms,
    exec_min_ms   = least(p.exec_min_ms, EXCLUDED.exec_min_ms),
    exec_max_ms   = greatest(p.exec_max_ms, EXCLUDED.exec_max_ms)
