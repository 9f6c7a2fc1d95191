package optimizer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
)

// queryExample is what the spans of the window show of a statement: up to 3 example traces
// and its db.namespace (the target its index check runs on). Nil, a statement without spans,
// reads as none.
type queryExample struct {
	traces    []string
	namespace string
}

func (x *queryExample) traceIDs() []string {
	if x == nil {
		return nil
	}
	return x.traces
}

func (x *queryExample) dbNamespace() string {
	if x == nil {
		return ""
	}
	return x.namespace
}

// stmtKey is the statement a detector's row is about; a row embeds it, so that
// statementRows finds the row's fingerprint.
type stmtKey struct{ fp int64 }

func (k stmtKey) fingerprint() int64 { return k.fp }

// statementRows reads every row of a detector's query about statements into an R with scan
// (scanAll), with each statement's examples (queryExamples).
func statementRows[R interface{ fingerprint() int64 }](ctx context.Context, e *env, query string, args []any,
	scan func(pgx.Rows, *R) error) ([]R, map[int64]*queryExample, error) {
	rs, err := scanAll(ctx, e, query, args, scan)
	if err != nil {
		return nil, nil, err
	}
	ex, err := queryExamples(ctx, e, rs, R.fingerprint)
	return rs, ex, err
}

// queryExamples returns up to 3 example traces per fingerprint of rs (slowest executions).
func queryExamples[R any](ctx context.Context, e *env, rs []R, fp func(R) int64) (map[int64]*queryExample, error) {
	fps := make([]int64, len(rs))
	for i, r := range rs {
		fps[i] = fp(r)
	}
	out := map[int64]*queryExample{}
	if len(fps) == 0 {
		return out, nil
	}
	rows, err := e.db.Query(ctx, queryExamplesSQL, e.tid, e.from, e.to, fps)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var fp int64
		var trace, ns string
		var dur int32
		if err := rows.Scan(&fp, &trace, &dur, &ns); err != nil {
			return nil, err
		}
		x := out[fp]
		if x == nil {
			x = &queryExample{namespace: ns}
			out[fp] = x
		}
		x.traces = append(x.traces, trace)
	}
	return out, rows.Err()
}

