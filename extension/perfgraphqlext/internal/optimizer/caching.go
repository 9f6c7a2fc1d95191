package optimizer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// endpointExamples returns example traces of the endpoints of rs (id gives each row's endpoint
// id), of errors only when errorsOnly.
func endpointExamples[R any](ctx context.Context, e *env, rs []R, id func(R) int32, errorsOnly bool) (map[int32][]string, error) {
	ids := make([]int32, len(rs))
	for i, r := range rs {
		ids[i] = id(r)
	}
	out := map[int32][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := e.db.Query(ctx, endpointExamplesSQL, e.tid, e.from, e.to, ids, errorsOnly)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int32
		var tr string
		if err := rows.Scan(&id, &tr); err != nil {
			return nil, err
		}
		out[id] = append(out[id], tr)
	}
	return out, rows.Err()
}

// endpointRecommendations fetches the example traces of the endpoints of rs (id gives a row's
// endpoint id; errors only when errorsOnly) and builds one recommendation per row.
func endpointRecommendations[R any](ctx context.Context, e *env, rs []R, id func(R) int32, errorsOnly bool,
	build func(r R, examples []string) Recommendation) ([]Recommendation, error) {
	ex, err := endpointExamples(ctx, e, rs, id, errorsOnly)
	if err != nil {
		return nil, err
	}
	var out []Recommendation
	for _, r := range rs {
		out = append(out, build(r, ex[id(r)]))
	}
	return out, nil
}

// detectCaching: read endpoints (cache.methods, GET) with more than cache.min_requests requests,
// average > cache.min_avg_duration (HIGH above high_avg_duration) and an unsuccessful share
// (errors, 4xx, 5xx) <= cache.max_error_rate. Savings assume cache.hit_ratio.
func detectCaching(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.Cache
	methods := make([]string, len(c.Methods))
	for i, m := range c.Methods {
		methods[i] = strings.ToUpper(m)
	}
	type row struct {
		id                                   int32
		method, route, service               string
		requests, errs, s4, s5, sumUs, maxUs int64
	}
	rs, err := scanAll(ctx, e, cachingSQL, []any{e.tid, e.from, e.to, c.MinRequests, float64(c.MinAvgDuration.Microseconds()), c.MaxErrorRate, methods, e.cfg.MaxPerDetector}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.id, &r.method, &r.route, &r.service, &r.requests, &r.errs, &r.s4, &r.s5, &r.sumUs, &r.maxUs)
	})
	if err != nil {
		return nil, err
	}
	window := e.window()
	return endpointRecommendations(ctx, e, rs, func(r row) int32 { return r.id }, false, func(r row, examples []string) Recommendation {
		name := endpointName(r.method, r.route)
		avgMs := float64(r.sumUs) / float64(r.requests) / 1000
		unsuccessful := float64(max(r.errs, r.s5)+r.s4) / float64(r.requests)
		prio := Medium
		if avgMs > float64(c.HighAvgDuration.Milliseconds()) {
			prio = High
		}
		saving := float64(r.sumUs) / 1e6 * c.HitRatio
		return Recommendation{
			ID: StableID(KindSlowEndpoint, r.service+"\x00"+name), Category: CategoryCache, Kind: KindSlowEndpoint, Advice: Advice{Priority: prio,
				Title:             fmt.Sprintf("Add caching to %s", name),
				Description:       fmt.Sprintf("%s (%s) was called %d times in %s with %.0fms average response and %.1f%% unsuccessful responses", name, r.service, r.requests, window, avgMs, 100*unsuccessful),
				Impact:            "High traffic with slow, successful responses - a caching candidate",
				Effort:            "Low - Add a cache in front of the handler",
				Recommendation:    "Cache the response (e.g. Redis or an in-process LRU) with a 60-300 second TTL, keyed by the route parameters and the caller's visibility; invalidate on writes",
				Implementation:    fmt.Sprintf("// NestJS: @UseInterceptors(CacheInterceptor) @CacheTTL(60) on the %s handler\n// HTTP: Cache-Control: public, max-age=60 (if the response is not user-specific)", name),
				EstimatedSavings:  fmt.Sprintf("Save about %s in %s (%.0f%% cache hit rate)", human(saving), window, 100*c.HitRatio),
				AffectedEndpoints: []string{name}},
			Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: examples, Services: servicesOf(r.service), Subject: r.service + " " + name,
				Rule: fmt.Sprintf("%v requests > %d, avg > %s, unsuccessful share <= %g (HIGH avg > %s)", c.Methods, c.MinRequests, c.MinAvgDuration, c.MaxErrorRate, c.HighAvgDuration),
				Figures: []Figure{fig("requests", float64(r.requests), "count"), fig("avg_ms", avgMs, "ms"), fig("max_ms", float64(r.maxUs)/1000, "ms"),
					fig("unsuccessful_share", unsuccessful, "ratio"), fig("total_s", float64(r.sumUs)/1e6, "s")}},
			Score: saving,
		}
	})
}
