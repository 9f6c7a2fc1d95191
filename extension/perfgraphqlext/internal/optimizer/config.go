package optimizer

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/indexadvisor"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/optimizer/plandetect"
	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/targets"
)

// Config of the optimization engine (perfgraphql extension, block `optimizer:`). Every
// threshold a detector uses is here; doc.go describes the rules.
type Config struct {
	// Enabled: false stops the engine (the GraphQL API keeps serving what is stored).
	Enabled bool `mapstructure:"enabled"`
	// Interval: the longest a tenant with ACTIVE recommendations goes without a run, so that
	// they resolve when no longer detected (default 5m). Runs happen on scheduler ticks, under
	// its lock.
	Interval time.Duration `mapstructure:"interval"`
	// MinInterval: the shortest gap between two runs of a tenant whose rollups took new data
	// since its last run (default 30s). A tenant is run on the first tick after new data once
	// this much has passed, so advice follows data within about a tick plus this; a busy tenant
	// is not judged more often. The gap used is the smaller of this and Interval.
	MinInterval time.Duration `mapstructure:"min_interval"`
	// Window analysed by a run, ending now (default 24h; the error-rate detector compares it
	// with the equal period before).
	Window time.Duration `mapstructure:"window"`
	// MaxPerDetector caps the recommendations of one detector per run, worst first (default 20).
	MaxPerDetector int `mapstructure:"max_per_detector"`

	SlowQuery SlowQueryConfig `mapstructure:"slow_query"`
	NPlusOne  NPlusOneConfig  `mapstructure:"n_plus_one"`
	Cache     CacheConfig     `mapstructure:"cache"`
	Pool      PoolConfig      `mapstructure:"pool"`
	CPU       CPUConfig       `mapstructure:"cpu"`
	Memory    MemoryConfig    `mapstructure:"memory"`
	EventLoop EventLoopConfig `mapstructure:"event_loop"`
	ErrorRate ErrorRateConfig `mapstructure:"error_rate"`
	Dominant  DominantConfig  `mapstructure:"dominant_statement"`
	LikeScan  LikeScanConfig  `mapstructure:"like_scan"`

	// HypoPG: the index advisor's check of index suggestions on the application's database.
	HypoPG indexadvisor.Config `mapstructure:"hypopg"`

	// Detectors on the statements' plans and server statistics (plandetect/config.go).
	PlanSeqScan     PlanSeqScanConfig     `mapstructure:"plan_seq_scan"`
	PlanRowsRemoved PlanRowsRemovedConfig `mapstructure:"plan_rows_removed"`
	WorkMem         WorkMemConfig         `mapstructure:"work_mem"`
	CacheHit        CacheHitConfig        `mapstructure:"cache_hit"`
	PlanRegression  PlanRegressionConfig  `mapstructure:"plan_regression"`

	// Targets are the monitored databases (the extension's top-level targets: key): index
	// advice for a tenant's statement of a db.namespace is checked on that tenant's target of
	// that namespace only.
	Targets []targets.Target `mapstructure:"-"`
}

// SlowQueryConfig: a fingerprint whose average execution exceeds MediumAvg and that ran more
// than MinCount times in the window; priority by average; ranked by total time.
type SlowQueryConfig struct {
	MediumAvg   time.Duration `mapstructure:"medium_avg"`   // 1s
	HighAvg     time.Duration `mapstructure:"high_avg"`     // 2s
	CriticalAvg time.Duration `mapstructure:"critical_avg"` // 5s
	MinCount    int           `mapstructure:"min_count"`    // executions must be > min_count (10)
	// LargeScanRows: a statement without WHERE that returns at least this many rows on
	// average is flagged as a large scan (1000).
	LargeScanRows int `mapstructure:"large_scan_rows"`
}

// NPlusOneConfig: the same fingerprint executed at least MinRepetitions times under one
// parent span of one trace, taking at least MinTotalDuration together.
type NPlusOneConfig struct {
	MinRepetitions           int           `mapstructure:"min_repetitions"`             // 5
	MinTotalDuration         time.Duration `mapstructure:"min_total_duration"`          // 50ms
	HighRepetitions          int           `mapstructure:"high_repetitions"`            // 20 (avg per request) -> HIGH
	HighWastedPerRequest     time.Duration `mapstructure:"high_wasted_per_request"`     // 200ms -> HIGH
	CriticalWastedPerRequest time.Duration `mapstructure:"critical_wasted_per_request"` // 1s -> CRITICAL
}

