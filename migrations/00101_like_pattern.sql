-- +goose Up
-- The class of a statement's LIKE patterns, as the queryhash processor read it before
-- redaction (likeclass.Class: 0 none, 1 exact, 2 prefix, 3 leading wildcard, 4 bind
-- parameter, 5 expression); never the pattern. Adding a column with a constant default
-- rewrites no partition.
ALTER TABLE query_performance_log ADD COLUMN like_pattern smallint NOT NULL DEFAULT 0;
-- The optimizer looks for leading-wildcard executions of a window; they are rare, so a
-- partial index keeps that look from reading the whole log. The 3 is
-- likeclass.LeadingWildcard (a test pins it).
CREATE INDEX query_performance_log_leading_wildcard ON query_performance_log (tenant_id, ts)
    WHERE like_pattern = 3;

-- +goose Down
DROP INDEX IF EXISTS query_performance_log_leading_wildcard;
ALTER TABLE query_performance_log DROP COLUMN IF EXISTS like_pattern;
