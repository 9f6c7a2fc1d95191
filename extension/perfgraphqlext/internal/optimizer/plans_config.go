package optimizer

import "time"

// The thresholds of the detectors that read the statements' plans (perf_query_plans) and the
// server's pg_stat_statements figures (perf_query_server_hourly). Defaults: defaultPlanConfigs.

// PlanSeqScanConfig: a sequential scan in a statement's latest plan that reads at least
// MinRelationRows rows per execution (actual plans: rows returned + removed by the filter;
// generic plans: the relation's reltuples on the target) and keeps at most MaxSelectivity of
// them under its filter. The index is built from the filter's columns and checked with HypoPG.
type PlanSeqScanConfig struct {
	MinRelationRows int64   `mapstructure:"min_relation_rows"` // 10000
	MaxSelectivity  float64 `mapstructure:"max_selectivity"`   // 0.05
	// HighRelationRows: from this many rows read per execution -> HIGH (1000000).
	HighRelationRows int64 `mapstructure:"high_relation_rows"`
}

// PlanRowsRemovedConfig: a node of an actual plan whose filter removes at least MinRemoved
// rows per execution and at least MinRatio times the rows it returns.
type PlanRowsRemovedConfig struct {
	MinRemoved int64   `mapstructure:"min_removed"` // 10000
	MinRatio   float64 `mapstructure:"min_ratio"`   // 100
}

// WorkMemConfig: a sort or hash that spilled to disk in an actual plan (Sort Space Type Disk,
// external sort, hash batches) or a statement whose executions wrote temp blocks
// (pg_stat_statements), at least MinSpill per execution. The work_mem advised is the spill
// times Headroom (an in-memory sort needs more than its on-disk runs), rounded up to a power
// of two MB; above MaxWorkMem the advice is to sort less instead.
type WorkMemConfig struct {
	MinSpill   int64   `mapstructure:"min_spill_kb"`    // 1024 kB per execution
	Headroom   float64 `mapstructure:"headroom"`        // 2
	MaxWorkMem int64   `mapstructure:"max_work_mem_mb"` // 256 MB
}

// CacheHitConfig: a statement whose executions in the window read at least MinBlocksRead
// shared blocks from outside shared_buffers, and found at most MaxHitRatio of the blocks they
// touched in it (pg_stat_statements shared_blks_hit / (hit + read)).
type CacheHitConfig struct {
	MinBlocksRead int64   `mapstructure:"min_blocks_read"` // 10000 (78 MB of 8 kB blocks)
	MaxHitRatio   float64 `mapstructure:"max_hit_ratio"`   // 0.9
}

// PlanRegressionConfig: a statement whose plan changed in the window and whose mean time under
// the new plan is at least MinSlowdown times, and MinIncrease more than, under the previous
// one, each plan with at least MinExecutions executions measured.
type PlanRegressionConfig struct {
	MinSlowdown   float64       `mapstructure:"min_slowdown"`   // 1.5
	MinIncrease   time.Duration `mapstructure:"min_increase"`   // 1ms
	MinExecutions int64         `mapstructure:"min_executions"` // 3
	// Lookback: how far before the change pg_stat_statements' hours count as the previous
	// plan's (generic plans only, which have no execution times of their own): 24h.
	Lookback time.Duration `mapstructure:"lookback"`
}

func defaultPlanConfigs(c *Config) {
	c.PlanSeqScan = PlanSeqScanConfig{MinRelationRows: 10000, MaxSelectivity: 0.05, HighRelationRows: 1000000}
	c.PlanRowsRemoved = PlanRowsRemovedConfig{MinRemoved: 10000, MinRatio: 100}
	c.WorkMem = WorkMemConfig{MinSpill: 1024, Headroom: 2, MaxWorkMem: 256}
	c.CacheHit = CacheHitConfig{MinBlocksRead: 10000, MaxHitRatio: 0.9}
	c.PlanRegression = PlanRegressionConfig{MinSlowdown: 1.5, MinIncrease: time.Millisecond, MinExecutions: 3, Lookback: 24 * time.Hour}
}

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
