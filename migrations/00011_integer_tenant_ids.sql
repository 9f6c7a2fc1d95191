-- +goose Up
-- Tenant ids become integer (were smallint): one client sending a new X-Scope-OrgID per
-- request created 30 000 tenants in seconds, after which every new tenant failed to
-- insert. The perfpg exporter also caps how many tenants clients may name
-- (tenant.max_tenants); the wider id space makes exhaustion a non-issue in practice.
--
-- Every tenant_id column changes type (partitioned parents carry their partitions; the
-- indexes are rebuilt by ALTER TABLE). The row-level security policies use the column and
-- perf_current_tenant(), so they are dropped and recreated around the change. The functions
-- that take a tenant id (p_tenant) or hold one in a variable are recreated from their
-- current definitions with only that type changed; the block checks that no function is
-- left mentioning smallint except perf_hist_pack (whose int2 is a histogram bucket index).

-- +goose StatementBegin
DO $$
DECLARE
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
    CREATE FUNCTION perf_current_tenant() RETURNS integer
    LANGUAGE sql STABLE AS $f$ SELECT nullif(current_setting('perf.tenant_id', true), '')::integer $f$;

    FOR t IN
        SELECT c.relname FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND a.attname = 'tenant_id' AND a.atttypid = 'smallint'::regtype
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id TYPE integer', t);
    END LOOP;
    ALTER SEQUENCE perf_tenants_tenant_id_seq AS integer;

    FOREACH t IN ARRAY coalesce(policies, '{}') LOOP
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;

    FOR f IN
        SELECT p.oid, p.oid::regprocedure AS sig FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.prokind = 'f'
           AND (pg_get_function_arguments(p.oid) ~ '\mp_tenant smallint\M'
                OR p.proname IN ('refresh_performance_metrics_incremental', 'get_performance_summary',
                                 'perf_drop_expired_rollups'))
    LOOP
        -- SQL functions call one another (perf_day_split): their bodies are checked once
        -- all are recreated, as pg_dump restores them
        PERFORM set_config('check_function_bodies', 'off', true);
        def := pg_get_functiondef(f.oid);
        def := regexp_replace(def, '\m(p_tenant) smallint\M', '\1 integer', 'g');
        def := regexp_replace(def, '\m(t_id|t)(\s+)smallint;', '\1\2integer;', 'g');
        EXECUTE format('DROP FUNCTION %s', f.sig);
        EXECUTE def;
    END LOOP;
    PERFORM set_config('check_function_bodies', 'on', true);

    IF EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.prokind = 'f' AND p.proname <> 'perf_hist_pack'
                  AND pg_get_functiondef(p.oid) ~* 'smallint') THEN
        RAISE EXCEPTION 'a function still mentions smallint after the tenant id change';
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- Back to smallint: fails (smallint out of range) when a tenant id above 32767 exists.
-- +goose StatementBegin
DO $$
DECLARE
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
    CREATE FUNCTION perf_current_tenant() RETURNS smallint
    LANGUAGE sql STABLE AS $f$ SELECT nullif(current_setting('perf.tenant_id', true), '')::smallint $f$;

    ALTER SEQUENCE perf_tenants_tenant_id_seq AS smallint;
    FOR t IN
        SELECT c.relname FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND a.attname = 'tenant_id' AND a.atttypid = 'integer'::regtype
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id TYPE smallint', t);
    END LOOP;

    FOREACH t IN ARRAY coalesce(policies, '{}') LOOP
        EXECUTE format('CREATE POLICY perf_tenant_isolation ON %I FOR SELECT TO perf_reader USING (tenant_id = perf_current_tenant())', t);
    END LOOP;

    FOR f IN
        SELECT p.oid, p.oid::regprocedure AS sig FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.prokind = 'f'
           AND (pg_get_function_arguments(p.oid) ~ '\mp_tenant integer\M'
                OR p.proname IN ('refresh_performance_metrics_incremental', 'get_performance_summary',
                                 'perf_drop_expired_rollups'))
    LOOP
        -- SQL functions call one another (perf_day_split): their bodies are checked once
        -- all are recreated, as pg_dump restores them
        PERFORM set_config('check_function_bodies', 'off', true);
        def := pg_get_functiondef(f.oid);
        def := regexp_replace(def, '\m(p_tenant) integer\M', '\1 smallint', 'g');
        def := regexp_replace(def, '\m(t_id|t)(\s+)integer;', '\1\2smallint;', 'g');
        EXECUTE format('DROP FUNCTION %s', f.sig);
        EXECUTE def;
    END LOOP;
    PERFORM set_config('check_function_bodies', 'on', true);
END;
$$;
-- +goose StatementEnd
