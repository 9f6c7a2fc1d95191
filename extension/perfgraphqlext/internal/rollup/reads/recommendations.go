package reads

// The optimization engine's recommendations (perf_recommendations) and the alerts
// (perf_alerts, written by internal/alerting).

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/advice"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/rollup"
)

// Recommendation is one stored recommendation; Runs is how many runs of the engine reported it.
type Recommendation struct {
	ID, Category                string
	advice.Advice               // the text, as the engine stored it
	Evidence                    string
	FirstDetected, LastDetected time.Time
	Kind, Status                string
	ResolvedAt                  *time.Time
	Runs                        int32
}

// Recommendations reads the recommendations reported during w, of category (nil: any) and
// priority rank minRank or more, at most limit.
func Recommendations(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, category *string, minRank, limit int) ([]Recommendation, error) {
	rows, err := tx.Query(ctx, recommendationsSQL, tid, w.From, w.To, category, minRank, limit, advice.Priorities)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Recommendation
	for rows.Next() {
		x, err := scanRecommendation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// RecommendationByID reads recommendation id (pgx.ErrNoRows when there is none).
func RecommendationByID(ctx context.Context, tx pgx.Tx, tid int32, id string) (Recommendation, error) {
	return scanRecommendation(tx.QueryRow(ctx, recommendationByIDSQL, tid, id))
}

// scanRecommendation reads one row of recommendations.sql or recommendation_by_id.sql.
func scanRecommendation(row pgx.Row) (Recommendation, error) {
	var x Recommendation
	err := row.Scan(&x.ID, &x.Category, &x.Priority, &x.Title, &x.Description, &x.Impact, &x.Effort, &x.Recommendation,
		&x.Implementation, &x.EstimatedSavings, &x.AffectedEndpoints, &x.Evidence, &x.FirstDetected, &x.LastDetected,
		&x.Kind, &x.Status, &x.ResolvedAt, &x.Runs)
	return x, err
}

// Bottleneck is one of the top active recommendations.
type Bottleneck struct {
	ID, Category, Kind, Priority, Title, Description, Impact, Recommendation string
	AffectedEndpoints                                                        []string
	Evidence                                                                 string
}

// TopBottlenecks reads the 5 active recommendations of w that rank highest; with a service,
// only those whose evidence names it (optimizer.Evidence.Services).
func TopBottlenecks(ctx context.Context, tx pgx.Tx, tid int32, w rollup.Window, service *string) ([]Bottleneck, error) {
	rows, err := tx.Query(ctx, topBottlenecksSQL, tid, w.From, w.To, service, advice.Priorities)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Bottleneck
	for rows.Next() {
		var x Bottleneck
		if err := rows.Scan(&x.ID, &x.Category, &x.Kind, &x.Priority, &x.Title, &x.Description, &x.Impact, &x.Recommendation,
			&x.AffectedEndpoints, &x.Evidence); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Alert is one stored alert (its state as stored, lower case).
type Alert struct {
	Rule, State                string
	Labels, Annotations        map[string]string
	ActiveSince, LastEvaluated time.Time
	FiredAt, ResolvedAt        *time.Time
	Value                      *float64
}

// Alerts reads the alerts of [from, to] in state (nil: any), at most limit.
func Alerts(ctx context.Context, tx pgx.Tx, tid int32, from, to time.Time, state *string, limit int) ([]Alert, error) {
	rows, err := tx.Query(ctx, alertsSQL, tid, from, to, state, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		if err := rows.Scan(&a.Rule, &a.State, &a.Labels, &a.Annotations, &a.ActiveSince, &a.FiredAt, &a.ResolvedAt, &a.LastEvaluated, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
