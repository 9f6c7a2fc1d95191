package optimizer

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidateErrorStateAndAdvice(t *testing.T) {
	c := DefaultConfig()
	c.ErrorRate.State.MinShare = 0
	c.ErrorRate.State.HighShare = 0.6
	c.LikeScan.HighTotalDuration = c.LikeScan.MinTotalDuration / 2
	c.HypoPG.MinCostReduction = 1
	err := c.Validate()
	for _, want := range []string{"optimizer.error_rate.state.min_share", "optimizer.error_rate.state:", "optimizer.like_scan.high_total_duration", "optimizer.hypopg.min_cost_reduction"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
}

// A tenant with new data is never run later than one without: min_interval above interval
// counts as interval.
func TestNewDataGap(t *testing.T) {
	c := DefaultConfig()
	if g := c.NewDataGap(); g != c.MinInterval || g >= c.Interval {
		t.Errorf("default gap %s, want min_interval %s (below interval %s)", g, c.MinInterval, c.Interval)
	}
	c.Interval = 2 * time.Second
	if g := c.NewDataGap(); g != c.Interval {
		t.Errorf("gap %s with interval %s and min_interval %s, want the interval", g, c.Interval, c.MinInterval)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("min_interval above interval refused: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.SlowQuery.HighAvg = 10 * c.SlowQuery.CriticalAvg
	c.Window = 90 * 60 * 1e9
	c.Pool.LowUtilization = 95
	c.HypoPG.Timeout = 0
	c.MinInterval = -1
	err := c.Validate()
	for _, want := range []string{"optimizer.slow_query", "optimizer.window", "optimizer.pool", "optimizer.hypopg.timeout", "optimizer.min_interval"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
}
