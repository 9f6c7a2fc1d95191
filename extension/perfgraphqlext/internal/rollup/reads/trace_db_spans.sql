-- The database spans of one trace ($4, a uuid) of a tenant in the window, earliest first, at
-- most $5, with the stored summary of their statement (no other statement text). There is
-- no index on trace_id: the tenant's rows of the window are scanned (primary key prefix).
SELECT q.ts, q.duration_us, q.fingerprint, coalesce(f.summary, ''), q.is_error
    FROM query_performance_log q
    LEFT JOIN query_fingerprints f ON f.tenant_id = q.tenant_id AND f.fingerprint = q.fingerprint
    WHERE q.tenant_id = $1 AND q.ts >= $2 AND q.ts < $3 AND q.trace_id = $4
    ORDER BY q.ts, q.span_id
    LIMIT $5
