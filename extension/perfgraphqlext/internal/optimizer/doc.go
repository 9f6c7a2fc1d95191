// Package optimizer is the optimization engine of otelcol-perf: detectors that turn the
// stored logs and rollups into recommendations with evidence, run by the perfgraphql
// scheduler (under its advisory lock) for a tenant whose rollups took new data (at most every
// optimizer.min_interval) or that has active recommendations (every optimizer.interval), stored in
// perf_recommendations (+ perf_recommendation_history, perf_optimizer_runs).
//
// Every detector is its own unit (file + embedded .sql); thresholds are in Config
// (DefaultConfig: the thresholds of the original engine). A run analyses the window
// [now - optimizer.window rounded down to the hour, now):
//
//	slow_query  QUERY/SLOW_QUERY      avg > 1s (MEDIUM), > 2s (HIGH), > 5s (CRITICAL), > 10 executions,
//	                                  by total time; index from the statement (equality, range, sort
//	                                  columns), HypoPG-validated when a target is configured;
//	                                  SELECT *, LIKE, missing WHERE on large scans, OFFSET.
//	n_plus_one  CODE/N_PLUS_ONE       >= 5 executions of one fingerprint under one parent span of one
//	                                  trace (every such request counts); reported when one loop took
//	                                  >= 50ms; per attributed endpoint and fingerprint; read from the
//	                                  groups stored per hour (perf_refresh_nplusone_hour), after
//	                                  computing those of the window's hours changed since; the fix
//	                                  batches on the statement's own key column, with its index.
//	cache       CACHE/SLOW_ENDPOINT   GET endpoints, > 100 requests, avg > 500ms, <= 1% unsuccessful.
//	pool        POOL/CONNECTION_POOL  p95 used/max >= 90% (or queuing) -> ceil(1.5 × max);
//	                                  peak < 30% -> ceil(1.5 × peak used).
//	resources   RESOURCE/HIGH_CPU, MEMORY_LEAK, EVENT_LOOP_LAG (per instance, per-minute samples).
//	error_rate  ERROR/HIGH_ERROR_RATE error rate rose against the previous equal period.
//	dominant_statement QUERY/DOMINANT_QUERY >= 10s of its own database time in the window, and
//	                                  >= 20% of all database time (>= 50 calls, >= 20% of
//	                                  its requests' time) or >= 10 calls per request (>= 20 requests),
//	                                  whatever the average; the statement load of rollup/load.go;
//	                                  names the N+1 it is part of; no index offered.
//	error_rate  ERROR/HIGH_ERROR_RATE error rate rose against the previous equal period, or the
//	                                  5xx share stays >= 5% over >= 50 requests (state); one per endpoint.
//	like_scan   QUERY/LEADING_WILDCARD_LIKE  >= 50 executions with a leading-wildcard LIKE literal
//	                                  (queryhash's db.query.like_pattern), >= 500ms together -> trigram index
//	                                  (low: every execution reads the whole table).
//	plans       QUERY/PLAN_SEQ_SCAN, PLAN_ROWS_REMOVED, WORK_MEM_SPILL, PLAN_REGRESSION: from the
//	                                  statements' stored plans (plandetect/; the engine's side in plans.go).
//	cache_hit   QUERY/LOW_CACHE_HIT_RATIO pg_stat_statements hit / (hit + read) <= 0.9 with >= 10000 reads.
//
// Index advice comes from the index advisor (indexadvisor/: the statement's text read for
// an index and anti-patterns, the HypoPG check). It is given only when a scan can explain
// the time: no sleeping, volatile or user function calls (indexadvisor/calls.go), and with a HypoPG target the hypothetical index must be
// used and cut the estimated cost by hypopg.min_cost_reduction (30%).
//
// Example traces come from the 3 hours the rollups show hold the slowest requests or
// executions, not from a scan of the window. Run time over 30 days × 1M spans/day: 1.5 s
// (make bench).
//
// Ids are stable (hash of kind and subject: fingerprint, endpoint, pool, instance). A row is
// ACTIVE while reported; when a detector runs without error and no longer reports one of its
// ids, the row becomes RESOLVED (resolved_at) and its history episode is closed. A problem
// that comes back opens a new episode under the same id.
package optimizer
