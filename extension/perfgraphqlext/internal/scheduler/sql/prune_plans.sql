-- Plans, plan changes and generic plan statuses not seen since $1 (the hourly rollups'
-- retention): a statement that stopped running takes its plans with it.
WITH p AS (DELETE FROM perf_query_plans WHERE last_seen < $1 RETURNING 1),
     c AS (DELETE FROM perf_query_plan_changes WHERE changed_at < $1 RETURNING 1),
     g AS (DELETE FROM perf_generic_plan_status WHERE checked_at < $1 RETURNING 1)
SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM c) + (SELECT count(*) FROM g)
