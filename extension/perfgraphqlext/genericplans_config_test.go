package perfgraphqlext

import (
	"strings"
	"testing"
	"time"
)

// server_stats.generic_plans: 20 statements every hour over a day by default; a negative top,
// or rounds too frequent or over too short a window, are refused; top 0 turns them off.
func TestGenericPlansConfig(t *testing.T) {
	def := createDefaultConfig().(*Config)
	if def.ServerStats.GenericPlans != (GenericPlansConfig{Top: 20, Interval: time.Hour, Window: 24 * time.Hour}) {
		t.Errorf("defaults %+v", def.ServerStats.GenericPlans)
	}
	for _, c := range []struct {
		gp   GenericPlansConfig
		want string
	}{
		{GenericPlansConfig{Top: -1, Interval: time.Hour, Window: time.Hour}, "server_stats.generic_plans.top must not be negative"},
		{GenericPlansConfig{Top: 5, Interval: time.Second, Window: time.Hour}, "server_stats.generic_plans.interval must be at least 1m"},
		{GenericPlansConfig{Top: 5, Interval: time.Hour, Window: time.Minute}, "server_stats.generic_plans.window must be at least 1h"},
		{GenericPlansConfig{Top: 0}, ""},
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.ServerStats.GenericPlans = c.gp
		err := cfg.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.gp, err, c.want)
		}
	}
	if sc := def.schedulerConfig(); sc.GenericPlans.Top != 20 || sc.GenericPlans.Window != 24*time.Hour {
		t.Errorf("the scheduler gets %+v", sc.GenericPlans)
	}
}
