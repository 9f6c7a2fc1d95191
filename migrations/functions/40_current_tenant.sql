-- ---------------------------------------------------------------------------------------
-- Read-side security: the GraphQL API runs every request as perf_reader, with the tenant
-- in the transaction-local setting perf.tenant_id; row-level security limits every table
-- it can read to that tenant. (Table owners and superusers, i.e. the exporter and the
-- scheduler, are not subject to these policies.)
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION perf_current_tenant() RETURNS integer
        LANGUAGE sql STABLE AS 'SELECT nullif(current_setting(''perf.tenant_id'', true), '''')::integer';

-- The id of tenant p_name, which is created when it has sent no data yet: the collectors of
-- server statistics and query plans (pgstat, queryplan) work for configured targets that may
-- precede their tenant's first span.
CREATE OR REPLACE FUNCTION perf_ensure_tenant(p_name text) RETURNS integer
LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO perf_tenants (name) VALUES (p_name) ON CONFLICT (name) DO NOTHING RETURNING tenant_id
    )
    SELECT tenant_id FROM ins
    UNION ALL
    SELECT tenant_id FROM perf_tenants WHERE name = p_name
    LIMIT 1
$$;
