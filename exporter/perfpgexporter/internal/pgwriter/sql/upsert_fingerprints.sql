-- Rows go in key order, so concurrent writers take row locks in the same order (no deadlocks).
-- New fingerprints are inserted; known ones get last_seen moved forward (the writer does
-- this at most once an hour per fingerprint, so the table sees few updates).
INSERT INTO query_fingerprints AS f
    (tenant_id, fingerprint, db_system, operation, collection, summary, normalized_text, first_seen, last_seen)
SELECT t, fp, sys, op, coll, summ, txt, $8, $8
FROM unnest($1::integer[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
  AS k(t, fp, sys, op, coll, summ, txt)
ORDER BY t, fp
ON CONFLICT (tenant_id, fingerprint) DO UPDATE SET last_seen = greatest(f.last_seen, EXCLUDED.last_seen)
