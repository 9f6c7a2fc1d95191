package scheduler

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// evaluateAlerts evaluates the alert rules after the refresh and the optimization engine,
// whose rollups and recommendations they read. It only writes state changes and their
// outbox rows: delivery is the sender's (alerting.Sender), which never holds up a tick.
func (s *Scheduler) evaluateAlerts(ctx context.Context, now time.Time, res *TickResult, errs *[]error) {
	if s.cfg.Alerts == nil || s.conn.IsClosed() {
		return
	}
	r, err := s.cfg.Alerts.Evaluate(ctx, s.conn, now)
	res.Alerts = r
	if err != nil {
		*errs = append(*errs, fmt.Errorf("alerting: %w", err))
		s.metrics.errors.Add(ctx, 1, metric.WithAttributes(attribute.String("step", "alerting")))
	}
}
