-- The texts of the fingerprints ($2), endpoints ($3) and services ($4) a slowQueries answer names; the first column says which.
SELECT 0, fingerprint, summary, normalized_text, operation, collection, db_system
      FROM query_fingerprints WHERE tenant_id = $1 AND fingerprint = ANY($2)
    UNION ALL
    SELECT 1, endpoint_id, method, route, '', '', '' FROM perf_endpoints WHERE tenant_id = $1 AND endpoint_id = ANY($3::bigint[])
    UNION ALL
    SELECT 2, service_id, name, '', '', '', '' FROM perf_services WHERE tenant_id = $1 AND service_id = ANY($4::bigint[])
