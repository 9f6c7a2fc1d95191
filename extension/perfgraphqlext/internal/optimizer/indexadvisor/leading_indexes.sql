-- Valid indexes on table $1 (as the statement names it, resolved on the search path of the
-- target database) whose first key column is $2.
SELECT i.indexrelid::regclass::text
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = to_regclass($1) AND i.indisvalid AND a.attname = $2
ORDER BY 1
