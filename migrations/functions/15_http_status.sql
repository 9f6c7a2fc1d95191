-- The one definition of a 5xx answer: an HTTP status 500-599 (codes above 599 are not HTTP
-- statuses). The rollups' status_5xx counts, the error detector's breakdown by code, the
-- sealing of failed requests and the raw-window alerts all call it, so they count the same
-- rows. A plain SQL expression, IMMUTABLE: the planner inlines it into its callers, which
-- lets a statement that calls it use the partial index api_performance_log_5xx, whose
-- predicate is this expression written out (an index may not call a project function: the
-- reapply of these files drops them); a test (TestThe5xxIndexPredicateIsPerfStatus5xx) pins
-- that the two agree. smallint, the type of status_code: over an integer parameter the
-- inlined expression would compare status_code::integer, which the planner cannot match to
-- the index's predicate on status_code.
CREATE OR REPLACE FUNCTION perf_status_5xx(p_status_code smallint) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT p_status_code BETWEEN 500 AND 599 $$;
