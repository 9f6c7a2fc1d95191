CREATE TEMP TABLE IF NOT EXISTS perf_staging_api (LIKE api_performance_log) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS perf_staging_query (LIKE query_performance_log) ON COMMIT DELETE ROWS
