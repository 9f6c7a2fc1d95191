INSERT INTO api_performance_log SELECT * FROM perf_staging_api ON CONFLICT DO NOTHING
