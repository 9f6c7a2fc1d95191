package optimizer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// detectErrorRate reports endpoints by two rules, one recommendation per endpoint:
//
//   - rise: >= error_rate.min_requests requests in the window and in the previous equal period,
//     error rate up by >= min_increase (absolute) and to >= min_ratio times the previous rate;
//     HIGH from high_increase, CRITICAL from critical_increase.
//   - state: >= error_rate.state.min_requests requests in the window of which >= min_share
//     answered 5xx, whatever the period before; HIGH from high_share, CRITICAL from
//     critical_share.
//
// An endpoint that fires both is one problem seen two ways: the rules share the endpoint's id
// (so a rise that settles into a steady state stays the same episode), the texts name both
// facts, and the priority is the higher of the two.
func detectErrorRate(ctx context.Context, e *env) ([]Recommendation, error) {
	c, st := e.cfg.ErrorRate, e.cfg.ErrorRate.State
	type row struct {
		id                     int32
		method, route, service string
		cn, ce, c5, pn, pe     int64
		rise, state            bool
		prio                   string
		score                  float64
		statuses               []statusCount
	}
	rs, err := scanAll(ctx, e, errorRateSQL, []any{e.tid, e.prevFrom, e.from, e.to, c.MinRequests, st.MinRequests, st.MinShare}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.id, &r.method, &r.route, &r.service, &r.cn, &r.ce, &r.c5, &r.pn, &r.pe)
	})
	if err != nil {
		return nil, err
	}
	// the rules, and each finding's priority and score (the higher of its rules')
	for i := range rs {
		r := &rs[i]
		r.prio = Low
		if r.cn >= int64(st.MinRequests) && float64(r.c5) >= st.MinShare*float64(r.cn) {
			r.state = true
			r.prio, r.score = maxPriority(r.prio, tier(float64(r.c5)/float64(r.cn), st.HighShare, st.CriticalShare)), float64(r.c5)
		}
		if r.cn >= int64(c.MinRequests) && r.pn >= int64(c.MinRequests) {
			cur, prev := float64(r.ce)/float64(r.cn), float64(r.pe)/float64(r.pn)
			if cur-prev >= c.MinIncrease && cur >= c.MinRatio*prev {
				r.rise = true
				r.prio, r.score = maxPriority(r.prio, tier(cur-prev, c.HighIncrease, c.CriticalIncrease)), max(r.score, float64(r.ce)-prev*float64(r.cn))
			}
		}
	}
	rs = slices.DeleteFunc(rs, func(r row) bool { return !r.rise && !r.state })
	// only the findings the run keeps (max_per_detector, worst first) get their status
	// breakdown and example traces: both read the request log
	slices.SortStableFunc(rs, func(a, b row) int {
		if worse(a.prio, a.score, b.prio, b.score) {
			return -1
		}
		if worse(b.prio, b.score, a.prio, a.score) {
			return 1
		}
		return 0
	})
	rs = rs[:min(len(rs), e.cfg.MaxPerDetector)]
	statuses, err := errorStatuses(ctx, e, rs, func(r row) int32 { return r.id })
	if err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].statuses = statuses[rs[i].id]
	}
	window := e.window()
	return endpointRecommendations(ctx, e, rs, func(r row) int32 { return r.id }, true, func(r row, examples []string) Recommendation {
		name := endpointName(r.method, r.route)
		cur := float64(r.ce) / float64(r.cn)
		share5 := float64(r.c5) / float64(r.cn)
		var prev float64
		if r.pn > 0 {
			prev = float64(r.pe) / float64(r.pn)
		}
		var titles, rules []string
		desc := fmt.Sprintf("%s (%s) ", name, r.service)
		var facts []string
		figures := []Figure{fig("requests", float64(r.cn), "count"), fig("errors", float64(r.ce), "count"), fig("error_rate", cur, "ratio"),
			fig("status_5xx", float64(r.c5), "count"), fig("status_5xx_share", share5, "ratio")}
		if r.state {
			titles = append(titles, fmt.Sprintf("%s answers 5xx to %.1f%% of requests", name, 100*share5))
			facts = append(facts, fmt.Sprintf("answered %d of %d requests in %s with a 5xx status (%.1f%%)%s", r.c5, r.cn, window, 100*share5, statusText(r.statuses)))
			rules = append(rules, fmt.Sprintf("state: >= %d requests in the window, 5xx share >= %g (HIGH >= %g, CRITICAL >= %g)", st.MinRequests, st.MinShare, st.HighShare, st.CriticalShare))
		}
		if r.rise {
			titles = append(titles, "the error rate is rising")
			facts = append(facts, fmt.Sprintf("failed %.1f%% of %d requests in %s, against %.1f%% of %d in the %s before", 100*cur, r.cn, window, 100*prev, r.pn, e.prevWindow()))
			rules = append(rules, fmt.Sprintf("rise: >= %d requests in both periods, rise >= %g and >= %g× the previous rate (HIGH >= %g, CRITICAL >= %g)", c.MinRequests, c.MinIncrease, c.MinRatio, c.HighIncrease, c.CriticalIncrease))
			figures = append(figures, fig("previous_requests", float64(r.pn), "count"), fig("previous_errors", float64(r.pe), "count"), fig("previous_error_rate", prev, "ratio"))
		}
		for _, s := range r.statuses {
			figures = append(figures, fig(fmt.Sprintf("status_%d", s.code), float64(s.n), "count"))
		}
		title := titles[0]
		if !r.state {
			title = "Error rate rising on " + name
		} else if len(titles) > 1 {
			title += ", and " + titles[1]
		}
		rec := Recommendation{ID: StableID(KindErrorRate, r.service+"\x00"+name), Category: CategoryError, Kind: KindErrorRate, Advice: Advice{Priority: r.prio,
			Title:             title,
			Description:       desc + strings.Join(facts, "; it ") + ".",
			Effort:            "Medium - Investigate the failing requests",
			Implementation:    "-- failing traces of this endpoint are listed in the evidence (exampleTraceIds)",
			AffectedEndpoints: []string{name}},
			Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: examples, Services: servicesOf(r.service), Subject: r.service + " " + name,
				Rule: strings.Join(rules, "; "), Figures: figures},
			Score: r.score}
		if r.rise {
			rec.Impact = fmt.Sprintf("%d failed requests in %s (%.0f more than at the previous rate)", r.ce, window, float64(r.ce)-prev*float64(r.cn))
			rec.Recommendation = "Open the example traces, group the errors by exception type and status, and check what changed (deploys, dependencies, data) when the rise began"
			rec.EstimatedSavings = fmt.Sprintf("About %.0f failed requests in %s back to the previous rate", float64(r.ce)-prev*float64(r.cn), window)
		} else {
			before := fmt.Sprintf("fewer than %d requests in the %s before, nothing to compare with", c.MinRequests, e.prevWindow())
			if r.pn >= int64(c.MinRequests) {
				before = fmt.Sprintf("not a rise: %.1f%% of %d requests failed in the %s before", 100*prev, r.pn, e.prevWindow())
			}
			rec.Impact = fmt.Sprintf("%d requests answered 5xx in %s (%s)", r.c5, window, before)
			rec.Recommendation = "Open the example traces: a steady 5xx share is a standing fault (a failing dependency, a bad input path, a timeout), not a change; fix the cause the traces share, or answer 4xx where the client is at fault"
			rec.EstimatedSavings = fmt.Sprintf("%d failed requests in %s", r.c5, window)
		}
		return rec
	})
}

