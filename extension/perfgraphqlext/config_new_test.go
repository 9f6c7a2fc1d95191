package perfgraphqlext

import (
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap"
)

func TestConfigSchedulerHealthLimits(t *testing.T) {
	t.Setenv("PERF_PG_DSN", "")
	def := loadConfig(t, "")
	if !def.Scheduler.Enabled || def.Scheduler.Interval != 15*time.Second || def.Optimizer.MinInterval != 30*time.Second || def.Scheduler.PremakeDays != 3 ||
		def.Retention.Logs != 720*time.Hour || def.Retention.Resources != 720*time.Hour ||
		def.Health.ApdexTarget != 500*time.Millisecond || def.Limits.MaxCost != 40 || def.Limits.RequestTimeout != 15*time.Second {
		t.Errorf("defaults %+v %+v %+v %+v", def.Scheduler, def.Retention, def.Health, def.Limits)
	}
	full := loadConfig(t, "full")
	if err := confmap.Validate(full); err != nil {
		t.Fatal(err)
	}
	if full.Scheduler.Interval != 30*time.Second || full.Scheduler.PremakeDays != 5 || full.Retention.Resources != 480*time.Hour ||
		full.Health.ApdexTarget != 200*time.Millisecond || full.Limits.MaxCost != 10 || full.Limits.MaxDepth != 10 {
		t.Errorf("full %+v %+v %+v %+v", full.Scheduler, full.Retention, full.Health, full.Limits)
	}
	err := confmap.Validate(loadConfig(t, "bad_scheduler"))
	for _, want := range []string{"scheduler.interval", "premake_days", "retention.logs"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}
