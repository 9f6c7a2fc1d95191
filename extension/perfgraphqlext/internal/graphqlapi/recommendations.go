package graphqlapi

// recommendations of the optimization engine, and their evidence fields.

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup/reads"
)

type Recommendation struct {
	ID               string
	Category         string
	optimizer.Advice // the text, as the engine stored it
	Evidence         string
	FirstDetected    DateTime
	LastDetected     DateTime
	// optimization engine
	Kind            string
	Status          string
	ResolvedAt      *DateTime
	Fingerprints    []string
	ExampleTraceIds []string
	Figures         []*EvidenceFigure
	Rule            string
	Statement       *string
	Validation      *IndexValidation
	Plan            *PlanExcerpt
}

// PlanExcerpt is optimizer.PlanEvidence as the API shows it.
type PlanExcerpt struct {
	DbNamespace      string
	Source           string
	PlanHash         string
	TopNode          string
	Excerpt          []string
	PreviousPlanHash *string
	PreviousExcerpt  []string
}

func (r *resolver) Recommendations(ctx context.Context, args struct {
	TimeRange   *string
	From        *DateTime
	To          *DateTime
	Category    *string
	MinPriority *string
	Limit       *int32
}) ([]*Recommendation, error) {
	const op = "recommendations"
	tenant, w, limit, err := r.beginList(ctx, op, 1, rangeArgs{args.TimeRange, args.From, args.To}, args.Limit, 100)
	if err != nil {
		return nil, err
	}
	minRank := 1
	if args.MinPriority != nil {
		minRank = optimizer.PriorityRank(*args.MinPriority)
	}
	out := []*Recommendation{}
	err = r.st.Read(ctx, tenant, func(tx pgx.Tx, tid int32) error {
		rows, err := reads.Recommendations(ctx, tx, tid, w, args.Category, minRank, limit)
		for _, x := range rows {
			out = append(out, recommendation(x))
		}
		return err
	})
	return out, publicError(ctx, r.logger, op, err)
}

// recommendation maps a stored recommendation.
func recommendation(row reads.Recommendation) *Recommendation {
	x := &Recommendation{ID: row.ID, Category: row.Category, Advice: row.Advice, Evidence: row.Evidence, Kind: row.Kind, Status: row.Status}
	fillRecommendation(x, row.ResolvedAt, row.Runs)
	if optimizer.PriorityRank(x.Priority) == 0 {
		x.Priority = optimizer.Low
	}
	x.FirstDetected, x.LastDetected = DateTime{row.FirstDetected}, DateTime{row.LastDetected}
	return x
}

type EvidenceFigure struct {
	Name  string
	Value float64
	Unit  string
}

type IndexValidation struct {
	Status      string
	Message     string
	Index       *string
	DbNamespace *string
	CostBefore  *float64
	CostAfter   *float64
	IndexUsed   bool
	PlanBefore  *string
	PlanAfter   *string
}

var bottleneckTypes = map[string]bool{"SLOW_QUERY": true, "N_PLUS_ONE": true, "HIGH_CPU": true, "MEMORY_LEAK": true,
	"EVENT_LOOP_LAG": true, "CONNECTION_POOL": true, "HIGH_ERROR_RATE": true, "SLOW_ENDPOINT": true,
	"DOMINANT_QUERY": true}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// fillRecommendation derives the typed evidence fields and the status from a stored row.
func fillRecommendation(x *Recommendation, resolved *time.Time, runs int32) {
	var ev optimizer.Evidence
	_ = json.Unmarshal([]byte(x.Evidence), &ev) // evidence is free JSON: what does not decode is left empty, the list still answers
	x.Fingerprints, x.ExampleTraceIds, x.Rule = nonNil(ev.Fingerprints), nonNil(ev.ExampleTraceIDs), ev.Rule
	x.Statement = strPtr(ev.Statement)
	x.Figures = make([]*EvidenceFigure, 0, len(ev.Figures))
	for _, f := range ev.Figures {
		x.Figures = append(x.Figures, &EvidenceFigure{Name: f.Name, Value: f.Value, Unit: f.Unit})
	}
	if v := ev.Validation; v != nil {
		x.Validation = &IndexValidation{Status: v.Status, Message: v.Message, Index: strPtr(v.Index), DbNamespace: strPtr(v.DBNamespace),
			CostBefore: v.CostBefore, CostAfter: v.CostAfter, IndexUsed: v.IndexUsed, PlanBefore: strPtr(v.PlanBefore), PlanAfter: strPtr(v.PlanAfter)}
	}
	if p := ev.Plan; p != nil {
		x.Plan = &PlanExcerpt{DbNamespace: p.DBNamespace, Source: p.Source, PlanHash: p.PlanHash, TopNode: p.TopNode,
			Excerpt: nonNil(p.Excerpt), PreviousPlanHash: strPtr(p.PreviousPlanHash), PreviousExcerpt: nonNil(p.PreviousExcerpt)}
	}
	if !bottleneckTypes[x.Kind] {
		x.Kind = map[string]string{"QUERY": "SLOW_QUERY", "CODE": "N_PLUS_ONE", "CACHE": "SLOW_ENDPOINT", "POOL": "CONNECTION_POOL",
			"ERROR": "HIGH_ERROR_RATE"}[x.Category]
		if x.Kind == "" {
			x.Kind = "SLOW_ENDPOINT"
		}
	}
	switch {
	case x.Status == "RESOLVED":
		x.Status = "RESOLVED"
		if resolved != nil {
			x.ResolvedAt = &DateTime{*resolved}
		}
	case runs <= 1:
		x.Status = "NEW"
	default:
		x.Status = "ONGOING"
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// topBottlenecks: the 5 worst ACTIVE recommendations reported during the window; with a
// service, only those whose evidence names that service (optimizer.Evidence.Services).
