// Package bench compares internal/sqlnorm with DataDog's go-sqllexer on the
// same statement set (see bench_test.go) and checks, differentially, that
// every literal go-sqllexer finds is removed by sqlnorm too.
package bench

import (
	"os"
	"path/filepath"
	"strings"
)

// SetNames lists the benchmark statement sets in report order.
var SetNames = []string{"short", "512B", "4KB", "100KB"}

// LoadSet reads a statement set from internal/sqlnorm/testdata/bench: the
// short set has one statement per line, the others one statement per file.
func LoadSet(dir, name string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name+".sql"))
	if err != nil {
		return nil, err
	}
	if name != "short" {
		return []string{string(b)}, nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

// SetDir is the statement-set directory relative to this module.
const SetDir = "../internal/sqlnorm/testdata/bench"
