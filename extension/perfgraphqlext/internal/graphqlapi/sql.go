package graphqlapi

import _ "embed" // the queries below

// The API's queries, one file each under sql/ ($1 is always the tenant id; the window is
// [$2, $3) where there is one).

var (
	//go:embed sql/top_bottlenecks.sql
	topBottlenecksSQL string
	//go:embed sql/recommendations.sql
	recommendationsSQL string
	//go:embed sql/recommendation_by_id.sql
	recommendationByIDSQL string
	//go:embed sql/last_data.sql
	lastDataSQL string
)
