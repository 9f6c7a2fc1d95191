-- When the statistics were last reset as a whole, and how many entries were evicted to make
-- room for others (pg_stat_statements.max); PostgreSQL 14+.
SELECT dealloc, stats_reset FROM {{schema}}.pg_stat_statements_info
