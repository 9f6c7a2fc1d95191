-- Valid trigram indexes (pg_trgm's GIN or GiST operator classes) on table $1 (resolved on the
-- target's search path) whose first key column is $2.
SELECT i.indexrelid::regclass::text
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
JOIN pg_opclass o ON o.oid = i.indclass[0]
WHERE i.indrelid = to_regclass($1) AND i.indisvalid AND a.attname = $2 AND o.opcname IN ('gin_trgm_ops', 'gist_trgm_ops')
ORDER BY 1
