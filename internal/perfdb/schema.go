package perfdb

// Names of the tables that Go code names outside .sql files (COPY targets, partition
// maintenance, self-telemetry, range reads that Go composes over a daily and an hourly table). The tables are defined in migrations/; the columns that Go
// names are listed next to the code that encodes them (pgwriter's COPY column lists).
const (
	// APILogTable holds one row per server or consumer span; partitioned by day.
	APILogTable = "api_performance_log"
	// QueryLogTable holds one row per DB client span with a statement; partitioned by day.
	QueryLogTable = "query_performance_log"
	// ResourceMetricsTable holds resource usage per instance and minute; partitioned by day.
	ResourceMetricsTable = "system_resource_metrics"
	// PoolMetricsTable holds connection pool state per instance, pool and minute; partitioned by day.
	PoolMetricsTable = "db_pool_metrics"
	// TenantHourlyTable and TenantDailyTable are the per-tenant rollups per hour and per day.
	TenantHourlyTable = "performance_metrics_cache"
	TenantDailyTable  = "performance_metrics_daily"
	// EndpointHourlyTable and EndpointDailyTable are the per-endpoint rollups.
	EndpointHourlyTable = "perf_endpoint_hourly"
	EndpointDailyTable  = "perf_endpoint_daily"
	// QueryHourlyTable and QueryDailyTable are the per-fingerprint rollups.
	QueryHourlyTable = "perf_query_hourly"
	QueryDailyTable  = "perf_query_daily"
	// MonitoredDatabasesTable holds the state of each target (monitored application database).
	MonitoredDatabasesTable = "perf_monitored_databases"
	// PgssSnapshotTable holds each target's previous pg_stat_statements snapshot.
	PgssSnapshotTable = "perf_pgss_snapshot"
	// QueryServerHourlyTable holds the server's per-hour deltas per fingerprint and database.
	QueryServerHourlyTable = "perf_query_server_hourly"
	// ServerStatementsTable holds the normalized text of every fingerprint a target reported.
	ServerStatementsTable = "perf_server_statements"
	// EndpointMinutelyTable and QueryMinutelyTable are the endpoint and query rollups per
	// minute: the partial hours at the edges of recent ranges.
	EndpointMinutelyTable = "perf_endpoint_minutely"
	QueryMinutelyTable    = "perf_query_minutely"
	// ServiceMinutelyTable is the per-service minute rollup, whose totals are those of the
	// service's endpoint and query minute rows (what the overview reads of a range's edges).
	ServiceMinutelyTable = "perf_service_minutely"
	// QueryPlansTable holds each distinct (redacted) plan of a statement, generic or actual.
	QueryPlansTable = "perf_query_plans"
	// QueryPlanChangesTable records when a statement's plan changed shape.
	QueryPlanChangesTable = "perf_query_plan_changes"
	// GenericPlanStatusTable says per target and fingerprint whether a generic plan could be made.
	GenericPlanStatusTable = "perf_generic_plan_status"
	// AlertsTable holds the alert instances (pending, firing, resolved) per tenant and rule.
	AlertsTable = "perf_alerts"
	// AlertOutboxTable holds the notifications of alert state changes until delivered.
	AlertOutboxTable = "perf_alert_outbox"
	// FunctionsTable records which migrations/functions files the database last got.
	FunctionsTable = "perf_schema_functions"
)
