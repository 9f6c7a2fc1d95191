package optimizer

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
)

// detectNPlusOne: the same fingerprint executed >= n_plus_one.min_repetitions times under one
// parent span of one trace (a loop in one request), per endpoint and fingerprint. Every
// request that loops counts; the pattern is reported when at least one of those loops took
// >= min_total_duration (as Sentry's N+1 detector judges one transaction at a time), so the
// figures do not depend on how many requests happened to be slow. Loops whose spans have no
// request (endpoint 0) are never reported; the run's log counts them.
// Priority: CRITICAL when the time wasted per affected request averages >=
// critical_wasted_per_request, HIGH when >= high_wasted_per_request or the repetitions per
// request average >= high_repetitions, else MEDIUM.
func detectNPlusOne(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.NPlusOne
	minUs := c.MinTotalDuration.Microseconds()
	if err := ensureNPlusOneHours(ctx, e, c.MinRepetitions, minUs); err != nil {
		return nil, err
	}
	type row struct {
		ep int32
		stmtKey
		requests, execs, maxReps, sumUs, wastedUs, gated int64
		traces                                           []string
		method, route                                    string
		epRequests, epSumUs                              int64
		text, collection, service                        string
	}
	// the examples give each statement's db.namespace: the target its index check runs on
	rs, ex, err := statementRows(ctx, e, nPlusOneSQL, []any{e.tid, e.from, e.to, c.MinRepetitions, minUs, e.cfg.MaxPerDetector}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.ep, &r.fp, &r.requests, &r.execs, &r.maxReps, &r.sumUs, &r.wastedUs, &r.gated, &r.traces,
			&r.method, &r.route, &r.epRequests, &r.epSumUs, &r.text, &r.collection, &r.service)
	})
	if err != nil {
		return nil, err
	}
	var unattributed, unattributedGated int64
	if err := e.db.QueryRow(ctx, nPlusOneUnattributedSQL, e.tid, e.from, e.to, c.MinRepetitions, minUs).Scan(&unattributed, &unattributedGated); err != nil {
		return nil, err
	}
	if unattributed > 0 {
		e.logger.Debug("N+1 loops without a request not reported", zap.Int64("loops", unattributed), zap.Int64("over_min_total_duration", unattributedGated))
	}
	window := e.window()
	var out []Recommendation
	for _, r := range rs {
		name := orDefault(endpointName(r.method, r.route), fmt.Sprintf("endpoint %d", r.ep))
		avgReps := float64(r.execs) / float64(r.requests)
		loopMs := float64(r.sumUs) / 1000
		loopPerReq := loopMs / float64(r.requests)
		wastedPerReq := float64(r.wastedUs) / float64(r.requests) / 1000
		prio := Medium
		switch {
		case wastedPerReq >= float64(c.CriticalWastedPerRequest.Milliseconds()):
			prio = Critical
		case wastedPerReq >= float64(c.HighWastedPerRequest.Milliseconds()) || avgReps >= float64(c.HighRepetitions):
			prio = High
		}
		figs := []Figure{fig("affected_requests", float64(r.requests), "count")}
		who, latency := fmt.Sprintf("%d requests of %s", r.requests, name), ""
		if r.epRequests > 0 {
			figs = append(figs, fig("endpoint_requests", float64(r.epRequests), "count"),
				fig("affected_share", float64(r.requests)/float64(r.epRequests), "ratio"))
			who = fmt.Sprintf("%d of the %d requests of %s (%.0f%%)", r.requests, r.epRequests, name, 100*float64(r.requests)/float64(r.epRequests))
		}
		figs = append(figs, fig("avg_repetitions_per_request", avgReps, "count"), fig("max_repetitions_per_request", float64(r.maxReps), "count"),
			fig("executions", float64(r.execs), "count"), fig("loop_ms_per_request", loopPerReq, "ms"), fig("loop_total_ms", loopMs, "ms"))
		if r.epSumUs > 0 {
			ls := float64(r.sumUs) / float64(r.epSumUs)
			figs = append(figs, fig("latency_share", ls, "ratio"))
			latency = fmt.Sprintf(", %.0f%% of the time of all %s requests", 100*ls, name)
		}
		figs = append(figs, fig("time_wasted_ms", float64(r.wastedUs)/1000, "ms"), fig("time_wasted_per_request_ms", wastedPerReq, "ms"),
			fig("requests_over_min_total_duration", float64(r.gated), "count"))
		fix := loopFix(ctx, e, ex[r.fp].dbNamespace(), r.text, avgReps)
		out = append(out, Recommendation{
			ID: StableID(KindNPlusOne, name+"\x00"+fpHex(r.fp)), Category: CategoryCode, Kind: KindNPlusOne, Advice: Advice{Priority: prio,
				Title: fmt.Sprintf("N+1 query pattern in %s: %.0f executions per request on %s", name, avgReps, orDefault(fix.table, orDefault(r.collection, fpHex(r.fp)))),
				Description: fmt.Sprintf("In %s, %s ran the same statement %.1f times per request on average (up to %d) under one parent span: %s. %d of these loops took at least %s.",
					window, who, avgReps, r.maxReps, orDefault(firstWords(r.text, 120), fpHex(r.fp)), r.gated, c.MinTotalDuration),
				Impact: fmt.Sprintf("%d database round-trips; %s in the loop (%.1fms per affected request%s), %s of it in repeated executions",
					r.execs, human(loopMs/1000), loopPerReq, latency, human(float64(r.wastedUs)/1e6)),
				Effort:         "Medium - Requires code refactoring",
				Recommendation: fix.advice,
				Implementation: fix.implementation,
				EstimatedSavings: fmt.Sprintf("Reduce %d queries to %d (one per request) in %s; save about %s of database time (%.1fms per request)",
					r.execs, r.requests, window, human(float64(r.wastedUs)/1e6), wastedPerReq),
				AffectedEndpoints: []string{name}},
			Evidence: Evidence{Fingerprints: []string{fpHex(r.fp)}, ExampleTraceIDs: r.traces, Figures: figs, Statement: r.text, Services: servicesOf(r.service),
				Subject: name + " / fingerprint " + fpHex(r.fp), Validation: fix.validation,
				Rule: fmt.Sprintf(">= %d executions of one fingerprint under one parent span in one trace count as a loop in that request (every such request counts); "+
					"reported when at least one request's loop took >= %s together in the window, for attributed requests only; "+
					"latency_share = loop time / total time of all the endpoint's requests in the window", c.MinRepetitions, c.MinTotalDuration)},
			Score: float64(r.wastedUs) / 1e6,
		})
	}
	return out, nil
}

