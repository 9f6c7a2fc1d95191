-- The texts of the given queryids in the connected database ($1 queryids).
SELECT DISTINCT ON (queryid) queryid, query
  FROM {{schema}}.pg_stat_statements(true)
 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND queryid = ANY ($1)
