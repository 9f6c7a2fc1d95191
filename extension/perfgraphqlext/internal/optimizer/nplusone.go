package optimizer

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
)

var (
	nPlusOneSQL      = mustSQL("nplusone.sql")
	nPlusOneStaleSQL = mustSQL("nplusone_stale.sql")
	nPlusOneRuleSQL  = mustSQL("nplusone_rule.sql")
)

// detectNPlusOne: the same fingerprint executed >= n_plus_one.min_repetitions times under one
// parent span of one trace, >= min_total_duration together; per endpoint and fingerprint.
// Priority: CRITICAL when the time wasted per affected request averages >=
// critical_wasted_per_request, HIGH when >= high_wasted_per_request or the repetitions per
// request average >= high_repetitions, else MEDIUM.
func detectNPlusOne(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.NPlusOne
	minUs := c.MinTotalDuration.Microseconds()
	if err := ensureNPlusOneHours(ctx, e, c.MinRepetitions, minUs); err != nil {
		return nil, err
	}
	window := e.window()
	var out []Recommendation
	err := e.eachRow(ctx, nPlusOneSQL, []any{e.tid, e.from, e.to, c.MinRepetitions, minUs, e.cfg.MaxPerDetector}, func(rows pgx.Rows) error {
		var ep int32
		var fp, requests, execs, sumUs, wastedUs, epRequests int64
		var maxReps int64
		var traces []string
		var method, route, text, collection, service string
		if err := rows.Scan(&ep, &fp, &requests, &execs, &maxReps, &sumUs, &wastedUs, &traces, &method, &route, &epRequests, &text, &collection, &service); err != nil {
			return err
		}
		name := endpointName(method, route)
		var eps []string
		subjectEp := fmt.Sprint(ep)
		if ep == 0 || route == "" {
			name = "(no endpoint)"
		} else {
			eps = []string{name}
			subjectEp = name
		}
		avgReps := float64(execs) / float64(requests)
		wastedPerReq := float64(wastedUs) / float64(requests) / 1000 // ms
		prio := Medium
		switch {
		case wastedPerReq >= float64(c.CriticalWastedPerRequest.Milliseconds()):
			prio = Critical
		case wastedPerReq >= float64(c.HighWastedPerRequest.Milliseconds()) || avgReps >= float64(c.HighRepetitions):
			prio = High
		}
		figs := []Figure{fig("affected_requests", float64(requests), "count"), fig("executions", float64(execs), "count"),
			fig("avg_repetitions_per_request", avgReps, "count"), fig("max_repetitions_per_request", float64(maxReps), "count"),
			fig("total_ms", float64(sumUs)/1000, "ms"), fig("time_wasted_ms", float64(wastedUs)/1000, "ms"),
			fig("time_wasted_per_request_ms", wastedPerReq, "ms")}
		share := ""
		if epRequests > 0 {
			figs = append(figs, fig("endpoint_requests", float64(epRequests), "count"),
				fig("affected_share", float64(requests)/float64(epRequests), "ratio"))
			share = fmt.Sprintf(" (%.0f%% of its %d requests)", 100*float64(requests)/float64(epRequests), epRequests)
		}
		target := orDefault(collection, "the table")
		out = append(out, Recommendation{
			ID: StableID(KindNPlusOne, subjectEp+"\x00"+fpHex(fp)), Category: CategoryCode, Kind: KindNPlusOne, Priority: prio,
			Title: fmt.Sprintf("N+1 query pattern in %s", name),
			Description: fmt.Sprintf("In %d requests%s of the last %s, %s ran the same statement %.1f times per request on average (up to %d) under one parent span: %s",
				requests, share, window, name, avgReps, maxReps, orDefault(firstWords(text, 120), fpHex(fp))),
			Impact:         fmt.Sprintf("%d database round-trips; %s spent in repeated executions (%.0fms per affected request)", execs, human(float64(wastedUs)/1e6), wastedPerReq),
			Effort:         "Medium - Requires code refactoring",
			Recommendation: fmt.Sprintf("Batch the lookups on %s: load all rows with one query (WHERE id IN (...) / = ANY($1)), use a JOIN or the ORM's eager loading, or a DataLoader", target),
			Implementation: fmt.Sprintf("-- one query instead of %.0f per request\n%s\n// e.g. const loader = new DataLoader(async (ids) => rowsFor(await db.query('SELECT ... FROM %s WHERE id = ANY($1)', [ids]), ids));",
				avgReps, batchedForm(text), target),
			EstimatedSavings:  fmt.Sprintf("Reduce %d queries to %d; save about %s per %s", execs, requests, human(float64(wastedUs)/1e6), window),
			AffectedEndpoints: eps,
			Evidence: Evidence{Fingerprints: []string{fpHex(fp)}, ExampleTraceIDs: traces, Figures: figs, Statement: text, Services: servicesOf(service),
				Subject: name + " / fingerprint " + fpHex(fp),
				Rule:    fmt.Sprintf(">= %d executions of one fingerprint under one parent span in one trace, >= %s together", c.MinRepetitions, c.MinTotalDuration)},
			Score: float64(wastedUs) / 1e6,
		})
		return nil
	})
	return out, err
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

// batchedForm rewrites "col = ?" of a statement into "col = ANY(?)" as a hint of the batched query.
func batchedForm(normalized string) string {
	an := AnalyzeStatement(normalized)
	if len(an.Equality) == 1 && an.Table != "" {
		return fmt.Sprintf("SELECT ... FROM %s WHERE %s = ANY($1)  -- all keys of the request at once", an.Table, an.Equality[0])
	}
	return "-- batch: " + firstWords(normalized, 200)
}