// CacheConfig: high-traffic, slow, successful GET endpoints.
type CacheConfig struct {
	MinRequests     int           `mapstructure:"min_requests"`      // > 100 requests in the window
	MinAvgDuration  time.Duration `mapstructure:"min_avg_duration"`  // > 500ms average
	HighAvgDuration time.Duration `mapstructure:"high_avg_duration"` // > 1s -> HIGH
	MaxErrorRate    float64       `mapstructure:"max_error_rate"`    // errors + 4xx + 5xx share <= 0.01
	HitRatio        float64       `mapstructure:"hit_ratio"`         // assumed for the savings estimate (0.9)
	Methods         []string      `mapstructure:"methods"`           // [GET]
}

// PoolConfig: connection pool sizing from db_pool_metrics (one sample per minute).
type PoolConfig struct {
	HighUtilization float64 `mapstructure:"high_utilization"` // p95 of used/max >= 90% -> increase
	LowUtilization  float64 `mapstructure:"low_utilization"`  // peak used/max < 30% -> decrease
	GrowthFactor    float64 `mapstructure:"growth_factor"`    // 1.5: ceil(1.5 × max) / ceil(1.5 × peak)
	MinSamples      int     `mapstructure:"min_samples"`      // 30 minutes of samples
	// PendingFraction: minutes with pending requests > 0, as a share of samples, that count as
	// queuing (0.05); MaxWait: average wait time that counts as queuing (50ms).
	PendingFraction float64       `mapstructure:"pending_fraction"`
	MaxWait         time.Duration `mapstructure:"max_wait"`
	MinSize         int           `mapstructure:"min_size"` // smallest size ever recommended (2)
}

// CPUConfig: sustained CPU, i.e. most minutes of the window above Threshold.
type CPUConfig struct {
	Threshold         float64 `mapstructure:"threshold"`          // 80 (%)
	SustainedFraction float64 `mapstructure:"sustained_fraction"` // 0.5 of the minutes
	HighThreshold     float64 `mapstructure:"high_threshold"`     // average >= 90% -> HIGH
	MinSamples        int     `mapstructure:"min_samples"`        // 30
}

// MemoryConfig: growth from a least-squares line over the window (per instance), not one sample.
type MemoryConfig struct {
	MinSamples        int           `mapstructure:"min_samples"`         // 60
	MinDuration       time.Duration `mapstructure:"min_duration"`        // samples spanning >= 1h
	MinR2             float64       `mapstructure:"min_r2"`              // 0.8
	MinGrowthPercent  float64       `mapstructure:"min_growth_percent"`  // 10 (% over the window)
	HighGrowthPercent float64       `mapstructure:"high_growth_percent"` // 50 -> HIGH
	// CriticalHorizon: projected exhaustion of memory_total within this horizon -> CRITICAL (24h).
	CriticalHorizon time.Duration `mapstructure:"critical_horizon"`
}

// EventLoopConfig: p95 of the per-minute event-loop lag.
type EventLoopConfig struct {
	Threshold     time.Duration `mapstructure:"threshold"`      // 100ms
	HighThreshold time.Duration `mapstructure:"high_threshold"` // 500ms -> HIGH
	MinSamples    int           `mapstructure:"min_samples"`    // 30
}

// ErrorRateConfig: endpoints whose error rate rose against the previous equal period.
type ErrorRateConfig struct {
	MinRequests      int     `mapstructure:"min_requests"`      // 50 in each period
	MinIncrease      float64 `mapstructure:"min_increase"`      // +0.05 (5 points)
	MinRatio         float64 `mapstructure:"min_ratio"`         // current >= 2 × previous
	HighIncrease     float64 `mapstructure:"high_increase"`     // +0.20 -> HIGH
	CriticalIncrease float64 `mapstructure:"critical_increase"` // +0.50 -> CRITICAL
	// State: endpoints whose 5xx share stays high, whether or not it rose. An endpoint that
	// fires both rules gets one recommendation (see detectErrorRate).
	State ErrorStateConfig `mapstructure:"state"`
}

