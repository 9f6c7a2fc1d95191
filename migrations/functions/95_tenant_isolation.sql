-- Read-side security: the GraphQL API runs every request as perf_reader with the tenant in
-- the transaction-local setting perf.tenant_id (perf_current_tenant). This list is the one
-- home of the tables perf_reader reads: each gets SELECT for perf_reader, row-level security
-- and the policy that shows perf_reader the rows of that tenant only. (Table owners and
-- superusers, i.e. the exporter and the scheduler, are not subject to these policies.) A new
-- table the API reads is added here; its migration grants nothing. The grants and the flag
-- are idempotent; the policy is made again with the functions because it calls
-- perf_current_tenant, which is dropped and recreated with them.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'perf_tenants', 'perf_services', 'perf_endpoints', 'perf_databases', 'perf_instances',
        'query_fingerprints', 'query_performance_log', 'api_performance_log',
        'system_resource_metrics', 'db_pool_metrics', 'performance_metrics_cache',
        'performance_metrics_daily', 'perf_endpoint_hourly', 'perf_endpoint_daily',
        'perf_query_hourly', 'perf_query_daily', 'perf_resource_hourly', 'perf_pool_hourly',
        'perf_rollup_state', 'perf_recommendations', 'perf_recommendation_history',
        'perf_optimizer_runs', 'perf_nplusone_hours', 'perf_nplusone_hourly',
        'perf_endpoint_minutely', 'perf_query_minutely',                                        -- 00102
        'perf_monitored_databases', 'perf_query_server_hourly', 'perf_server_statements',       -- 00104
        'perf_query_plans', 'perf_query_plan_changes', 'perf_generic_plan_status',              -- 00106
        'perf_alerts',                                                                          -- 00107
        'perf_service_minutely']                                                                -- 00112
    LOOP
        EXECUTE format('GRANT SELECT ON %I TO perf_reader', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS perf_tenant_isolation ON %I', t);
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;
END;
$$;
