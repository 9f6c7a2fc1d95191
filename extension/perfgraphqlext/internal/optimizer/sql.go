package optimizer

import _ "embed" // the statements below

// The statements the engine runs on the performance database, one file each next to this
// one (the index advisor's, run on a target, are in indexadvisor; the plan detectors' are
// in plandetect).

var (
	//go:embed caching.sql
	cachingSQL string
	//go:embed endpoint_examples.sql
	endpointExamplesSQL string
	//go:embed dominant.sql
	dominantSQL string
	//go:embed tenant_id.sql
	tenantIDSQL string
	//go:embed store_recommendation.sql
	storeRecommendationSQL string
	//go:embed store_history.sql
	storeHistorySQL string
	//go:embed resolve_recommendations.sql
	resolveRecommendationsSQL string
	//go:embed log_run.sql
	logRunSQL string
	//go:embed prune_runs.sql
	pruneRunsSQL string
	//go:embed errorrate.sql
	errorRateSQL string
	//go:embed error_status.sql
	errorStatusSQL string
	//go:embed likescan.sql
	likeScanSQL string
	//go:embed nplusone.sql
	nPlusOneSQL string
	//go:embed nplusone_stale.sql
	nPlusOneStaleSQL string
	//go:embed nplusone_rule.sql
	nPlusOneRuleSQL string
	//go:embed nplusone_unattributed.sql
	nPlusOneUnattributedSQL string
	//go:embed pool.sql
	poolSQL string
	//go:embed resources.sql
	resourcesSQL string
	//go:embed slowquery.sql
	slowQuerySQL string
	//go:embed query_examples.sql
	queryExamplesSQL string
)
