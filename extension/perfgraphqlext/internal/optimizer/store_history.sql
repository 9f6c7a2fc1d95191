-- One row per episode of a recommendation (tenant, id, first_seen): updated while it stays
-- active; max_priority keeps the highest priority seen, ordered by $9 (Priorities).
INSERT INTO perf_recommendation_history AS h (tenant_id, id, first_seen, last_seen, category, kind, priority, max_priority, title)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
ON CONFLICT (tenant_id, id, first_seen) DO UPDATE SET
    last_seen = excluded.last_seen, priority = excluded.priority, title = excluded.title, runs = h.runs + 1,
    max_priority = CASE WHEN array_position($9::text[], excluded.priority) > array_position($9::text[], h.max_priority)
                        THEN excluded.priority ELSE h.max_priority END