// ErrorStateConfig: an endpoint with at least MinRequests requests in the window of which at
// least MinShare answered 5xx; HIGH from HighShare, CRITICAL from CriticalShare.
type ErrorStateConfig struct {
	MinRequests   int     `mapstructure:"min_requests"`   // 50
	MinShare      float64 `mapstructure:"min_share"`      // 0.05
	HighShare     float64 `mapstructure:"high_share"`     // 0.20 -> HIGH
	CriticalShare float64 `mapstructure:"critical_share"` // 0.50 -> CRITICAL
}

// LikeScanConfig: statements whose executions compare with a leading-wildcard LIKE literal
// ('%x%', as queryhash classed it before redaction), at least MinExecutions of them taking at
// least MinTotalDuration together in the window; HIGH from HighTotalDuration.
//
// The time floor is low on purpose: such a pattern reads the whole table on every execution,
// so its cost grows with the table, not with anything the application controls, and the fix
// (a trigram index) is cheap and certain. A search run on every request of an endpoint
// deserves the advice at modest volume (120 × 8 ms over a 50k-row table), not only once it
// has cost seconds; MinExecutions keeps one-off queries out.
type LikeScanConfig struct {
	MinExecutions     int           `mapstructure:"min_executions"`      // 50
	MinTotalDuration  time.Duration `mapstructure:"min_total_duration"`  // 500ms
	HighTotalDuration time.Duration `mapstructure:"high_total_duration"` // 1m -> HIGH
}

// DominantConfig: a statement that takes MinShare of all database time (with MinCalls calls
// and MinRequestTimeShare of the time of the requests it runs under), or runs CallsPerRequest
// times per request under an endpoint with MinRequests requests, whatever its average.
//
// MinTotalDuration is a floor on the statement's own database time in the window, for both
// rules: a share is of whatever the database did, so in a quiet or healthy service three
// cheap key lookups are each a third of a tiny total and would read as "dominant"; below the
// floor the statement is not a load anyone would reduce, whatever its share.
type DominantConfig struct {
	MinTotalDuration    time.Duration `mapstructure:"min_total_duration"`     // 10s of the statement's time in the window
	MinShare            float64       `mapstructure:"min_share"`              // 0.2 of all database time
	MinCalls            int           `mapstructure:"min_calls"`              // 50 calls in the window
	MinRequestTimeShare float64       `mapstructure:"min_request_time_share"` // 0.2 of its requests' time
	CallsPerRequest     float64       `mapstructure:"calls_per_request"`      // 10 per request on average
	MinRequests         int           `mapstructure:"min_requests"`           // 20 requests of that endpoint
	HighShare           float64       `mapstructure:"high_share"`             // 0.4 -> HIGH
	CriticalShare       float64       `mapstructure:"critical_share"`         // 0.7 -> CRITICAL
}

// DefaultConfig returns the defaults: the thresholds of the original engine.
func DefaultConfig() Config {
	c := Config{
		Enabled:        true,
		Interval:       5 * time.Minute,
		MinInterval:    30 * time.Second,
		Window:         24 * time.Hour,
		MaxPerDetector: 20,
		SlowQuery: SlowQueryConfig{MediumAvg: time.Second, HighAvg: 2 * time.Second, CriticalAvg: 5 * time.Second,
			MinCount: 10, LargeScanRows: 1000},
		NPlusOne: NPlusOneConfig{MinRepetitions: 5, MinTotalDuration: 50 * time.Millisecond, HighRepetitions: 20,
			HighWastedPerRequest: 200 * time.Millisecond, CriticalWastedPerRequest: time.Second},
		Cache: CacheConfig{MinRequests: 100, MinAvgDuration: 500 * time.Millisecond, HighAvgDuration: time.Second,
			MaxErrorRate: 0.01, HitRatio: 0.9, Methods: []string{"GET"}},
		Pool: PoolConfig{HighUtilization: 90, LowUtilization: 30, GrowthFactor: 1.5, MinSamples: 30,
			PendingFraction: 0.05, MaxWait: 50 * time.Millisecond, MinSize: 2},
		CPU:       CPUConfig{Threshold: 80, SustainedFraction: 0.5, HighThreshold: 90, MinSamples: 30},
		Memory:    MemoryConfig{MinSamples: 60, MinDuration: time.Hour, MinR2: 0.8, MinGrowthPercent: 10, HighGrowthPercent: 50, CriticalHorizon: 24 * time.Hour},
		EventLoop: EventLoopConfig{Threshold: 100 * time.Millisecond, HighThreshold: 500 * time.Millisecond, MinSamples: 30},
		Dominant: DominantConfig{MinTotalDuration: 10 * time.Second, MinShare: 0.2, MinCalls: 50, MinRequestTimeShare: 0.2, CallsPerRequest: 10, MinRequests: 20,
			HighShare: 0.4, CriticalShare: 0.7},
		ErrorRate: ErrorRateConfig{MinRequests: 50, MinIncrease: 0.05, MinRatio: 2, HighIncrease: 0.2, CriticalIncrease: 0.5,
			State: ErrorStateConfig{MinRequests: 50, MinShare: 0.05, HighShare: 0.2, CriticalShare: 0.5}},
		LikeScan: LikeScanConfig{MinExecutions: 50, MinTotalDuration: 500 * time.Millisecond, HighTotalDuration: time.Minute},
		HypoPG:   indexadvisor.Config{Timeout: 5 * time.Second, MinCostReduction: 0.3},
	}
	p := plandetect.DefaultConfig()
	c.PlanSeqScan, c.PlanRowsRemoved, c.WorkMem, c.CacheHit, c.PlanRegression = p.PlanSeqScan, p.PlanRowsRemoved, p.WorkMem, p.CacheHit, p.PlanRegression
	return c
}

