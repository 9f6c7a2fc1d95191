package plandetect

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/advice"
)

// serverStmt is a statement's pg_stat_statements figures in the window, per database: what
// the cache-hit detector and Plans' temp spills (tempSpills) judge.
type serverStmt struct {
	ns                            string
	fp                            int64
	calls, rows, hit, read, tempW int64
	totalMs                       float64
	stmt                          string
}

func serverStatements(ctx context.Context, e *Run) ([]serverStmt, error) {
	minTemp := max(1, e.cfg.WorkMem.MinSpill/8)
	return scanAll(ctx, e, serverStatementsSQL, []any{e.tid, e.from, e.to, e.cfg.CacheHit.MinBlocksRead, minTemp},
		func(rows pgx.Rows, s *serverStmt) error {
			return rows.Scan(&s.ns, &s.fp, &s.calls, &s.totalMs, &s.rows, &s.hit, &s.read, &s.tempW, &s.stmt)
		})
}

// CacheHit: statements that read at least cache_hit.min_blocks_read shared blocks
// from outside shared_buffers in the window and found at most max_hit_ratio of their blocks
// in it (pg_stat_statements).
func (e *Run) CacheHit(ctx context.Context) ([]Finding, error) {
	c := e.cfg.CacheHit
	rs, err := serverStatements(ctx, e)
	if err != nil {
		return nil, err
	}
	d, err := e.planData(ctx)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, s := range rs {
		if s.read < c.MinBlocksRead || s.hit+s.read == 0 {
			continue
		}
		ratio := float64(s.hit) / float64(s.hit+s.read)
		if ratio > c.MaxHitRatio {
			continue
		}
		readMB := float64(s.read) * 8 / 1024
		ev := Evidence{Statement: s.stmt,
			Rule: fmt.Sprintf("pg_stat_statements shared_blks_hit / (hit + read) <= %g with >= %d blocks read in the window", c.MaxHitRatio, c.MinBlocksRead),
			Figures: []advice.Figure{fig("cache_hit_ratio", ratio, "ratio"), fig("shared_blocks_read", float64(s.read), "blocks"),
				fig("shared_blocks_hit", float64(s.hit), "blocks"), fig("read_mb_per_call", readMB/float64(s.calls), "MB"),
				fig("server_calls", float64(s.calls), "count"), fig("server_total_s", s.totalMs/1000, "s")}}
		remedy := "Read fewer blocks: the statement's plan shows which node reads them (an index instead of a scan, fewer columns); if its working set must be read, size shared_buffers (and the OS cache) to hold it"
		if ps := d.byFP[s.fp]; len(ps) > 0 {
			// the node that read the most blocks, or the root
			p := ps[0]
			for _, o := range ps {
				if o.source == "actual" {
					p = o
				}
			}
			node, most := p.root, -1.0
			walkPlan(p.root, func(n map[string]any) {
				if v, ok := num(n, "Shared Read Blocks"); ok && str(n, "Relation Name") != "" && v > most {
					node, most = n, v
				}
			})
			if most < 0 {
				walkPlan(p.root, func(n map[string]any) {
					if str(n, "Node Type") == "Seq Scan" && most < 0 {
						node, most = n, 0
					}
				})
			}
			ev.Plan = planEvidence(p, node)
		}
		high := ratio < c.MaxHitRatio/2
		out = append(out, Finding{
			Kind: KindCacheHit, NS: s.ns, FP: s.fp,
			Advice: advice.Advice{Priority: priority(high),
				Title: fmt.Sprintf("Cache hit ratio %.0f%%: %.0f MB read from outside shared_buffers", 100*ratio, readMB),
				Description: fmt.Sprintf("%s found %.1f%% of the blocks it touched in shared_buffers over %d executions and read %d blocks (%.0f MB) from the OS cache or disk (pg_stat_statements).",
					e.statement(s.stmt, s.fp), 100*ratio, s.calls, s.read, readMB),
				Impact:           fmt.Sprintf("%.1f MB read per execution", readMB/float64(s.calls)),
				Effort:           "Medium - Reduce the blocks read or size the cache",
				Recommendation:   remedy,
				Implementation:   "-- see the plan excerpt; no DDL derived",
				EstimatedSavings: fmt.Sprintf("Unverified: the read time of %s of server time per %s", e.seconds(s.totalMs/1000), e.window())},
			Evidence: ev, Score: s.totalMs / 1000,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, nil
}
