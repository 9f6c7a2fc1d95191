package queryhashprocessor

import (
	"strings"
	"testing"

	"go.opentelemetry.io/collector/confmap"
)

// A misspelt key is an error, not a silently ignored setting.
func TestConfigRefusesUnknownKeys(t *testing.T) {
	conf := confmap.NewFromStringMap(map[string]any{"keep_raw_statment": true})
	err := conf.Unmarshal(createDefaultConfig())
	if err == nil || !strings.Contains(err.Error(), "keep_raw_statment") {
		t.Fatalf("error %v, want one naming keep_raw_statment", err)
	}
}
