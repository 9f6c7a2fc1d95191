-- The planner's row count of relation $1 on a target (NULL when unknown; -1 before its first
-- ANALYZE in PostgreSQL 14+).
SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass($1)
