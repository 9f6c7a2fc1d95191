package optimizer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// detectDominant reads the statement load of the window the way topQueries does
// (rollup.ReadLoads: one computation of shares, means and calls per request) and reports a
// statement that took at least dominant_statement.min_total_duration in the window when
//
//   - its share of all database time is >= dominant_statement.min_share, it ran at least
//     min_calls times, and, where its calls were attributed to requests, its time is at least
//     min_request_time_share of those requests' time (a top statement that is a small part of
//     the requests it serves is not where anyone waits); or
//   - under one endpoint with at least min_requests requests it ran >= calls_per_request
//     times per request on average.
//
// Statements the slow-query rule reports (average over slow_query.medium_avg, more than
// min_count calls) are left to it: its advice covers them. Priority from the share: CRITICAL
// >= critical_share, HIGH >= high_share, MEDIUM >= min_share, else (calls per request only) LOW.
// When the statement forms N+1 groups under one of its endpoints, the evidence says so and
// the fix points at batching that loop instead of offering a different one.
func detectDominant(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.Dominant
	sq := e.cfg.SlowQuery
	n1 := e.cfg.NPlusOne
	if err := ensureNPlusOneHours(ctx, e, n1.MinRepetitions, n1.MinTotalDuration.Microseconds()); err != nil {
		return nil, err
	}
	tx, err := e.db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	w := rollup.Window{From: e.from, To: rollup.CeilHour(e.to)}
	l, err := rollup.ReadLoads(ctx, tx, e.tid, w, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := rollup.FillRequests(ctx, tx, e.tid, w, l.Queries); err != nil {
		return nil, err
	}
	type cand struct {
		q          *rollup.QueryLoad
		share      float64
		byShare    bool
		loopEp     *rollup.EndpointLoad // the endpoint with most calls per request over the rule
		loopPerReq float64
	}
	var cands []cand
	for _, q := range l.Queries {
		if q.Calls > int64(sq.MinCount) && q.MeanUs() > float64(sq.MediumAvg.Microseconds()) {
			continue // a slow query: the slow-query detector's
		}
		if q.SumUs < c.MinTotalDuration.Microseconds() {
			continue // too little time to be a load, whatever its share of a small total
		}
		x := cand{q: q, share: l.Share(q)}
		if x.share >= c.MinShare && q.Calls >= int64(c.MinCalls) {
			rts := q.RequestTimeShare()
			x.byShare = rts == nil || *rts >= c.MinRequestTimeShare
		}
		for i := range q.Endpoints {
			ep := &q.Endpoints[i]
			if cpr := ep.CallsPerRequest(); cpr != nil && ep.Requests >= int64(c.MinRequests) && *cpr >= c.CallsPerRequest && *cpr > x.loopPerReq {
				x.loopEp, x.loopPerReq = ep, *cpr
			}
		}
		if x.byShare || x.loopEp != nil {
			cands = append(cands, x)
		}
	}
	if len(cands) == 0 {
		return nil, tx.Commit(ctx)
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].q.SumUs != cands[j].q.SumUs {
			return cands[i].q.SumUs > cands[j].q.SumUs
		}
		return cands[i].q.Fingerprint < cands[j].q.Fingerprint
	})
	if len(cands) > e.cfg.MaxPerDetector {
		cands = cands[:e.cfg.MaxPerDetector]
	}
	qs := make([]*rollup.QueryLoad, len(cands))
	for i, x := range cands {
		qs[i] = x.q
	}
	if err := rollup.FillP95(ctx, tx, e.tid, w, nil, nil, qs); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}

	// names, and the N+1 groups of the candidates
	var fps, eps, svcs []int64
	for _, q := range qs {
		fps = append(fps, q.Fingerprint)
		for _, ep := range q.Endpoints {
			eps, svcs = append(eps, int64(ep.EndpointID)), append(svcs, int64(ep.ServiceID))
		}
	}
	type names struct{ a, b string }
	meta := map[[3]int64]names{}
	err = e.eachRow(ctx, dominantSQL, []any{e.tid, fps, eps, svcs, e.from, e.to, n1.MinRepetitions, n1.MinTotalDuration.Microseconds()}, func(rows pgx.Rows) error {
		var kind, id, id2 int64
		var n names
		if err := rows.Scan(&kind, &id, &id2, &n.a, &n.b); err != nil {
			return err
		}
		meta[[3]int64{kind, id, id2}] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	ex, err := queryExamples(ctx, e, qs, func(q *rollup.QueryLoad) int64 { return q.Fingerprint })
	if err != nil {
		return nil, err
	}
	epName := func(id int32) string {
		n, ok := meta[[3]int64{1, int64(id)}]
		if id == 0 || !ok || n.b == "" {
			return ""
		}
		return endpointName(n.a, n.b)
	}

	window := e.window()
	var out []Recommendation
	for _, x := range cands {
		q := x.q
		stmt := meta[[3]int64{0, q.Fingerprint, 0}]
		text, table := stmt.a, stmt.b
		meanMs, totalS := q.MeanUs()/1000, float64(q.SumUs)/1e6
		prio := Low
		switch {
		case x.byShare && x.share >= c.CriticalShare:
			prio = Critical
		case x.byShare && x.share >= c.HighShare:
			prio = High
		case x.byShare:
			prio = Medium
		}
		figs := []Figure{fig("share_of_db_time", x.share, "ratio"), fig("total_ms", float64(q.SumUs)/1000, "ms"),
			fig("executions", float64(q.Calls), "count"), fig("mean_ms", meanMs, "ms"), fig("max_ms", float64(q.MaxUs)/1000, "ms"),
			fig("db_time_total_ms", float64(l.TotalUs)/1000, "ms")}
		if q.P95Us != nil {
			figs = append(figs, fig("p95_ms", *q.P95Us/1000, "ms"))
		}
		if cpr := q.CallsPerRequest(); cpr != nil {
			figs = append(figs, fig("calls_per_request", *cpr, "count"))
		}
		if rts := q.RequestTimeShare(); rts != nil {
			figs = append(figs, fig("share_of_request_time", *rts, "ratio"))
		}
		var affected, services, loops []string
		seenSvc := map[string]bool{}
		var epParts []string
		for _, ep := range q.Endpoints {
			if s := meta[[3]int64{2, int64(ep.ServiceID)}].a; s != "" && !seenSvc[s] {
				seenSvc[s] = true
				services = append(services, s)
			}
			name := epName(ep.EndpointID)
			if name == "" {
				continue
			}
			if len(affected) < 5 {
				affected = append(affected, name)
				part := fmt.Sprintf("%s %s in %d calls", name, human(float64(ep.SumUs)/1e6), ep.Calls)
				if cpr := ep.CallsPerRequest(); cpr != nil {
					part += fmt.Sprintf(" (%.1f per request)", *cpr)
				}
				epParts = append(epParts, part)
			}
			if _, ok := meta[[3]int64{3, q.Fingerprint, int64(ep.EndpointID)}]; ok {
				loops = append(loops, name)
			}
		}
		sort.Strings(services)
		if len(loops) > 0 {
			figs = append(figs, fig("n_plus_one_endpoints", float64(len(loops)), "count"))
		}
		var why []string
		if x.byShare {
			why = append(why, fmt.Sprintf("%.0f%% of all database time (%s of %s) in %d calls", 100*x.share, human(totalS), human(float64(l.TotalUs)/1e6), q.Calls))
		}
		if x.loopEp != nil {
			why = append(why, fmt.Sprintf("%.1f calls per request in %s (%d requests)", x.loopPerReq, epName(x.loopEp.EndpointID), x.loopEp.Requests))
		}
		p95 := ""
		if q.P95Us != nil {
			p95 = fmt.Sprintf(", p95 %.1fms", *q.P95Us/1000)
		}
		desc := fmt.Sprintf("%s took %s, at %.1fms per call on average%s: the load, not the time of one call, is what to reduce.",
			orDefault(firstWords(text, 120), "Statement "+fpHex(q.Fingerprint)), strings.Join(why, " and "), meanMs, p95)
		if len(epParts) > 0 {
			desc += " Under " + strings.Join(epParts, "; ") + "."
		}
		action := "Reduce the number of calls (fetch once per request, or batch the lookups), cache results that repeat, and check the plan (EXPLAIN (ANALYZE, BUFFERS)) for work done on every call"
		impl := fmt.Sprintf("-- per call %.1fms, %d calls in the window judged\nEXPLAIN (ANALYZE, BUFFERS) %s;", meanMs, q.Calls, orDefault(text, "<statement "+fpHex(q.Fingerprint)+">"))
		if len(loops) > 0 {
			desc += fmt.Sprintf(" It runs in a loop (N+1) in %s: that N+1 recommendation's batching is the fix for those calls.", strings.Join(loops, ", "))
			action = fmt.Sprintf("Batch the N+1 loop in %s (see its N+1 recommendation); then cache results that repeat and check the plan of what remains", strings.Join(loops, ", "))
		}
		ev := Evidence{Fingerprints: []string{fpHex(q.Fingerprint)}, Statement: text, Services: services, Figures: figs,
			Subject: "fingerprint " + fpHex(q.Fingerprint),
			Rule: fmt.Sprintf(">= %s of database time, and a share of all of it >= %.0f%% with >= %d calls and >= %.0f%% of its requests' time, or >= %g calls per request under an endpoint with >= %d requests; priority HIGH >= %.0f%%, CRITICAL >= %.0f%%; window %s",
				c.MinTotalDuration, 100*c.MinShare, c.MinCalls, 100*c.MinRequestTimeShare, c.CallsPerRequest, c.MinRequests, 100*c.HighShare, 100*c.CriticalShare, window)}
		ev.ExampleTraceIDs = ex[q.Fingerprint].traceIDs()
		title := fmt.Sprintf("Dominant statement: %.0f%% of database time (%s)", 100*x.share, orDefault(table, fpHex(q.Fingerprint)))
		if !x.byShare {
			title = fmt.Sprintf("Dominant statement: %.1f calls per request in %s (%s)", x.loopPerReq, epName(x.loopEp.EndpointID), orDefault(table, fpHex(q.Fingerprint)))
		}
		out = append(out, Recommendation{
			ID: StableID(KindDominantQuery, fpHex(q.Fingerprint)), Category: CategoryQuery, Kind: KindDominantQuery, Advice: Advice{Priority: prio,
				Title:             title,
				Description:       fmt.Sprintf("In %s: %s", window, desc),
				Impact:            fmt.Sprintf("%s of database time in %s (%.0f%% of all)", human(totalS), window, 100*x.share),
				Effort:            "Medium - Requires fewer calls, caching or a plan check",
				Recommendation:    action,
				Implementation:    impl,
				EstimatedSavings:  fmt.Sprintf("Each call avoided saves %.1fms; halving the calls saves %s in %s", meanMs, human(totalS/2), window),
				AffectedEndpoints: affected}, Evidence: ev, Score: totalS,
		})
	}
	return out, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
