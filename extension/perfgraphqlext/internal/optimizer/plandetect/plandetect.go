package plandetect

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/advice"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
)

// Plans reads the latest plan of each statement seen in the window (its actual plan
// when auto_explain logged one, else its generic plan) and reports, at most once per
// statement and kind:
//   - PLAN_SEQ_SCAN: a sequential scan reading at least plan_seq_scan.min_relation_rows rows
//     per execution of which its filter keeps at most max_selectivity; the index is built from
//     the filter's columns by the index advisor's rules and checked with HypoPG (a check that
//     finds it not beneficial drops the advice). A filter comparing with LIKE on a statement
//     the client ran with a leading-wildcard literal is like_scan's (one recommendation per
//     statement).
//   - PLAN_ROWS_REMOVED: (actual plans) a node whose filter removes at least
//     plan_rows_removed.min_removed rows per execution and min_ratio times what it returns,
//     unless PLAN_SEQ_SCAN already reports the statement.
//   - WORK_MEM_SPILL: (actual plans) a sort or hash that went to disk, at least
//     work_mem.min_spill_kb per execution, with the work_mem that would hold it.
//   - PLAN_REGRESSION: a plan change whose new plan's mean time is worse than the old one's.
func (e *Run) Plans(ctx context.Context) ([]Finding, error) {
	d, err := e.planData(ctx)
	if err != nil {
		return nil, err
	}
	var out []Finding
	spilled := map[stmtKey]bool{}
	for _, r := range d.preferred() {
		rec, ok, err := planSeqScan(ctx, e, r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, rec)
		} else if rec, ok := planRowsRemoved(e, r); ok {
			out = append(out, rec)
		}
		if rec, ok := planSpill(e, r); ok {
			out = append(out, rec)
			spilled[stmtKey{r.ns, r.fp}] = true
		}
	}
	// statements that wrote temp blocks without a plan showing the spill
	temp, err := tempSpills(ctx, e, d, spilled)
	if err != nil {
		return nil, err
	}
	out = append(out, temp...)
	reg, err := planRegressions(ctx, e)
	if err != nil {
		return nil, err
	}
	out = append(out, reg...)
	// the engine keeps the first max_per_detector: the most time at stake first
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, nil
}

func serverTimeFigures(r *planRow) ([]advice.Figure, float64) {
	var figs []advice.Figure
	total := 0.0
	if r.calls != nil && *r.calls > 0 && r.totalMs != nil {
		total = *r.totalMs / 1000
		figs = append(figs, fig("server_calls", float64(*r.calls), "count"), fig("server_total_s", total, "s"),
			fig("server_avg_ms", *r.totalMs/float64(*r.calls), "ms"))
	}
	if r.execTotal != nil && r.seen > 0 {
		figs = append(figs, fig("logged_executions", float64(r.seen), "count"), fig("logged_avg_ms", *r.execTotal/float64(r.seen), "ms"))
		if total == 0 {
			total = *r.execTotal / 1000
		}
	}
	return figs, total
}

func (e *Run) planSubject(r *planRow) string {
	return e.statement(r.stmt, r.fp)
}

