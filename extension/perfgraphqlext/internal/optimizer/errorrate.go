package optimizer

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

var errorRateSQL = mustSQL("errorrate.sql")

// detectErrorRate: endpoints with >= error_rate.min_requests requests in the window and in the
// previous equal period whose error rate rose by >= min_increase (absolute) and to >= min_ratio
// times the previous rate; HIGH from high_increase, CRITICAL from critical_increase.
func detectErrorRate(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.ErrorRate
	type row struct {
		id                     int32
		method, route, service string
		cn, ce, pn, pe         int64
	}
	rs, err := scanAll(ctx, e, errorRateSQL, []any{e.tid, e.prevFrom, e.from, e.to, c.MinRequests}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.id, &r.method, &r.route, &r.service, &r.cn, &r.ce, &r.pn, &r.pe)
	})
	if err != nil {
		return nil, err
	}
	rs = slices.DeleteFunc(rs, func(r row) bool {
		cur, prev := float64(r.ce)/float64(r.cn), float64(r.pe)/float64(r.pn)
		return !(cur-prev >= c.MinIncrease && cur >= c.MinRatio*prev)
	})
	window := e.window()
	return endpointRecommendations(ctx, e, rs, func(r row) int32 { return r.id }, true, func(r row, examples []string) Recommendation {
		name := endpointName(r.method, r.route)
		cur, prev := float64(r.ce)/float64(r.cn), float64(r.pe)/float64(r.pn)
		rise := cur - prev
		prio := Medium
		switch {
		case rise >= c.CriticalIncrease:
			prio = Critical
		case rise >= c.HighIncrease:
			prio = High
		}
		return Recommendation{ID: StableID(KindErrorRate, r.service+"\x00"+name), Category: CategoryError, Kind: KindErrorRate, Priority: prio,
			Title:             fmt.Sprintf("Error rate rising on %s", name),
			Description:       fmt.Sprintf("%s (%s) failed %.1f%% of %d requests in the last %s, against %.1f%% of %d in the %s before", name, r.service, 100*cur, r.cn, window, 100*prev, r.pn, e.prevWindow()),
			Impact:            fmt.Sprintf("%d failed requests in the last %s (%.0f more than at the previous rate)", r.ce, window, float64(r.ce)-prev*float64(r.cn)),
			Effort:            "Medium - Investigate the failing requests",
			Recommendation:    "Open the example traces, group the errors by exception type and status, and check what changed (deploys, dependencies, data) when the rise began",
			Implementation:    "-- error traces of this endpoint are listed in the evidence (exampleTraceIds)",
			EstimatedSavings:  fmt.Sprintf("About %.0f failed requests per %s back to the previous rate", float64(r.ce)-prev*float64(r.cn), window),
			AffectedEndpoints: []string{name},
			Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: examples, Services: servicesOf(r.service), Subject: r.service + " " + name,
				Rule: fmt.Sprintf(">= %d requests in both periods, rise >= %g and >= %g× the previous rate (HIGH >= %g, CRITICAL >= %g)", c.MinRequests, c.MinIncrease, c.MinRatio, c.HighIncrease, c.CriticalIncrease),
				Figures: []Figure{fig("requests", float64(r.cn), "count"), fig("errors", float64(r.ce), "count"), fig("error_rate", cur, "ratio"),
					fig("previous_requests", float64(r.pn), "count"), fig("previous_errors", float64(r.pe), "count"), fig("previous_error_rate", prev, "ratio")}},
			Score: float64(r.ce) - prev*float64(r.cn)}
	})
}
