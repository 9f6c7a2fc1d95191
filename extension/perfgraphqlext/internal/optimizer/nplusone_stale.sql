-- The hours of tenant $1 in [$2, $3) whose N+1 groups were not computed under the rule
-- ($4 executions, $5 µs): computed before a rule change, or never refreshed. A sealed hour's
-- groups are the record (its raw spans may be thinned): a rule change does not reach it.
SELECT h
FROM generate_series(date_trunc('hour', $2::timestamptz, 'UTC'), $3::timestamptz - interval '1 microsecond', interval '1 hour') h
WHERE NOT EXISTS (SELECT 1 FROM perf_nplusone_hours k
                  WHERE k.tenant_id = $1 AND k.bucket = h AND k.min_repetitions = $4 AND k.min_total_us = $5)
  AND NOT EXISTS (SELECT 1 FROM perf_sealed_hours s WHERE s.tenant_id = $1 AND s.bucket = h)
ORDER BY h
