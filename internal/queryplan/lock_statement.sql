-- Serializes the writers of one statement's plans (replicas of the exporter, the scheduler), so
-- that each sees the plan the other stored last: $1 names the tenant, database and source, $2
-- is the fingerprint.
SELECT pg_advisory_xact_lock(hashtextextended($1, $2))
