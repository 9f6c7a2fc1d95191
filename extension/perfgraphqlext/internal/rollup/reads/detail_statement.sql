-- The stored statement of one fingerprint of a tenant ($1 tenant, $2 fingerprint).
SELECT summary, operation, collection, db_system, normalized_text, first_seen, last_seen
    FROM query_fingerprints WHERE tenant_id = $1 AND fingerprint = $2
