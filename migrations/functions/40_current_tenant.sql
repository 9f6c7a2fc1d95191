-- ---------------------------------------------------------------------------------------
-- Read-side security: the GraphQL API runs every request as perf_reader, with the tenant
-- in the transaction-local setting perf.tenant_id; row-level security limits every table
-- it can read to that tenant. (Table owners and superusers, i.e. the exporter and the
-- scheduler, are not subject to these policies.)
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION perf_current_tenant() RETURNS integer
        LANGUAGE sql STABLE AS 'SELECT nullif(current_setting(''perf.tenant_id'', true), '''')::integer';