// ensureNPlusOneHours makes the stored N+1 groups of the window current and of this engine's
// rule (perf_refresh_nplusone_hour): it writes the rule, then computes the groups of every hour of the
// window that has none stored (never computed, or re-aggregated by a rollup refresh since) or
// has them under another rule, under the rollup refresh's per-tenant lock. A run thus pays
// for the hours that changed since the last one (the current hour, late data); after a rule
// change, once for the whole window.
func ensureNPlusOneHours(ctx context.Context, e *env, minReps int, minUs int64) error {
	if _, err := e.db.Exec(ctx, nPlusOneRuleSQL, minReps, minUs); err != nil {
		return err
	}
	rows, err := e.db.Query(ctx, nPlusOneStaleSQL, e.tid, e.from, e.to, minReps, minUs)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return err
	}
	// in transactions of a day of hours: progress survives an interrupted first run, and the
	// tenant's rollup refresh waits for one day's worth at most
	for len(stale) > 0 {
		n := min(len(stale), 24)
		if err := computeNPlusOneHours(ctx, e, stale[:n]); err != nil {
			return err
		}
		stale = stale[n:]
	}
	return nil
}

func computeNPlusOneHours(ctx context.Context, e *env, hours []time.Time) error {
	tx, err := e.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('otelcol-perf:refresh'), $1::integer)", e.tid); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "SELECT perf_refresh_nplusone_hour($1, h) FROM unnest($2::timestamptz[]) h", e.tid, hours); err != nil {
		return err
	}
	e.logger.Debug("N+1 groups computed", zap.Int("hours", len(hours)))
	return tx.Commit(ctx)
}