func planSeqScan(ctx context.Context, e *Run, r *planRow) (Finding, bool, error) {
	c := e.cfg.PlanSeqScan
	type hit struct {
		n              map[string]any
		scanned, kept  float64
		an             indexadvisor.StatementAnalysis
		clause, rel    string
		validation     *indexadvisor.Validation
		relationFromDB bool
	}
	var best *hit
	var nodes []map[string]any
	walkPlan(r.root, func(n map[string]any) {
		if str(n, "Node Type") == "Seq Scan" && str(n, "Filter") != "" && str(n, "Relation Name") != "" {
			nodes = append(nodes, n)
		}
	})
	for _, n := range nodes {
		clause, like := filterPredicate(str(n, "Filter"))
		if like && r.leadingLike {
			continue // like_scan's: a trigram index, not a B-tree
		}
		h := hit{n: n, clause: clause, rel: relationRef(n)}
		if r.source == "actual" {
			// EXPLAIN's rows are per loop: a parallel scan's workers, an inner scan's repetitions
			loops := max(1, numOr(n, "Actual Loops", 1))
			kept, _ := num(n, "Actual Rows")
			removed, _ := num(n, "Rows Removed by Filter")
			h.scanned, h.kept = (kept+removed)*loops, kept*loops
		} else {
			rows, ok, err := e.hypo.RelationRows(ctx, e.tenant, r.ns, h.rel)
			if err != nil || !ok {
				continue // without the relation's size a generic plan does not say the scan is large
			}
			h.kept, _ = num(n, "Plan Rows")
			h.scanned, h.relationFromDB = rows, true
		}
		if h.scanned < float64(c.MinRelationRows) || h.kept > c.MaxSelectivity*h.scanned {
			continue
		}
		alias := str(n, "Alias")
		h.an = indexadvisor.AnalyzeStatement("SELECT * FROM " + h.rel + " " + alias + " WHERE " + clause)
		if h.an.Index == "" {
			continue
		}
		if best == nil || h.scanned > best.scanned {
			hh := h
			best = &hh
		}
	}
	if best == nil {
		return Finding{}, false, nil
	}
	if r.stmt != "" {
		v := e.hypo.Validate(ctx, e.tenant, r.ns, best.an, r.stmt)
		if v.Status == "NOT_BENEFICIAL" {
			return Finding{}, false, nil // the planner says the index would not pay
		}
		best.validation = &v
	} else {
		best.validation = &indexadvisor.Validation{Status: "NOT_VALIDATED", Index: best.an.Index, DBNamespace: r.ns,
			Message: "unverified: the statement's text is not stored, so HypoPG could not plan it"}
	}
	figs, total := serverTimeFigures(r)
	sel := best.kept / best.scanned
	figs = append([]advice.Figure{fig("rows_scanned_per_execution", best.scanned, "rows"), fig("rows_kept_per_execution", best.kept, "rows"),
		fig("selectivity", sel, "ratio")}, figs...)
	high := best.scanned >= float64(c.HighRelationRows)
	scannedFrom := "rows returned + removed by the filter in the logged execution"
	if best.relationFromDB {
		scannedFrom = "the relation's reltuples on the target (generic plan)"
	}
	check := best.validation.Message
	ev := Evidence{Statement: r.stmt,
		Rule: fmt.Sprintf("Seq Scan reading >= %d rows per execution (%s) whose filter keeps <= %.4g of them (HIGH >= %d rows)",
			c.MinRelationRows, scannedFrom, c.MaxSelectivity, c.HighRelationRows),
		Figures: figs, Validation: best.validation, Plan: planEvidence(r, best.n)}
	return Finding{
		Kind: KindPlanSeqScan, NS: r.ns, FP: r.fp,
		Advice: advice.Advice{Priority: priority(high),
			Title: fmt.Sprintf("Sequential scan of %s keeps %.2g%% of %.0f rows", best.rel, 100*sel, best.scanned),
			Description: fmt.Sprintf("%s: its %s plan reads %s sequentially, %.0f rows per execution, and its filter (%s) keeps %.0f of them. An index on %s lets it read only those (%s).",
				e.planSubject(r), r.source, best.rel, best.scanned, str(best.n, "Filter"), best.kept, strings.Join(best.an.IndexColumns, ", "), check),
			Impact:           fmt.Sprintf("Reads %.0f rows per execution to return %.0f", best.scanned, best.kept),
			Effort:           "Low - One index (built without blocking writes)",
			Recommendation:   fmt.Sprintf("Add the index %s on %s (%s), built from the plan's filter", best.an.IndexName, best.an.Table, strings.Join(best.an.IndexColumns, ", ")),
			Implementation:   best.an.Index,
			EstimatedSavings: e.estimatedFromCheck(best.validation, total)},
		Evidence: ev, Score: total,
	}, true, nil
}

