package rollup

import "math"

// The health score and its trend are computed here, and this Go code is their source of
// truth: every GraphQL answer (with or without a service) comes from HealthScore and Trend.
// The SQL functions perf_health and perf_trend compute the same for the rollup refresh
// (performance_metrics_cache.health_score) and get_performance_summary; the formulas are in
// the extension's doc.go, and TestHealthAndTrendGoEqualsSQL (health_test.go) pins the SQL
// functions equal to these over a table of inputs.

// HealthScore is the health score (0..100), its status and the apdex of a window:
// satisfiedOK and toleratingOrBetterOK count the requests without error at most T and 4T.
// Without requests the status is NO_DATA (the score, 100 less the saturation penalties, is
// then no verdict on the service).
func HealthScore(requests, errors, satisfiedOK, toleratingOrBetterOK int64, pool, cpu *float64) (score float64, status string, apdex float64) {
	errRate := 0.0
	apdex = 1
	if requests > 0 {
		errRate = float64(errors) / float64(requests)
		apdex = (float64(max(satisfiedOK, 0)) + float64(max(toleratingOrBetterOK-satisfiedOK, 0))/2) / float64(requests)
	}
	score = 100*apdex - math.Min(30, 200*errRate) - math.Min(20, math.Max(0, orZero(pool)-80)) - math.Min(20, math.Max(0, orZero(cpu)-80))
	score = math.Round(math.Max(0, math.Min(100, score))*100) / 100
	switch {
	case requests <= 0:
		// without a request the score measures nothing: say so rather than HEALTHY
		status = "NO_DATA"
	case score >= 90:
		status = "HEALTHY"
	case score >= 70:
		status = "DEGRADED"
	case score >= 50:
		status = "UNHEALTHY"
	default:
		status = "CRITICAL"
	}
	return score, status, apdex
}

// Trend of the health score against the previous equal period.
func Trend(score, prevScore float64, prevRequests int64) string {
	d := score - prevScore
	switch {
	case prevRequests == 0:
		return "STABLE"
	case d <= -20 || (d <= -5 && score < 50):
		return "CRITICAL"
	case d <= -5:
		return "DEGRADING"
	case d >= 5:
		return "IMPROVING"
	}
	return "STABLE"
}
