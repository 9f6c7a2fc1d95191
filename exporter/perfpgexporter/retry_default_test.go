package perfpgexporter

import (
	"testing"
	"time"
)

// Acknowledged data is in the persistent queue; the exporter must not give up on it while
// the database is down, however long (regression: exporterhelper's default 5-minute
// max_elapsed_time dropped acknowledged spans after a longer outage; with the budget
// shortened to 6 s, test/e2e TestReliabilityDatabaseOutage lost 1060 of 14880 acknowledged
// spans to "Exporting failed. Dropping data.").
func TestDefaultRetryNeverGivesUp(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	if !cfg.BackOffConfig.Enabled {
		t.Fatal("retry_on_failure disabled by default")
	}
	if cfg.BackOffConfig.MaxElapsedTime != 0 {
		t.Fatalf("retry_on_failure.max_elapsed_time = %s by default, want 0 (retry until the database is back)", cfg.BackOffConfig.MaxElapsedTime)
	}
	if cfg.BackOffConfig.MaxInterval <= 0 || cfg.BackOffConfig.MaxInterval > time.Minute {
		t.Fatalf("retry_on_failure.max_interval = %s, want a bounded backoff", cfg.BackOffConfig.MaxInterval)
	}
	if err := cfg.BackOffConfig.Validate(); err != nil {
		t.Fatal(err)
	}
	if !cfg.QueueConfig.HasValue() {
		t.Fatal("no sending_queue by default: retrying forever needs the bounded queue in front")
	}
}