// estimatedFromCheck states the saving the HypoPG check supports, and no more.
func (e *Run) estimatedFromCheck(v *indexadvisor.Validation, totalS float64) string {
	if v != nil && v.Status == "VALIDATED" && v.CostBefore != nil && v.CostAfter != nil && *v.CostBefore > 0 {
		cut := (*v.CostBefore - *v.CostAfter) / *v.CostBefore
		return fmt.Sprintf("Planner estimate -%.0f%% per execution; up to %s of %s per %s (estimate)", 100*cut, e.seconds(cut*totalS), e.seconds(totalS), e.window())
	}
	return fmt.Sprintf("Unverified: up to most of %s per %s when the filter is as selective as in the plan", e.seconds(totalS), e.window())
}

func planRowsRemoved(e *Run, r *planRow) (Finding, bool) {
	if r.source != "actual" {
		return Finding{}, false
	}
	c := e.cfg.PlanRowsRemoved
	var best map[string]any
	var bestRemoved, bestKept float64
	walkPlan(r.root, func(n map[string]any) {
		removed, ok := num(n, "Rows Removed by Filter")
		if !ok {
			return
		}
		kept, _ := num(n, "Actual Rows")
		loops := max(1, numOr(n, "Actual Loops", 1))
		removed, kept = removed*loops, kept*loops
		if removed >= float64(c.MinRemoved) && removed >= c.MinRatio*math.Max(kept, 1) && removed > bestRemoved {
			best, bestRemoved, bestKept = n, removed, kept
		}
	})
	if best == nil {
		return Finding{}, false
	}
	if _, like := filterPredicate(str(best, "Filter")); like && r.leadingLike {
		return Finding{}, false // like_scan's: one recommendation per statement
	}
	figs, total := serverTimeFigures(r)
	figs = append([]advice.Figure{fig("rows_removed_per_execution", bestRemoved, "rows"), fig("rows_returned_per_execution", bestKept, "rows")}, figs...)
	remedy := "Make the filter an index condition: compare the column itself with the value (not a function or a cast of it) and index it; or narrow the rows the node reads first"
	if str(best, "Filter") != "" {
		if clause, _ := filterPredicate(str(best, "Filter")); clause != "" {
			if an := indexadvisor.AnalyzeStatement("SELECT * FROM " + relationRef(best) + " " + str(best, "Alias") + " WHERE " + clause); an.Index == "" && an.NoIndexReason != "" {
				remedy += " (" + an.NoIndexReason + ")"
			}
		}
	}
	ev := Evidence{Statement: r.stmt,
		Rule:    fmt.Sprintf("actual plan node with Rows Removed by Filter >= %d per execution and >= %g × its Actual Rows", c.MinRemoved, c.MinRatio),
		Figures: figs, Plan: planEvidence(r, best)}
	return Finding{
		Kind: KindPlanRowsRemoved, NS: r.ns, FP: r.fp,
		Advice: advice.Advice{Priority: priority(false),
			Title: fmt.Sprintf("%s discards %.0f rows to return %.0f", nodeName(best), bestRemoved, bestKept),
			Description: fmt.Sprintf("%s: in its logged execution %s read %.0f rows and its filter removed %.0f of them.",
				e.planSubject(r), nodeName(best), bestRemoved+bestKept, bestRemoved),
			Impact:           fmt.Sprintf("%.0f rows read and discarded per execution", bestRemoved),
			Effort:           "Medium - Rewrite the condition or add an index",
			Recommendation:   remedy,
			Implementation:   "-- see the plan excerpt; no DDL derived",
			EstimatedSavings: fmt.Sprintf("Unverified: part of %s per %s", e.seconds(total), e.window())},
		Evidence: ev, Score: total,
	}, true
}

func nodeName(n map[string]any) string {
	s := str(n, "Node Type")
	if rel := str(n, "Relation Name"); rel != "" {
		s += " on " + rel
	}
	return s
}

