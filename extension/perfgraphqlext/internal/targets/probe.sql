-- What a monitored database offers. A library's parameters exist with their type only once
-- the library is loaded (a parameter of an unloaded one set in postgresql.conf is a
-- placeholder of type string), which tells a preloaded module apart without reading
-- shared_preload_libraries, a setting that only superusers and pg_read_all_settings may read.
SELECT current_setting('server_version_num')::int,
       (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_stat_statements'),
       EXISTS (SELECT 1 FROM pg_settings WHERE name = 'pg_stat_statements.max' AND vartype = 'integer'),
       (SELECT setting FROM pg_settings WHERE name = 'auto_explain.log_min_duration' AND vartype = 'integer'),
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg'),
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')
