-- The N+1 groups of tenant $1 in the hours [$2, $3) under the rule ($4 executions, $5 µs)
-- whose spans have no request (endpoint_id 0), and how many of them reached the duration
-- rule: never reported (a loop is reported for its endpoint), counted for the run's log.
SELECT coalesce(sum(h.requests), 0)::bigint, coalesce(sum(h.gated), 0)::bigint
FROM perf_nplusone_hourly h
JOIN perf_nplusone_hours k
  ON k.tenant_id = h.tenant_id AND k.bucket = h.bucket
 AND (k.min_repetitions = $4 AND k.min_total_us = $5
      OR EXISTS (SELECT 1 FROM perf_sealed_hours s WHERE s.tenant_id = h.tenant_id AND s.bucket = h.bucket))
WHERE h.tenant_id = $1 AND h.bucket >= $2 AND h.bucket < $3 AND h.endpoint_id = 0