// suggestWorkMem is the work_mem (MB) that holds a spill of spillKB: times the headroom,
// rounded up to a power of two MB.
func suggestWorkMem(spillKB, headroom float64) int64 {
	mb := spillKB * headroom / 1024
	p := int64(1)
	for float64(p) < mb {
		p *= 2
	}
	return p
}

// workMemAdvice: what names the figure (the plan's spill, or the temp files written per call).
func workMemAdvice(e *Run, spillKB float64, what string) (rec, impl string) {
	c := e.cfg.WorkMem
	mb := suggestWorkMem(spillKB, c.Headroom)
	if mb > c.MaxWorkMem {
		return fmt.Sprintf("Holding it (%s %.0f kB) would need work_mem of %d MB, above work_mem.max_work_mem_mb (%d MB): sort or hash fewer rows (an index on the sort key, a LIMIT, aggregating earlier) instead of raising work_mem", what, spillKB, mb, c.MaxWorkMem),
			"-- no setting: reduce the rows sorted"
	}
	return fmt.Sprintf("Raise work_mem to %d MB for this statement only (%s %.0f kB; × %g headroom, rounded up to a power of two): work_mem is per sort or hash node and connection, so a global raise multiplies", mb, what, spillKB, c.Headroom),
		fmt.Sprintf("BEGIN;\nSET LOCAL work_mem = '%dMB';\n-- the statement\nCOMMIT;\n-- or for the application's role: ALTER ROLE <role> SET work_mem = '%dMB';", mb, mb)
}

func planSpill(e *Run, r *planRow) (Finding, bool) {
	if r.source != "actual" {
		return Finding{}, false
	}
	c := e.cfg.WorkMem
	var best map[string]any
	var bestKB float64
	walkPlan(r.root, func(n map[string]any) {
		var kb float64
		switch {
		case str(n, "Sort Space Type") == "Disk" || strings.Contains(str(n, "Sort Method"), "external"):
			// each process of a parallel sort has its own work_mem: the largest one's spill
			kb, _ = num(n, "Sort Space Used")
			if ws, ok := n["Workers"].([]any); ok {
				for _, w := range ws {
					if m, ok := w.(map[string]any); ok && str(m, "Sort Space Type") == "Disk" {
						kb = max(kb, numOr(m, "Sort Space Used", 0))
					}
				}
			}
		case str(n, "Node Type") == "Hash":
			if b, _ := num(n, "Hash Batches"); b > 1 {
				peak, _ := num(n, "Peak Memory Usage")
				kb = peak * b // the batches the hash table was split into
			}
		}
		if kb >= float64(c.MinSpill) && kb > bestKB {
			best, bestKB = n, kb
		}
	})
	if best == nil {
		return Finding{}, false
	}
	figs, total := serverTimeFigures(r)
	mb := suggestWorkMem(bestKB, c.Headroom)
	figs = append([]advice.Figure{fig("spill_kb_per_execution", bestKB, "kB"), fig("suggested_work_mem_mb", float64(mb), "MB")}, figs...)
	rec, impl := workMemAdvice(e, bestKB, "the spill was")
	ev := Evidence{Statement: r.stmt,
		Rule: fmt.Sprintf("actual plan with a sort or hash on disk (Sort Space Type Disk, external sort, Hash Batches > 1) of >= %d kB; work_mem = spill × %g rounded up to a power of two MB (at most %d MB)",
			c.MinSpill, c.Headroom, c.MaxWorkMem),
		Figures: figs, Plan: planEvidence(r, best)}
	return Finding{
		Kind: KindWorkMem, NS: r.ns, FP: r.fp,
		Advice: advice.Advice{Priority: priority(false),
			Title:            fmt.Sprintf("%s spills %.0f kB to disk: work_mem %d MB would hold it", nodeName(best), bestKB, mb),
			Description:      fmt.Sprintf("%s: in its logged execution %s did not fit in work_mem and wrote %.0f kB of temporary files.", e.planSubject(r), nodeName(best), bestKB),
			Impact:           fmt.Sprintf("%.0f kB of temporary files per execution", bestKB),
			Effort:           "Low - A setting for the statement or the role",
			Recommendation:   rec,
			Implementation:   impl,
			EstimatedSavings: fmt.Sprintf("Unverified: the temp file I/O of each execution, part of %s per %s", e.seconds(total), e.window())},
		Evidence: ev, Score: total,
	}, true
}

