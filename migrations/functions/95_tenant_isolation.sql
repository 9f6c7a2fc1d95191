-- Read-side security: the GraphQL API runs every request as perf_reader with the tenant in
-- the transaction-local setting perf.tenant_id (perf_current_tenant); every table the
-- migrations put under row-level security shows perf_reader the rows of that tenant only.
-- A new table gets the policy by `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` in its migration.
-- The policy lives here, not in the migrations, because it depends on perf_current_tenant,
-- which is dropped and recreated with the other functions.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relrowsecurity
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS perf_tenant_isolation ON %I', t);
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;
END;
$$;
