package optimizer

import (
	"context"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/plandetect"
)

// PlanEvidence is the part of a statement's stored plan a rule read (plandetect's).
type PlanEvidence = plandetect.PlanEvidence

// planSource is what a run asks of the window's plans: the plan detectors' findings, and
// what slow_query, n_plus_one and like_scan read of a statement's plan (plandetect.Run).
type planSource interface {
	Plans(ctx context.Context) ([]plandetect.Finding, error)
	CacheHit(ctx context.Context) ([]plandetect.Finding, error)
	PlanOf(ctx context.Context, fp int64, normalized string) (string, error)
	LikeEvidence(ctx context.Context, fp int64) (*PlanEvidence, error)
}

func (en *Engine) planRun(e *env) planSource {
	return plandetect.NewRun(&en.plans, plandetect.Input{DB: e.db, TenantID: e.tid, Tenant: e.tenant, From: e.from, To: e.to,
		Hypo: e.hypo, Window: e.window(), Seconds: human, Statement: statementName})
}

// statementName names a statement in a recommendation's text: its first words, or its
// fingerprint when its text is not stored.
func statementName(stmt string, fp int64) string {
	return orDefault(firstWords(stmt, 80), "Statement "+fpHex(fp))
}

func detectPlans(ctx context.Context, e *env) ([]Recommendation, error) {
	return planRecommendations(e.plans.Plans(ctx))
}

func detectCacheHit(ctx context.Context, e *env) ([]Recommendation, error) {
	return planRecommendations(e.plans.CacheHit(ctx))
}

// planRecommendations makes the plan detectors' findings recommendations about their
// statements, in their order.
func planRecommendations(fs []plandetect.Finding, err error) ([]Recommendation, error) {
	if err != nil {
		return nil, err
	}
	out := make([]Recommendation, 0, len(fs))
	for _, f := range fs {
		out = append(out, Recommendation{
			ID: StableID(f.Kind, f.NS+"\x00"+fpHex(f.FP)), Category: CategoryQuery, Kind: f.Kind, Advice: f.Advice,
			Evidence: Evidence{Fingerprints: []string{fpHex(f.FP)}, Statement: f.Evidence.Statement, Subject: "fingerprint " + fpHex(f.FP),
				Rule: f.Evidence.Rule, Figures: f.Evidence.Figures, Validation: f.Evidence.Validation, Plan: f.Evidence.Plan},
			Score: f.Score,
		})
	}
	return out, nil
}

// deferIndexToPlan is where statement-based index advice (slow_query, n_plus_one) gives way
// to the plan's: when the window holds a plan of the statement (by fingerprint, or by its
// normalized text when the caller has no fingerprint), the plan detectors judge its scans
// from what the planner did, so the index derived from the statement's text is withdrawn and
// an says why. One statement gets one index advice, not two that may contradict.
func (e *env) deferIndexToPlan(ctx context.Context, fp int64, normalized string, an *indexadvisor.StatementAnalysis) error {
	if an.Index == "" {
		return nil
	}
	top, err := e.plans.PlanOf(ctx, fp, normalized)
	if err != nil || top == "" {
		return err
	}
	an.Index, an.IndexName, an.IndexColumns = "", "", nil
	an.NoIndexReason = "index advice for this statement comes from its plan (" + top + "), see its plan recommendations"
	return nil
}
