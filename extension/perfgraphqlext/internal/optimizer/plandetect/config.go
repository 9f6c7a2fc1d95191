package plandetect

import "time"

// The thresholds of the detectors that read the statements' plans (perf_query_plans) and the
// server's pg_stat_statements figures (perf_query_server_hourly). Defaults: DefaultConfig; the
// engine checks them (optimizer's Config.Validate, with its other keys).

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

// Config holds the thresholds of the detectors of this package; the engine's configuration
// carries each under its own key (optimizer.plan_seq_scan, ...).
type Config struct {
	PlanSeqScan     PlanSeqScanConfig
	PlanRowsRemoved PlanRowsRemovedConfig
	WorkMem         WorkMemConfig
	CacheHit        CacheHitConfig
	PlanRegression  PlanRegressionConfig
}

// DefaultConfig is the detectors' default thresholds.
func DefaultConfig() Config {
	return Config{
		PlanSeqScan:     PlanSeqScanConfig{MinRelationRows: 10000, MaxSelectivity: 0.05, HighRelationRows: 1000000},
		PlanRowsRemoved: PlanRowsRemovedConfig{MinRemoved: 10000, MinRatio: 100},
		WorkMem:         WorkMemConfig{MinSpill: 1024, Headroom: 2, MaxWorkMem: 256},
		CacheHit:        CacheHitConfig{MinBlocksRead: 10000, MaxHitRatio: 0.9},
		PlanRegression:  PlanRegressionConfig{MinSlowdown: 1.5, MinIncrease: time.Millisecond, MinExecutions: 3, Lookback: 24 * time.Hour},
	}
}
