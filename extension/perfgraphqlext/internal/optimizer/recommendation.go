package optimizer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/advice"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/plandetect"
	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// Categories (as in the original engine, plus RESOURCE and ERROR).
const (
	CategoryQuery    = "QUERY"    // slow queries, index suggestions, anti-patterns
	CategoryCode     = "CODE"     // N+1
	CategoryCache    = "CACHE"    // caching opportunities
	CategoryPool     = "POOL"     // connection pool sizing
	CategoryResource = "RESOURCE" // CPU, memory growth, event-loop lag
	CategoryError    = "ERROR"    // error-rate rise
)

// Kinds (the GraphQL BottleneckType of a recommendation). A detector owns its kinds: when it
// ran without error, active recommendations of its kinds that it did not report are resolved.
const (
	KindSlowQuery    = "SLOW_QUERY"
	KindNPlusOne     = "N_PLUS_ONE"
	KindSlowEndpoint = "SLOW_ENDPOINT"
	KindPool         = "CONNECTION_POOL"
	KindCPU          = "HIGH_CPU"
	KindMemory       = "MEMORY_LEAK"
	KindEventLoop    = "EVENT_LOOP_LAG"
	KindErrorRate    = "HIGH_ERROR_RATE"
	// KindLikeScan: leading-wildcard LIKE on a column without a trigram index. GraphQL has no
	// type of its own for it and shows it by its category (QUERY: SLOW_QUERY).
	KindLikeScan = "LEADING_WILDCARD_LIKE"
	// KindDominantQuery: a statement that takes a large share of the database time, or runs
	// many times per request, whatever its average (the GraphQL BottleneckType DOMINANT_QUERY).
	KindDominantQuery = "DOMINANT_QUERY"
	// The kinds of the detectors on plans and server statistics. GraphQL shows them by their
	// category (QUERY: SLOW_QUERY), as it does LEADING_WILDCARD_LIKE.
	KindPlanSeqScan     = plandetect.KindPlanSeqScan
	KindPlanRowsRemoved = plandetect.KindPlanRowsRemoved
	KindWorkMem         = plandetect.KindWorkMem
	KindCacheHit        = plandetect.KindCacheHit
	KindPlanRegression  = plandetect.KindPlanRegression
)

// Priorities (package advice holds their ranking).
const (
	Low      = advice.Low
	Medium   = advice.Medium
	High     = advice.High
	Critical = advice.Critical
)

// Priorities in ascending order (advice.Priorities).
var Priorities = advice.Priorities

// PriorityRank orders priorities: 1 for LOW .. 4 for CRITICAL, 0 when unknown.
func PriorityRank(p string) int { return advice.PriorityRank(p) }

// worseFirst orders recommendations worst first: higher priority, then higher score. The
// order of a run's list, and the one in which a detector's are capped (max_per_detector).
func worseFirst(a, b Recommendation) bool { return worse(a.Priority, a.Score, b.Priority, b.Score) }

// worse: a finding of priority pa and score sa comes before one of pb and sb.
func worse(pa string, sa float64, pb string, sb float64) bool {
	if ra, rb := PriorityRank(pa), PriorityRank(pb); ra != rb {
		return ra > rb
	}
	return sa > sb
}

// Recommendation is one finding of the engine, with the evidence it rests on.
type Recommendation struct {
	ID       string
	Category string
	Kind     string
	Advice
	Evidence Evidence
	// Score ranks recommendations of equal priority (topBottlenecks): seconds of time at stake
	// in the window, or a detector-specific equivalent.
	Score float64
}

// Advice is what a recommendation tells its reader (package advice).
type Advice = advice.Advice