// The plan detectors' thresholds, each under its own key of Config (plandetect).
type (
	PlanSeqScanConfig     = plandetect.PlanSeqScanConfig
	PlanRowsRemovedConfig = plandetect.PlanRowsRemovedConfig
	WorkMemConfig         = plandetect.WorkMemConfig
	CacheHitConfig        = plandetect.CacheHitConfig
	PlanRegressionConfig  = plandetect.PlanRegressionConfig
)

// planConfig is what the plan detectors read of c.
func (c *Config) planConfig() plandetect.Config {
	return plandetect.Config{PlanSeqScan: c.PlanSeqScan, PlanRowsRemoved: c.PlanRowsRemoved, WorkMem: c.WorkMem, CacheHit: c.CacheHit,
		PlanRegression: c.PlanRegression}
}

// NewDataGap is the shortest gap between two runs of a tenant with new data: MinInterval,
// but never longer than Interval (a tenant with new data is not run later than one without).
func (c *Config) NewDataGap() time.Duration { return min(c.MinInterval, c.Interval) }

// Validate checks the configuration; error messages name the key under optimizer.
func (c *Config) Validate() error {
	var ck checks
	bad := ck.bad
	if c.Interval < time.Second {
		bad("interval", "must be at least 1s, got %s", c.Interval)
	}
	notNegative(&ck, "min_interval", c.MinInterval)
	if c.Window < time.Hour || c.Window%time.Hour != 0 {
		bad("window", "must be a whole number of hours (at least 1h), got %s", c.Window)
	}
	positive(&ck, "max_per_detector", c.MaxPerDetector)

	s := c.SlowQuery
	positive(&ck, "slow_query.medium_avg", s.MediumAvg)
	if !(s.MediumAvg <= s.HighAvg && s.HighAvg <= s.CriticalAvg) {
		bad("slow_query", "thresholds must satisfy medium_avg <= high_avg <= critical_avg, got %s, %s, %s", s.MediumAvg, s.HighAvg, s.CriticalAvg)
	}
	notNegative(&ck, "slow_query.min_count", s.MinCount)
	positive(&ck, "slow_query.large_scan_rows", s.LargeScanRows)

	n := c.NPlusOne
	atLeast(&ck, "n_plus_one.min_repetitions", n.MinRepetitions, 2)
	notNegative(&ck, "n_plus_one.min_total_duration", n.MinTotalDuration)
	if n.HighRepetitions < n.MinRepetitions {
		bad("n_plus_one.high_repetitions", "must be >= min_repetitions (%d), got %d", n.MinRepetitions, n.HighRepetitions)
	}
	positive(&ck, "n_plus_one.high_wasted_per_request", n.HighWastedPerRequest)
	if n.CriticalWastedPerRequest < n.HighWastedPerRequest {
		bad("n_plus_one.critical_wasted_per_request", "must be >= high_wasted_per_request, got %s", n.CriticalWastedPerRequest)
	}

	ca := c.Cache
	positive(&ck, "cache.min_requests", ca.MinRequests)
	positive(&ck, "cache.min_avg_duration", ca.MinAvgDuration)
	if ca.HighAvgDuration < ca.MinAvgDuration {
		bad("cache.high_avg_duration", "must be >= min_avg_duration, got %s", ca.HighAvgDuration)
	}
	if ca.MaxErrorRate < 0 || ca.MaxErrorRate > 1 {
		bad("cache.max_error_rate", "must be in [0, 1], got %g", ca.MaxErrorRate)
	}
	fraction(&ck, "cache.hit_ratio", ca.HitRatio)
	if len(ca.Methods) == 0 {
		bad("cache.methods", "must list at least one HTTP method")
	}

	p := c.Pool
	percent(&ck, "pool.high_utilization", p.HighUtilization)
	percent(&ck, "pool.low_utilization", p.LowUtilization)
	if p.LowUtilization >= p.HighUtilization {
		bad("pool", "low_utilization (%g) must be below high_utilization (%g)", p.LowUtilization, p.HighUtilization)
	}
	greaterThan1(&ck, "pool.growth_factor", p.GrowthFactor)
	positive(&ck, "pool.min_samples", p.MinSamples)
	fraction(&ck, "pool.pending_fraction", p.PendingFraction)
	positive(&ck, "pool.max_wait", p.MaxWait)
	positive(&ck, "pool.min_size", p.MinSize)

	percent(&ck, "cpu.threshold", c.CPU.Threshold)
	percent(&ck, "cpu.high_threshold", c.CPU.HighThreshold)
	fraction(&ck, "cpu.sustained_fraction", c.CPU.SustainedFraction)
	positive(&ck, "cpu.min_samples", c.CPU.MinSamples)

	m := c.Memory
	atLeast(&ck, "memory.min_samples", m.MinSamples, 3)
	positive(&ck, "memory.min_duration", m.MinDuration)
	fraction(&ck, "memory.min_r2", m.MinR2)
	positive(&ck, "memory.min_growth_percent", m.MinGrowthPercent)
	if m.HighGrowthPercent < m.MinGrowthPercent {
		bad("memory.high_growth_percent", "must be >= min_growth_percent, got %g", m.HighGrowthPercent)
	}
	positive(&ck, "memory.critical_horizon", m.CriticalHorizon)

	positive(&ck, "event_loop.threshold", c.EventLoop.Threshold)
	if c.EventLoop.HighThreshold < c.EventLoop.Threshold {
		bad("event_loop.high_threshold", "must be >= threshold, got %s", c.EventLoop.HighThreshold)
	}
	positive(&ck, "event_loop.min_samples", c.EventLoop.MinSamples)

	e := c.ErrorRate
	positive(&ck, "error_rate.min_requests", e.MinRequests)
	fraction(&ck, "error_rate.min_increase", e.MinIncrease)
	atLeast(&ck, "error_rate.min_ratio", e.MinRatio, 1)
	if !(e.MinIncrease <= e.HighIncrease && e.HighIncrease <= e.CriticalIncrease) {
		bad("error_rate", "must satisfy min_increase <= high_increase <= critical_increase")
	}
	st := e.State
	positive(&ck, "error_rate.state.min_requests", st.MinRequests)
	fraction(&ck, "error_rate.state.min_share", st.MinShare)
	if !(st.MinShare <= st.HighShare && st.HighShare <= st.CriticalShare && st.CriticalShare <= 1) {
		bad("error_rate.state", "must satisfy min_share <= high_share <= critical_share <= 1, got %g, %g, %g", st.MinShare, st.HighShare, st.CriticalShare)
	}

	l := c.LikeScan
	positive(&ck, "like_scan.min_executions", l.MinExecutions)
	positive(&ck, "like_scan.min_total_duration", l.MinTotalDuration)
	if l.HighTotalDuration < l.MinTotalDuration {
		bad("like_scan.high_total_duration", "must be >= min_total_duration, got %s", l.HighTotalDuration)
	}
	if r := c.HypoPG.MinCostReduction; r < 0 || r >= 1 {
		bad("hypopg.min_cost_reduction", "must be in [0, 1), got %g", r)
	}

	d := c.Dominant
	positive(&ck, "dominant_statement.min_total_duration", d.MinTotalDuration)
	fraction(&ck, "dominant_statement.min_share", d.MinShare)
	positive(&ck, "dominant_statement.min_calls", d.MinCalls)
	notNegative(&ck, "dominant_statement.min_request_time_share", d.MinRequestTimeShare)
	atLeast(&ck, "dominant_statement.calls_per_request", d.CallsPerRequest, 2)
	positive(&ck, "dominant_statement.min_requests", d.MinRequests)
	if !(d.MinShare <= d.HighShare && d.HighShare <= d.CriticalShare && d.CriticalShare <= 1) {
		bad("dominant_statement", "must satisfy min_share <= high_share <= critical_share <= 1, got %g, %g, %g", d.MinShare, d.HighShare, d.CriticalShare)
	}

	positive(&ck, "hypopg.timeout", c.HypoPG.Timeout)
	c.validatePlans(&ck)
	return errors.Join(ck...)
}

