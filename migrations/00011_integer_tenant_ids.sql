-- +goose Up
-- Tenant ids become integer (were smallint): one client sending a new X-Scope-OrgID per
-- request created 30 000 tenants in seconds, after which every new tenant failed to
-- insert. The perfpg exporter also caps how many tenants clients may name
-- (tenant.max_tenants); the wider id space makes exhaustion a non-issue in practice.
--
-- perf_retype_tenant_ids(type) changes the type of tenant ids both ways (Down uses it too):
-- every tenant_id column (partitioned parents carry their partitions; ALTER TABLE rebuilds
-- the indexes) and the identity sequence. The row-level security policies use the column
-- and perf_current_tenant(), so they are dropped and recreated around the change. The
-- functions that take a tenant id (p_tenant) or hold one in a variable (t_id, t) are
-- recreated from their current definitions with only that type changed.

-- +goose StatementBegin
CREATE FUNCTION perf_retype_tenant_ids(p_to regtype) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    from_t   text := CASE WHEN p_to = 'integer'::regtype THEN 'smallint' ELSE 'integer' END;
    to_t     text := format_type(p_to, NULL);
    t        text;
    policies text[];
    f        record;
    def      text;
BEGIN
    SELECT array_agg(tablename::text ORDER BY tablename) INTO policies
      FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'perf_tenant_isolation';
    FOREACH t IN ARRAY coalesce(policies, '{}') LOOP
        EXECUTE format('DROP POLICY perf_tenant_isolation ON %I', t);
    END LOOP;
    DROP FUNCTION perf_current_tenant();
    EXECUTE format($f$CREATE FUNCTION perf_current_tenant() RETURNS %1$s
        LANGUAGE sql STABLE AS 'SELECT nullif(current_setting(''perf.tenant_id'', true), '''')::%1$s'$f$, to_t);

    EXECUTE format('ALTER SEQUENCE perf_tenants_tenant_id_seq AS %s', to_t);
    FOR t IN
        SELECT c.relname FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND a.attname = 'tenant_id' AND a.atttypid = from_t::regtype
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id TYPE %s', t, to_t);
    END LOOP;

    FOREACH t IN ARRAY coalesce(policies, '{}') LOOP
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;

    -- SQL functions call one another (perf_day_split): their bodies are checked once all
    -- are recreated, as pg_dump restores them
    PERFORM set_config('check_function_bodies', 'off', true);
    FOR f IN
        SELECT p.oid, p.oid::regprocedure AS sig FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.prokind = 'f'
           AND (pg_get_function_arguments(p.oid) ~ ('\mp_tenant ' || from_t || '\M')
                OR p.proname IN ('refresh_performance_metrics_incremental', 'get_performance_summary',
                                 'perf_drop_expired_rollups'))
    LOOP
        def := pg_get_functiondef(f.oid);
        def := regexp_replace(def, '\m(p_tenant) ' || from_t || '\M', '\1 ' || to_t, 'g');
        def := regexp_replace(def, '\m(t_id|t)(\s+)' || from_t || ';', '\1\2' || to_t || ';', 'g');
        EXECUTE format('DROP FUNCTION %s', f.sig);
        EXECUTE def;
    END LOOP;
    PERFORM set_config('check_function_bodies', 'on', true);

    -- a tenant id left in the old type anywhere would break tenants past 32767
    IF to_t = 'integer' AND EXISTS (
        SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.prokind = 'f'
           AND p.proname NOT IN ('perf_hist_pack', 'perf_retype_tenant_ids')  -- perf_hist_pack: an int2 bucket index
           AND pg_get_functiondef(p.oid) ~* 'smallint') THEN
        RAISE EXCEPTION 'a function still mentions smallint after the tenant id change';
    END IF;
END;
$$;
-- +goose StatementEnd
SELECT perf_retype_tenant_ids('integer');

-- +goose Down
-- Back to smallint: fails (smallint out of range) when a tenant id above 32767 exists.
SELECT perf_retype_tenant_ids('smallint');
DROP FUNCTION perf_retype_tenant_ids(regtype);