// tempSpills: statements whose executions wrote temp blocks (pg_stat_statements) at least
// work_mem.min_spill_kb per call, without an actual plan that already showed the spill.
func tempSpills(ctx context.Context, e *Run, d *planData, done map[stmtKey]bool) ([]Finding, error) {
	c := e.cfg.WorkMem
	rs, err := serverStatements(ctx, e)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, s := range rs {
		if done[stmtKey{s.ns, s.fp}] || s.calls == 0 {
			continue
		}
		kb := float64(s.tempW) * 8 / float64(s.calls)
		if kb < float64(c.MinSpill) {
			continue
		}
		mb := suggestWorkMem(kb, c.Headroom)
		rec, impl := workMemAdvice(e, kb, "temp files written per execution, an upper bound of the spill:")
		ev := Evidence{Statement: s.stmt,
			Rule: fmt.Sprintf("pg_stat_statements temp_blks_written per call × 8 kB >= %d kB (what was written, an upper bound of the spill: a multi-pass merge writes its data more than once); work_mem = that × %g rounded up to a power of two MB (at most %d MB)",
				c.MinSpill, c.Headroom, c.MaxWorkMem),
			Figures: []advice.Figure{fig("temp_written_kb_per_call", kb, "kB"), fig("suggested_work_mem_mb", float64(mb), "MB"),
				fig("server_calls", float64(s.calls), "count"), fig("server_total_s", s.totalMs/1000, "s")}}
		if ps := d.byFP[s.fp]; len(ps) > 0 {
			ev.Plan = planEvidence(ps[0], ps[0].root)
			ev.Plan.Excerpt = ev.Plan.Excerpt[:1]
		}
		out = append(out, Finding{
			Kind: KindWorkMem, NS: s.ns, FP: s.fp,
			Advice: advice.Advice{Priority: priority(false),
				Title:            fmt.Sprintf("Statement writes %.0f kB of temp files per execution: work_mem %d MB would hold it", kb, mb),
				Description:      fmt.Sprintf("%s wrote %d temp blocks over %d executions (pg_stat_statements): its sorts or hashes do not fit in work_mem.", e.statement(s.stmt, s.fp), s.tempW, s.calls),
				Impact:           fmt.Sprintf("%.0f kB of temporary files per execution", kb),
				Effort:           "Low - A setting for the statement or the role",
				Recommendation:   rec,
				Implementation:   impl,
				EstimatedSavings: fmt.Sprintf("Unverified: the temp file I/O of each execution, part of %s per %s", e.seconds(s.totalMs/1000), e.window())},
			Evidence: ev, Score: s.totalMs / 1000,
		})
	}
	return out, nil
}