// Evidence is stored as JSON (perf_recommendations.evidence).
type Evidence struct {
	// Fingerprints (16 hex digits) the recommendation is about.
	Fingerprints []string `json:"fingerprints"`
	// ExampleTraceIDs: up to 3 traces (32 hex digits) that show the problem.
	ExampleTraceIDs []string `json:"exampleTraceIds"`
	// Figures: the numbers the rule used.
	Figures []Figure `json:"figures"`
	// Statement: the normalized statement (never raw text).
	Statement string `json:"statement,omitempty"`
	// Services whose telemetry shows the problem (performanceOverview(service:) filters its
	// topBottlenecks on them); empty when no service is known.
	Services []string `json:"services,omitempty"`
	// Subject names what the recommendation is about (fingerprint, endpoint, pool, instance).
	Subject string `json:"subject"`
	// Rule states the rule that fired, with its thresholds.
	Rule       string      `json:"rule"`
	WindowFrom time.Time   `json:"windowFrom"`
	WindowTo   time.Time   `json:"windowTo"`
	Validation *Validation `json:"validation,omitempty"`
	// Plan: the excerpt of the statement's stored (redacted) plan the rule read, when it
	// read one.
	Plan *PlanEvidence `json:"plan,omitempty"`
}

// Figure is one named number of the evidence (package advice).
type Figure = advice.Figure

// Validation is the HypoPG check of an index suggestion (the index advisor's).
type Validation = indexadvisor.Validation

// idPrefix is the readable start of the ids of each kind's recommendations; every kind a
// detector owns has one (TestEveryKindHasAnIDPrefix).
var idPrefix = map[string]string{KindSlowQuery: "slow-query", KindNPlusOne: "n-plus-one", KindSlowEndpoint: "cache",
	KindPool: "pool", KindCPU: "cpu", KindMemory: "memory", KindEventLoop: "event-loop", KindErrorRate: "error-rate", KindLikeScan: "like-scan",
	KindDominantQuery: "dominant-query",
	KindPlanSeqScan:   "plan-seq-scan", KindPlanRowsRemoved: "plan-rows-removed", KindWorkMem: "work-mem", KindCacheHit: "cache-hit",
	KindPlanRegression: "plan-regression"}

// StableID is the id of a recommendation: its kind's prefix and a hash of its kind and
// subject, so the same problem keeps its id across runs and replicas.
func StableID(kind, subject string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + subject))
	prefix := idPrefix[kind]
	if prefix == "" {
		prefix = "rec"
	}
	return prefix + "-" + hex.EncodeToString(h[:8])
}

func fig(name string, v float64, unit string) Figure { return advice.Fig(name, v, unit) }

func fpHex(v int64) string { return sqlnorm.FormatFingerprint(uint64(v)) }

// human formats seconds for titles and texts.
func human(sec float64) string {
	switch {
	case sec >= 3600:
		return fmt.Sprintf("%.1fh", sec/3600)
	case sec >= 60:
		return fmt.Sprintf("%.1fmin", sec/60)
	case sec >= 1:
		return fmt.Sprintf("%.1fs", sec)
	}
	return fmt.Sprintf("%.0fms", sec*1000)
}

// windowText names a judged window's length ("45 min", "24 h", "23 h 20 min", "7 days"): the
// one place every recommendation text gets it from.
func windowText(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return fmt.Sprintf("%d h %d min", d/time.Hour, d%time.Hour/time.Minute)
}

// judgedWindow names the window [from, to) a run judged, which ends at the run: its length
// and its bounds, "the last 23 h 50 min (2026-11-30 13:00 – 2026-12-01 12:49 UTC)", or within
// one day "the last 45 min (2026-12-01 12:00 – 12:45 UTC)". Every detector's text names its
// window with this, so all say the same thing the same way.
func judgedWindow(from, to time.Time) string {
	from, to = from.UTC().Truncate(time.Minute), to.UTC().Truncate(time.Minute)
	end := to.Format("2006-01-02 15:04")
	if from.Format(time.DateOnly) == to.Format(time.DateOnly) {
		end = to.Format("15:04")
	}
	return fmt.Sprintf("the last %s (%s – %s UTC)", windowText(to.Sub(from)), from.Format("2006-01-02 15:04"), end)
}

func endpointName(method, route string) string {
	if method == "" {
		return route
	}
	return method + " " + route
}

// servicesOf is the Services evidence of a detector row with one service name (” when the
// instance or endpoint has none).
func servicesOf(name string) []string {
	if name == "" {
		return nil
	}
	return []string{name}
}
