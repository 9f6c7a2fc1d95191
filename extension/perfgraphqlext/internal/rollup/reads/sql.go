package reads

import _ "embed" // the statements below

// The statements of the reads, one file each beside this one ($1 is always the tenant id;
// the window is [$2, $3) where there is one).

var (
	// endpoints.go
	//go:embed select_endpoints.sql
	selectEndpointsSQL string
	// recommendations.go
	//go:embed recommendations.sql
	recommendationsSQL string
	//go:embed recommendation_by_id.sql
	recommendationByIDSQL string
	//go:embed top_bottlenecks.sql
	topBottlenecksSQL string
	//go:embed alerts.sql
	alertsSQL string
	// resources.go
	//go:embed resources_raw.sql
	resourcesRawSQL string
	//go:embed resources_hourly.sql
	resourcesHourlySQL string
	//go:embed monitored_databases.sql
	monitoredDatabasesSQL string
	//go:embed pool_current.sql
	poolCurrentSQL string
	//go:embed pool_summary.sql
	poolSummarySQL string
	//go:embed pool_per_pool.sql
	poolPerPoolSQL string
	//go:embed pool_history.sql
	poolHistorySQL string
	//go:embed pool_history_raw.sql
	poolHistoryRawSQL string
	//go:embed pool_summary_raw.sql
	poolSummaryRawSQL string
	//go:embed pool_per_pool_raw.sql
	poolPerPoolRawSQL string
	// series.go
	//go:embed last_data.sql
	lastDataSQL string
	// slowqueries.go
	//go:embed slow_query_names.sql
	slowQueryNamesSQL string
	// statement.go
	//go:embed detail_statement.sql
	detailStatementSQL string
	//go:embed detail_totals.sql
	detailTotalsSQL string
	//go:embed detail_endpoints.sql
	detailEndpointsSQL string
	//go:embed server_stats.sql
	serverStatsSQL string
	//go:embed query_plans.sql
	queryPlansSQL string
	//go:embed query_plan_changes.sql
	queryPlanChangesSQL string
	//go:embed generic_plan_status.sql
	genericPlanStatusSQL string
	// trace.go
	//go:embed trace_db_spans.sql
	traceDBSpansSQL string
	//go:embed trace_request.sql
	traceRequestSQL string
)
