-- Writes the engine's N+1 rule where the hourly N+1 groups (perf_refresh_nplusone_hour) read
-- it; when it is unchanged nothing is written.
UPDATE perf_nplusone_rule SET min_repetitions = $1, min_total_us = $2
WHERE (min_repetitions, min_total_us) IS DISTINCT FROM ($1, $2)
