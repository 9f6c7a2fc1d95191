package graphqlapi

import (
	"embed"

	"github.com/otelcol-perf/otelcol-perf/internal/perfdb"
)

// The API's queries, one file each under sql/ ($1 is always the tenant id; the window is
// [$2, $3) where there is one).
//
//go:embed sql/*.sql
var sqlFS embed.FS

func mustSQL(name string) string { return perfdb.MustSQL(sqlFS, "sql/"+name) }

var (
	detailStatementSQL = mustSQL("detail_statement.sql")
	detailTotalsSQL    = mustSQL("detail_totals.sql")
	detailEndpointsSQL = mustSQL("detail_endpoints.sql")
	selectEndpointsSQL = mustSQL("select_endpoints.sql")
	topBottlenecksSQL  = mustSQL("top_bottlenecks.sql")
	poolCurrentSQL     = mustSQL("pool_current.sql")
	poolSummarySQL     = mustSQL("pool_summary.sql")
	poolPerPoolSQL     = mustSQL("pool_per_pool.sql")
	poolHistorySQL     = mustSQL("pool_history.sql")
	recommendationsSQL = mustSQL("recommendations.sql")
	resourcesRawSQL    = mustSQL("resources_raw.sql")
	resourcesHourlySQL = mustSQL("resources_hourly.sql")
	rawSeriesSQL       = mustSQL("raw_series.sql")
	slowQueryNamesSQL  = mustSQL("slow_query_names.sql")
)