type statusCount struct {
	code int16
	n    int64
}

// errorStatuses fills the 5xx status breakdown of each endpoint of rs.
func errorStatuses[R any](ctx context.Context, e *env, rs []R, id func(R) int32) (map[int32][]statusCount, error) {
	ids := make([]int32, len(rs))
	for i, r := range rs {
		ids[i] = id(r)
	}
	out := map[int32][]statusCount{}
	if len(ids) == 0 {
		return out, nil
	}
	err := e.eachRow(ctx, errorStatusSQL, []any{e.tid, e.from, e.to, ids}, func(rows pgx.Rows) error {
		var ep int32
		var s statusCount
		if err := rows.Scan(&ep, &s.code, &s.n); err != nil {
			return err
		}
		out[ep] = append(out[ep], s)
		return nil
	})
	return out, err
}

func statusText(ss []statusCount) string {
	if len(ss) == 0 {
		return ""
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%d × %d", s.n, s.code)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// tier is the priority of a rule's figure v that passed its threshold: CRITICAL from
// critical, HIGH from high, else MEDIUM.
func tier(v, high, critical float64) string {
	switch {
	case v >= critical:
		return Critical
	case v >= high:
		return High
	}
	return Medium
}

func maxPriority(a, b string) string {
	if PriorityRank(b) > PriorityRank(a) {
		return b
	}
	return a
}
