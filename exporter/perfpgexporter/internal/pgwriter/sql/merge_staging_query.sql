INSERT INTO query_performance_log SELECT * FROM perf_staging_query ON CONFLICT DO NOTHING