// validatePlans checks the plan detectors' thresholds, with the checks every other key uses.
func (c *Config) validatePlans(ck *checks) {
	s := c.PlanSeqScan
	positive(ck, "plan_seq_scan.min_relation_rows", s.MinRelationRows)
	openFraction(ck, "plan_seq_scan.max_selectivity", s.MaxSelectivity)
	if s.HighRelationRows < s.MinRelationRows {
		ck.bad("plan_seq_scan.high_relation_rows", "must be >= min_relation_rows (%d), got %d", s.MinRelationRows, s.HighRelationRows)
	}
	r := c.PlanRowsRemoved
	positive(ck, "plan_rows_removed.min_removed", r.MinRemoved)
	atLeast(ck, "plan_rows_removed.min_ratio", r.MinRatio, 1)
	w := c.WorkMem
	positive(ck, "work_mem.min_spill_kb", w.MinSpill)
	atLeast(ck, "work_mem.headroom", w.Headroom, 1)
	atLeast(ck, "work_mem.max_work_mem_mb", w.MaxWorkMem, 1)
	h := c.CacheHit
	positive(ck, "cache_hit.min_blocks_read", h.MinBlocksRead)
	openFraction(ck, "cache_hit.max_hit_ratio", h.MaxHitRatio)
	g := c.PlanRegression
	greaterThan1(ck, "plan_regression.min_slowdown", g.MinSlowdown)
	notNegative(ck, "plan_regression.min_increase", g.MinIncrease)
	atLeast(ck, "plan_regression.min_executions", g.MinExecutions, 1)
	if g.Lookback < time.Hour {
		ck.bad("plan_regression.lookback", "must be at least 1h, got %s", g.Lookback)
	}
}

