package perfpgexporter

import (
	"strings"
	"testing"

	"go.opentelemetry.io/collector/confmap"
)

// A misspelt key is an error at every level, the embedded exporterhelper blocks included.
func TestConfigRefusesUnknownKeys(t *testing.T) {
	for name, c := range map[string]struct {
		conf map[string]any
		key  string
	}{
		"top level": {map[string]any{"bogus_key": 1}, "bogus_key"},
		"tenant":    {map[string]any{"tenant": map[string]any{"metadata_kye": "x"}}, "metadata_kye"},
		"retention": {map[string]any{"retention": map[string]any{"log": "1h"}}, "log"},
		"queue":     {map[string]any{"sending_queue": map[string]any{"queue_sise": 1}}, "queue_sise"},
		"retry":     {map[string]any{"retry_on_failure": map[string]any{"enable": true}}, "enable"},
	} {
		t.Run(name, func(t *testing.T) {
			err := confmap.NewFromStringMap(c.conf).Unmarshal(createDefaultConfig())
			if err == nil || !strings.Contains(err.Error(), c.key) {
				t.Fatalf("error %v, want one naming %s", err, c.key)
			}
		})
	}
}
