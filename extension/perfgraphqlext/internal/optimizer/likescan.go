package optimizer

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
)

// detectLikeScans: statements whose executions compare a column with a leading-wildcard LIKE
// literal ('%x%'), which no btree index can serve, so every execution reads the whole table;
// at least like_scan.min_executions of them taking at least min_total_duration together (HIGH
// from high_total_duration). The fix is a trigram index on the column (PostgreSQL pg_trgm).
// A pattern passed as a bind parameter is not reported: its value, and so whether an index
// could serve it, is unknown.
func detectLikeScans(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.LikeScan
	type row struct {
		stmtKey
		calls, sumUs, maxUs int64
		text, system        string
		endpoints, services []string
	}
	rs, ex, err := statementRows(ctx, e, likeScanSQL, []any{e.tid, e.from, e.to, c.MinExecutions, c.MinTotalDuration.Microseconds(), e.cfg.MaxPerDetector},
		func(rows pgx.Rows, r *row) error {
			return rows.Scan(&r.fp, &r.calls, &r.sumUs, &r.maxUs, &r.text, &r.system, &r.endpoints, &r.services)
		})
	if err != nil {
		return nil, err
	}
	window := e.window()
	var out []Recommendation
	for _, r := range rs {
		an := indexadvisor.AnalyzeStatement(r.text)
		avgMs := float64(r.sumUs) / float64(r.calls) / 1000
		totalS := float64(r.sumUs) / 1e6
		prio := Medium
		if r.sumUs >= c.HighTotalDuration.Microseconds() {
			prio = High
		}
		subject := orDefault(an.Table, fpHex(r.fp))
		var rec, impl string
		col := ""
		if len(an.LikeTableColumns) == 1 {
			col = an.LikeTableColumns[0]
		}
		ns := ex[r.fp].dbNamespace()
		// with a target, the catalog says whether the column already has a trigram index:
		// then a scan is not what the advice would fix, and nothing is reported
		check := "unverified: no target of this tenant for this database, so an existing trigram index was not looked for; HypoPG cannot simulate a GIN index either"
		if col != "" && (r.system == "postgresql" || r.system == "") {
			have, checked, err := e.hypo.TrigramIndexes(ctx, e.tenant, ns, an.Table, col)
			switch {
			case err != nil:
				check = "unverified: the target's indexes could not be read: " + err.Error()
			case len(have) > 0:
				continue
			case checked:
				check = "checked on the target: " + an.Table + " has no trigram index on " + col + "; HypoPG cannot simulate a GIN index, so the gain is not estimated"
			}
		}
		switch {
		case r.system != "postgresql" && r.system != "":
			rec = "A pattern starting with a wildcard cannot use a B-tree index: use the database's full-text search (e.g. a FULLTEXT index and MATCH ... AGAINST) or an external search index"
			impl = "-- no DDL: trigram indexes are PostgreSQL's (pg_trgm)"
		case col == "":
			rec = "A pattern starting with a wildcard cannot use a B-tree index: add a trigram index (pg_trgm, gin_trgm_ops) on the column the pattern is compared with"
			impl = "-- the LIKE column could not be tied to the statement's main table; CREATE INDEX ... USING gin (<column> gin_trgm_ops)"
		default:
			name := sanitizeIndexName("idx_" + strings.Trim(indexadvisor.LastPart(an.Table), `"`) + "_" + strings.Trim(col, `"`) + "_trgm")
			rec = fmt.Sprintf("Add a trigram index on %s (%s): a pattern starting with a wildcard cannot use a B-tree index, a GIN trigram index serves LIKE and ILIKE '%%…%%'", an.Table, col)
			impl = "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON " + an.Table + " USING gin (" + col + " gin_trgm_ops);"
		}
		ev := Evidence{Fingerprints: []string{fpHex(r.fp)}, Statement: r.text, Services: r.services, Subject: "fingerprint " + fpHex(r.fp),
			Rule:    fmt.Sprintf("leading-wildcard LIKE literal (db.query.like_pattern = leading_wildcard) in >= %d executions taking >= %s together (HIGH >= %s)", c.MinExecutions, c.MinTotalDuration, c.HighTotalDuration),
			Figures: []Figure{fig("executions", float64(r.calls), "count"), fig("avg_ms", avgMs, "ms"), fig("max_ms", float64(r.maxUs)/1000, "ms"), fig("total_s", totalS, "s")},
			// HypoPG simulates btree, brin, hash and bloom indexes, not GIN
			Validation: &Validation{Status: "NOT_VALIDATED", DBNamespace: ns, Message: check}}
		ev.ExampleTraceIDs = ex[r.fp].traceIDs()
		if ev.Plan, err = e.plans.LikeEvidence(ctx, r.fp); err != nil {
			return nil, err
		}
		out = append(out, Recommendation{
			ID: StableID(KindLikeScan, fpHex(r.fp)), Category: CategoryQuery, Kind: KindLikeScan, Advice: Advice{Priority: prio,
				Title: fmt.Sprintf("Leading-wildcard LIKE scans %s: %d executions, %s in total", subject, r.calls, human(totalS)),
				Description: fmt.Sprintf("%s ran %d times in %s with a pattern starting with a wildcard ('%%…'), %.1fms on average: no B-tree index can serve such a pattern, only a trigram index (%s).",
					orDefault(firstWords(r.text, 80), "Statement "+fpHex(r.fp)), r.calls, window, avgMs, check),
				Impact:            fmt.Sprintf("Causes %s of database time in %s", human(totalS), window),
				Effort:            "Low - One index (built without blocking writes)",
				Recommendation:    rec,
				Implementation:    impl,
				EstimatedSavings:  fmt.Sprintf("Most of %s in %s when the pattern is selective (unverified)", human(totalS), window),
				AffectedEndpoints: r.endpoints}, Evidence: ev, Score: totalS,
		})
	}
	return out, nil
}

func sanitizeIndexName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() > 63 {
		return b.String()[:63]
	}
	return b.String()
}