// checks collects the configuration's errors, each naming its key under optimizer.
type checks []error

func (ck *checks) bad(key, format string, args ...any) {
	*ck = append(*ck, fmt.Errorf("optimizer.%s: %s", key, fmt.Sprintf(format, args...)))
}

type number interface{ ~int | ~int64 | ~float64 }

// positive, atLeast and notNegative check a count, a float or a duration (%v prints each as
// %d, %g and %s would; a duration's least would print as 1h0m0s, so those say "1h" by hand).
func positive[T number](ck *checks, key string, v T) {
	if v <= 0 {
		ck.bad(key, "must be positive, got %v", v)
	}
}

func atLeast[T number](ck *checks, key string, v, least T) {
	if v < least {
		ck.bad(key, "must be at least %v, got %v", least, v)
	}
}

func notNegative[T number](ck *checks, key string, v T) {
	if v < 0 {
		ck.bad(key, "must not be negative, got %v", v)
	}
}

func greaterThan1(ck *checks, key string, v float64) {
	if v <= 1 {
		ck.bad(key, "must be greater than 1, got %g", v)
	}
}

// fraction: in (0, 1].
func fraction(ck *checks, key string, v float64) {
	if v <= 0 || v > 1 {
		ck.bad(key, "must be in (0, 1], got %g", v)
	}
}

// openFraction: in (0, 1).
func openFraction(ck *checks, key string, v float64) {
	if v <= 0 || v >= 1 {
		ck.bad(key, "must be in (0, 1), got %g", v)
	}
}

func percent(ck *checks, key string, v float64) {
	if v <= 0 || v > 100 {
		ck.bad(key, "must be a percentage in (0, 100], got %g", v)
	}
}