func planRegressions(ctx context.Context, e *Run) ([]Finding, error) {
	c := e.cfg.PlanRegression
	type row struct {
		ns, source             string
		fp, oldHash, newHash   int64
		oldText, newText       string
		oldPlan, newPlan, stmt string
		oldN, newN             *int64
		oldMean, newMean       *float64
		changedAt              time.Time
	}
	rs, err := scanAll(ctx, e, planRegressionsSQL, []any{e.tid, e.from, e.to, c.Lookback}, func(rows pgx.Rows, r *row) error {
		return rows.Scan(&r.ns, &r.fp, &r.source, &r.changedAt, &r.oldHash, &r.newHash, &r.oldText, &r.newText, &r.oldPlan, &r.newPlan,
			&r.oldN, &r.oldMean, &r.newN, &r.newMean, &r.stmt)
	})
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, r := range rs {
		if r.oldN == nil || r.newN == nil || r.oldMean == nil || r.newMean == nil || *r.oldN < c.MinExecutions || *r.newN < c.MinExecutions {
			continue
		}
		o, n := *r.oldMean, *r.newMean
		if n < o*c.MinSlowdown || n-o < float64(c.MinIncrease.Microseconds())/1000 {
			continue
		}
		measured := "auto_explain's logged executions under each plan"
		if r.source == "generic" {
			measured = "pg_stat_statements' mean before and after the change's hour"
		}
		pe := &PlanEvidence{DBNamespace: r.ns, Source: r.source, PlanHash: strconv.FormatInt(r.newHash, 10),
			Excerpt: firstLines(r.newText, 8), PreviousPlanHash: strconv.FormatInt(r.oldHash, 10), PreviousExcerpt: firstLines(r.oldText, 8)}
		if len(pe.Excerpt) > 0 {
			pe.TopNode = strings.TrimSpace(strings.SplitN(pe.Excerpt[0], "  (", 2)[0])
		}
		high := n >= 4*o
		stmt := e.statement(r.stmt, r.fp)
		out = append(out, Finding{
			Kind: KindPlanRegression, NS: r.ns, FP: r.fp,
			Advice: advice.Advice{Priority: priority(high),
				Title: fmt.Sprintf("Plan change made a statement %.1f× slower (%.2fms -> %.2fms)", n/o, o, n),
				Description: fmt.Sprintf("%s got a new %s plan at %s (%s instead of %s): its mean time went from %.2fms over %d executions to %.2fms over %d (%s).",
					stmt, r.source, r.changedAt.UTC().Format("2006-01-02 15:04:05Z"), pe.TopNode, strings.TrimSpace(strings.SplitN(first(pe.PreviousExcerpt), "  (", 2)[0]),
					o, *r.oldN, n, *r.newN, measured),
				Impact:           fmt.Sprintf("+%.2fms per execution", n-o),
				Effort:           "Medium - Find what changed (a dropped index, new statistics, a setting)",
				Recommendation:   "Compare the two plans (evidence): restore what the old plan used (an index that was dropped, statistics: ANALYZE the tables), or make the new plan cheaper",
				Implementation:   "-- see the previous and the new plan in the evidence",
				EstimatedSavings: fmt.Sprintf("%.2fms per execution if the previous plan's time comes back", n-o)},
			Evidence: Evidence{Statement: r.stmt,
				Rule: fmt.Sprintf("new plan hash with mean time >= %g × and >= %s more than the previous plan's, each with >= %d executions measured (%s)",
					c.MinSlowdown, c.MinIncrease, c.MinExecutions, measured),
				Figures: []advice.Figure{fig("previous_mean_ms", o, "ms"), fig("new_mean_ms", n, "ms"), fig("previous_executions", float64(*r.oldN), "count"),
					fig("new_executions", float64(*r.newN), "count"), fig("slowdown", n/o, "ratio")},
				Plan: pe},
			Score: (n - o) * float64(*r.newN) / 1000,
		})
	}
	return out, nil
}

func firstLines(s string, n int) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return lines
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// LikeEvidence is the LIKE filter of a statement's plan, for like_scan's recommendation of
// the statement (nil without a plan in the window or a LIKE in its filters).
func (e *Run) LikeEvidence(ctx context.Context, fp int64) (*PlanEvidence, error) {
	d, err := e.planData(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range d.preferred() {
		if r.fp != fp {
			continue
		}
		var node map[string]any
		walkPlan(r.root, func(n map[string]any) {
			if _, like := filterPredicate(str(n, "Filter")); like && node == nil {
				node = n
			}
		})
		if node != nil {
			return planEvidence(r, node), nil
		}
	}
	return nil, nil
}

func numOr(n map[string]any, key string, def float64) float64 {
	if v, ok := num(n, key); ok {
		return v
	}
	return def
}
