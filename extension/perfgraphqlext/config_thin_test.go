package perfgraphqlext

import (
	"strings"
	"testing"
	"time"
)

// The late-data horizon and raw_spans keys decode from YAML, reach the scheduler, and
// Validate refuses what cannot work: thinning without a horizon (only sealed hours are
// thinned), a horizon past the logs or under 2h, an unknown mode, a rate outside 0..1.
func TestConfigLateDataHorizonAndRawSpans(t *testing.T) {
	cfg, err := unmarshalYAML(t, "retention: {late_data_horizon: 6h, raw_spans: keep_sample, raw_sample_rate: 0.25, raw_slow_request: 3s, raw_slow_query: 200ms}\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r := cfg.schedulerConfig().Retention
	if r.LateDataHorizon != 6*time.Hour || r.RawSpans != RawSpansKeepSample || r.RawSampleRate != 0.25 ||
		r.RawSlowRequest != 3*time.Second || r.RawSlowQuery != 200*time.Millisecond {
		t.Errorf("scheduler retention %+v", r)
	}
	def := createDefaultConfig().(*Config)
	if def.Retention.LateDataHorizon != 0 || def.Retention.RawSpans != RawSpansKeepAll {
		t.Errorf("defaults %+v: want no horizon and keep_all (today's behaviour)", def.Retention)
	}
	for name, c := range map[string]struct {
		mutate func(*RetentionConfig)
		want   string
	}{
		"thinning without horizon": {func(r *RetentionConfig) { r.RawSpans = RawSpansKeepInteresting }, "needs retention.late_data_horizon"},
		"horizon past the logs":    {func(r *RetentionConfig) { r.LateDataHorizon = r.Logs + time.Hour }, "late_data_horizon must be 0 (off) or between 2h"},
		"horizon under 2h":         {func(r *RetentionConfig) { r.LateDataHorizon = time.Hour }, "late_data_horizon must be 0 (off) or between 2h"},
		"unknown mode":             {func(r *RetentionConfig) { r.RawSpans = "keep_some" }, `retention.raw_spans must be keep_all, keep_interesting or keep_sample, got "keep_some"`},
		"rate over 1":              {func(r *RetentionConfig) { r.RawSampleRate = 1.5 }, "raw_sample_rate must be between 0 and 1"},
		"no slow threshold":        {func(r *RetentionConfig) { r.RawSlowQuery = 0 }, "must be positive"},
	} {
		cfg := createDefaultConfig().(*Config)
		c.mutate(&cfg.Retention)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
}