// detectSlowQueries: average execution > slow_query.medium_avg (MEDIUM), > high_avg (HIGH),
// > critical_avg (CRITICAL), more than slow_query.min_count executions, ranked by total time.
// The recommendation carries the index derived from the statement (validated with HypoPG
// when a target is configured) and the anti-patterns found in it.
func detectSlowQueries(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.SlowQuery
	type row struct {
		stmtKey
		calls, sumUs, maxUs, rowsSum, rowsN, errs int64
		text, system                              string
		endpoints, services                       []string
	}
	rs, ex, err := statementRows(ctx, e, slowQuerySQL, []any{e.tid, e.from, e.to, c.MediumAvg.Microseconds(), c.MinCount, e.cfg.MaxPerDetector}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.fp, &r.calls, &r.sumUs, &r.maxUs, &r.rowsSum, &r.rowsN, &r.errs, &r.text, &r.system, &r.endpoints, &r.services)
	})
	if err != nil {
		return nil, err
	}
	window := e.window()
	var out []Recommendation
	for _, r := range rs {
		avgMs := float64(r.sumUs) / float64(r.calls) / 1000
		totalS := float64(r.sumUs) / 1e6
		prio := Medium
		switch {
		case avgMs > float64(c.CriticalAvg.Milliseconds()):
			prio = Critical
		case avgMs > float64(c.HighAvg.Milliseconds()):
			prio = High
		}
		an := indexadvisor.AnalyzeStatement(r.text)
		if err := e.deferIndexToPlan(ctx, r.fp, r.text, &an); err != nil {
			return nil, err
		}
		var avgRows float64
		if r.rowsN > 0 {
			avgRows = float64(r.rowsSum) / float64(r.rowsN)
		}
		var actions, impl []string
		var notes []string
		var validation *Validation
		if an.Index != "" {
			v := e.hypo.Validate(ctx, e.tenant, ex[r.fp].dbNamespace(), an, r.text)
			validation = &v
		}
		switch {
		case validation != nil && validation.Status == "NOT_BENEFICIAL":
			// the planner says the index would not pay: the time is not a missing index's
			notes = append(notes, "Index check: "+validation.Message+".")
			actions = append(actions, "An index would not pay here (see the index check): find where the time goes with EXPLAIN (ANALYZE, BUFFERS) and real values (rows returned, I/O, locks, functions)")
		case an.Index != "":
			actions = append(actions, fmt.Sprintf("Add the index %s on %s (%s)", an.IndexName, an.Table, strings.Join(an.IndexColumns, ", ")))
			impl = append(impl, an.Index)
			notes = append(notes, "Index check: "+validation.Message+".")
		case an.SinkCertain:
			notes = append(notes, "No index helps: the time is spent in "+an.TimeSink+", not in reading rows.")
			actions = append(actions, fmt.Sprintf("Remove %s from the statement, or move the wait out of the database", an.TimeSink))
		case an.TimeSink != "":
			notes = append(notes, "No index suggested: "+an.NoIndexReason+".")
			actions = append(actions, fmt.Sprintf("Measure %s (pg_stat_user_functions with track_functions = all, or EXPLAIN (ANALYZE, BUFFERS)) before adding any index", an.TimeSink))
		case an.NoIndexReason != "":
			notes = append(notes, "No index suggested: "+an.NoIndexReason+".")
		}
		for _, ap := range an.AntiPatterns {
			if ap.Code == "MISSING_WHERE" && an.Operation == "SELECT" && an.HasLimit && avgRows < float64(c.LargeScanRows) {
				continue // a bounded read, not a large scan
			}
			if ap.Code == "MISSING_WHERE" && an.Operation == "SELECT" && r.rowsN > 0 && avgRows < float64(c.LargeScanRows) {
				continue
			}
			actions = append(actions, ap.Fix)
			notes = append(notes, ap.Message+".")
		}
		if len(actions) == 0 {
			actions = append(actions, "Inspect the plan (EXPLAIN (ANALYZE, BUFFERS)) of this statement; no index or anti-pattern could be derived from its text")
		}
		ev := Evidence{Fingerprints: []string{fpHex(r.fp)}, Statement: r.text, Services: r.services, Subject: "fingerprint " + fpHex(r.fp),
			Rule: fmt.Sprintf("avg execution > %s and executions > %d (HIGH > %s, CRITICAL > %s), ranked by total time", c.MediumAvg, c.MinCount, c.HighAvg, c.CriticalAvg),
			Figures: []Figure{fig("executions", float64(r.calls), "count"), fig("avg_ms", avgMs, "ms"), fig("max_ms", float64(r.maxUs)/1000, "ms"),
				fig("total_s", totalS, "s"), fig("errors", float64(r.errs), "count")}}
		if r.rowsN > 0 {
			ev.Figures = append(ev.Figures, fig("avg_rows", avgRows, "rows"))
		}
		ev.ExampleTraceIDs = ex[r.fp].traceIDs()
		ev.Validation = validation
		target := float64(c.MediumAvg.Milliseconds())
		saving := float64(r.calls) * (avgMs - target) / 1000
		desc := fmt.Sprintf("%s executed %d times in %s with %.0fms average (max %.0fms): %s.",
			orDefault(firstWords(r.text, 80), "Statement "+fpHex(r.fp)), r.calls, window, avgMs, float64(r.maxUs)/1000, strings.TrimSuffix(strings.Join(notes, " "), "."))
		out = append(out, Recommendation{
			ID: StableID(KindSlowQuery, fpHex(r.fp)), Category: CategoryQuery, Kind: KindSlowQuery, Advice: Advice{Priority: prio,
				Title:             fmt.Sprintf("Slow query: %.0fms average (%s)", avgMs, orDefault(an.Table, fpHex(r.fp))),
				Description:       strings.TrimSpace(desc),
				Impact:            fmt.Sprintf("Causes %s total database time in %s", human(totalS), window),
				Effort:            "Medium - Requires query optimization or index creation",
				Recommendation:    strings.Join(actions, "; "),
				Implementation:    orDefault(strings.Join(impl, "\n"), "-- no index derived; see recommendation"),
				EstimatedSavings:  fmt.Sprintf("Up to %s in %s if the average falls to %s", human(saving), window, c.MediumAvg),
				AffectedEndpoints: r.endpoints}, Evidence: ev, Score: totalS,
		})
	}
	return out, nil
}

func firstWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
