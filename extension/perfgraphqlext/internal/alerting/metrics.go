package alerting

import (
	"errors"

	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-perf/otelcol-perf/extension/perfgraphqlext/internal/metadata"
)

// Metrics are the alerting's self-telemetry.
type Metrics struct {
	evaluations metric.Int64Counter
	sent        metric.Int64Counter
	failed      metric.Int64Counter
	retried     metric.Int64Counter
}

// NewMetrics registers the alerting's instruments.
func NewMetrics(mp metric.MeterProvider) (*Metrics, error) {
	m := mp.Meter(metadata.ScopeName)
	var err, e error
	am := &Metrics{}
	for _, c := range []struct {
		dst        *metric.Int64Counter
		name, desc string
	}{
		{&am.evaluations, "otelcol_perfgraphql_alert_evaluations", "Evaluations of one alert rule for one tenant (attributes kind, outcome)"},
		{&am.sent, "otelcol_perfgraphql_alert_notifications_sent", "Alert notifications delivered (attribute notifier; Alertmanager re-sends of firing alerts included)"},
		{&am.failed, "otelcol_perfgraphql_alert_notifications_failed", "Alert notification attempts that failed and will be retried (attribute notifier)"},
		{&am.retried, "otelcol_perfgraphql_alert_notifications_retried", "Alert notification attempts that repeat a failed or interrupted one (attribute notifier)"},
	} {
		*c.dst, e = m.Int64Counter(c.name, metric.WithDescription(c.desc), metric.WithUnit("{notification}"))
		err = errors.Join(err, e)
	}
	return am, err
}
