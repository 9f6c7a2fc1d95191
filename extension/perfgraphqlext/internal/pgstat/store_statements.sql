-- The normalized texts of fingerprints first reported by a target ($1 tenant, $2 db_namespace,
-- $3 first_seen, then arrays: fingerprint, normalized_text, summary, operation).
INSERT INTO perf_server_statements (tenant_id, db_namespace, fingerprint, normalized_text, summary, operation, first_seen)
SELECT $1, $2, u.fp, u.txt, u.summary, u.op, $3
  FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) AS u (fp, txt, summary, op)
ON CONFLICT (tenant_id, db_namespace, fingerprint) DO NOTHING
