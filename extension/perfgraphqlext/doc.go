// Package perfgraphqlext is the read side of otelcol-perf (component type "perfgraphql").
// This package is the component shell: factory, configuration, start and stop, the HTTP
// server (/graphql, /healthz, the dashboard at /) with its guard, and the two
// authenticators (bearer tokens of the GraphQL API; the OTLP server authenticator). The
// work is done by its internal packages, each with a Config of its own built from this
// package's Config:
//
//	internal/graphqlapi  the GraphQL API: schema.graphql (the documented contract, served
//	                     as is with github.com/graphql-go/graphql), resolvers, request limits
//	internal/rollup      the read model of the rollups: windows, histograms, the
//	                     tenant-scoped store, health score and trend
//	internal/scheduler   partitions, rollup refresh, retention, the optimization engine's runs
//	internal/optimizer   the optimization engine (recommendations)
//	internal/dashboard   the embedded dashboard
//
// Imports go down only: this package -> graphqlapi -> rollup -> the database;
// scheduler -> optimizer. See README.md for the configuration and self-telemetry.
//
// # Scheduler
//
// Every replica ticks every scheduler.interval (15s). On a dedicated connection it tries
// pg_try_advisory_lock; the holder keeps the lock (and the work) until it stops or its
// connection breaks, the others skip their ticks. On its first tick and then every 5 minutes
// the leader premakes the daily partitions of today..today+scheduler.premake_days, drops
// partitions older than retention.logs (api/query logs) and retention.resources
// (resource/pool metrics) and expires rollup rows. Every tick calls
// refresh_performance_metrics_incremental(tenant) for every tenant with dirty hours or a
// finished day to merge (internal/scheduler/sql/tenants_to_refresh.sql; idle tenants are
// skipped), then runs the optimization engine for the tenants due
// (internal/scheduler/sql/tenants_to_optimize.sql): those whose refresh took new data since
// their last run, at most every optimizer.min_interval, and those with active
// recommendations every optimizer.interval. Self-telemetry:
// otelcol_perfgraphql_refresh_duration, _refresh_hours, _partitions_created,
// _partitions_dropped, _scheduler_ticks{role}, _scheduler_errors{step},
// _optimizer_runs{trigger}, _optimizer_detector_duration{detector}.
//
// # Rollups (tables in migrations/00100_baseline.sql, refresh in migrations/functions)
//
// Hourly and daily rollups per tenant (performance_metrics_cache / performance_metrics_daily),
// per endpoint (perf_endpoint_*), per fingerprint and endpoint (perf_query_*), per instance
// (perf_resource_hourly) and per pool (perf_pool_hourly). Latencies are kept as sparse
// log-scale histograms (gamma 1.02, bucket = ceil(ln(µs)/ln 1.02), value reported
// 2·1.02^i/2.02: relative error < 1%), merged by summing counts, so p50/p95/p99 over any
// range come from merged histograms. A refresh re-aggregates every hour the exporter marked
// dirty, the hour after each (its DB spans may belong to a request of the dirty hour) and
// the current hour, then merges the days those hours belong to (before today) into the
// daily rows. A mark that a writer rewrote while the refresh ran survives it (compared by
// xmin). DB spans without an endpoint are attributed to the request of the same trace and
// service whose [ts, ts+duration] contains them (latest start), else to "no endpoint".
// Ranges are resolved in whole UTC hours: [floor(from), ceil(to)).
//
// # Read path (internal/rollup)
//
// performanceOverview, slowQueries, endpointMetrics and endpointDetail read
// the rollup tables directly: the whole consolidated days of the range from the daily
// tables, the rest from the hourly ones (the split is computed in Go from
// perf_rollup_state), with plain index range scans and no histogram work in SQL. Histograms
// are merged in Go from the raw binary arrays (or, for the endpoint rows, from lat_pack,
// the same histogram packed in a bytea by a trigger, migrations/functions/90_endpoint_pack.sql) and the quantiles computed as
// perf_hist_quantiles does. slowQueries first finds its candidate fingerprints from the rows
// whose max_us reaches the threshold (index (tenant_id, max_us)), then reads the rows of
// those only. Reads run without JIT or parallel workers and with custom plans. With a
// service, performanceOverview reads that service's endpoint, query, resource and pool
// rollups (internal/rollup/service_summary.sql) and applies the same Go formulas. The SQL
// readers (perf_*_range, perf_summary_range, get_performance_summary) remain for psql.
//
// With read_dsn the store reads on that hot standby while its probe (replica.go,
// replica_lag.sql, cached 1 s) finds it in recovery with a known replay lag, else on the
// primary; every answer carries extensions.staleness (README "Reads off a replica"). Only
// the store's reads go there: the scheduler, engine, alerting and migrations use dsn.
//
// # Health score
//
// With the Apdex target T (health.apdex_target, default 500ms), over the requests of the
// range (N requests, E of them errors):
//
//	satisfied  = non-error requests with duration <= T
//	tolerating = non-error requests with T < duration <= 4T
//	apdex      = (satisfied + tolerating/2) / N        (errors count as frustrated; 1 when N = 0)
//	error_pen  = min(30, 200 × E/N)                      (1% errors: 2 points, 15%+: 30)
//	sat_pen    = min(20, max(0, pool% - 80)) + min(20, max(0, cpu% - 80))
//	score      = clamp(100 × apdex - error_pen - sat_pen, 0, 100)
//
// pool% is the average used/max of the connection pools, cpu% the average CPU utilization
// of the instances, both over the range. Durations are compared with T at bucket
// resolution (±1%).
//
// Status: NO_DATA without requests in the window, else HEALTHY score >= 90, DEGRADED >= 70,
// UNHEALTHY >= 50, else CRITICAL.
//
// Trend, against the previous equal period (d = score - previous score): STABLE when the
// previous period had no requests; CRITICAL when d <= -20, or d <= -5 with score < 50;
// DEGRADING when d <= -5; IMPROVING when d >= 5; else STABLE. The Go code of
// internal/rollup (health.go) is the source of truth and answers every GraphQL request;
// the SQL functions perf_health / perf_trend compute the same for the rollup refresh and
// get_performance_summary(tenant, hours_back [, apdex_target_ms]), pinned equal to the Go
// code by a test.
//
// An endpoint's trend compares p95 and error rate with the previous period: CRITICAL when
// p95 doubled or the error rate rose 10 points, DEGRADING when p95 rose 20% or errors 2
// points, IMPROVING when p95 fell 20% without more errors, else STABLE.
//
// # Security
//
// A request's tenant comes from an authenticator extension configured on the server
// (client.Info auth attribute "tenant", "tenant.id", "tenant_id", "subject" or "sub"), else
// from the bearer token map (tenants.tokens), else — only without credentials — from
// tenants.anonymous_tenant; otherwise 401 with a JSON error. Every request runs in a
// read-only transaction as role perf_reader with perf.tenant_id set: each query filters on
// the tenant id and row-level security policies on every table the role can read enforce
// it again. Limits checked on the request before the spec's validation (max_query_length,
// max_depth, max_selections; internal/graphqlapi/sdlexec/querylimits.go), at most max_parallelism
// root fields resolved at once, a per-request cost budget (internal/graphqlapi/limits.go),
// capped limit arguments and series points, and a per-request timeout (also the
// statement_timeout) bound the cost of a request. Errors name the bad argument; database errors are logged and answered
// with a generic message.
package perfgraphqlext
