package confkeys

import (
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
)

type inner struct {
	A int `mapstructure:"a"`
}

type Embedded struct {
	Endpoint string `mapstructure:"endpoint"`
}

type target struct {
	Embedded `mapstructure:",squash"`
	Name     string                         `mapstructure:"name"`
	Timeout  time.Duration                  `mapstructure:"timeout"`
	Inner    inner                          `mapstructure:"inner"`
	Opt      configoptional.Optional[inner] `mapstructure:"opt"`
	List     []inner                        `mapstructure:"list"`
	Labels   map[string]string              `mapstructure:"labels"`
	ID       component.ID                   `mapstructure:"id"`
	Ptr      *inner                         `mapstructure:"ptr"`
	Skipped  string                         `mapstructure:"-"`
	Nested   map[string]inner               `mapstructure:"nested"`
	Untagged string
}

func TestCheck(t *testing.T) {
	ok := map[string]any{
		"endpoint": "x", "name": "n", "timeout": "1s", "inner": map[string]any{"a": 1},
		"opt": map[string]any{"a": 2}, "list": []any{map[string]any{"a": 3}}, "labels": map[string]any{"anything": "goes"},
		"id": "perfgraphql/x", "ptr": map[string]any{"a": 4}, "nested": map[string]any{"k": map[string]any{"whatever": 1}},
		"Untagged": "u",
	}
	if err := Check(ok, &target{}); err != nil {
		t.Fatalf("known keys refused: %v", err)
	}
	bad := map[string]any{
		"bogus": 1, "inner": map[string]any{"b": 1}, "opt": map[string]any{"c": 1},
		"list": []any{map[string]any{"a": 1}, map[string]any{"d": 1}}, "ptr": map[string]any{"e": 1}, "-": "x",
	}
	err := Check(bad, &target{})
	if err == nil {
		t.Fatal("unknown keys accepted")
	}
	want := `unknown keys "-", "bogus", "inner::b", "list::1::d", "opt::c", "ptr::e"`
	if err.Error() != want {
		t.Errorf("error %s\nwant  %s", err, want)
	}
	if err := Check(map[string]any{"inner": map[string]any{"b": 1}}, &target{}); err == nil || err.Error() != `unknown key "inner::b"` {
		t.Errorf("one unknown key: %v", err)
	}
}
