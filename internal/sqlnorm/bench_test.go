package sqlnorm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadBenchSet reads testdata/bench/<name>.sql: the short set has one
// statement per line, the others one statement per file.
func loadBenchSet(name string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "bench", name+".sql"))
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

// BenchmarkNormalize measures one statement per op on a reused Normalizer
// (the short set is cycled through). The cap is raised so that the 100KB
// statement is normalized whole.
func BenchmarkNormalize(b *testing.B) {
	for _, name := range []string{"short", "512B", "4KB", "100KB"} {
		stmts, err := loadBenchSet(name)
		if err != nil {
			b.Fatal(err)
		}
		total := 0
		for _, s := range stmts {
			total += len(s)
		}
		b.Run(name, func(b *testing.B) {
			n := New(PostgreSQL, 1<<20)
			b.SetBytes(int64(total / len(stmts)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				n.Normalize(stmts[i%len(stmts)])
			}
		})
	}
}

func TestBenchSetAllocs(t *testing.T) {
	for _, name := range []string{"short", "512B", "4KB", "100KB"} {
		stmts, err := loadBenchSet(name)
		if err != nil {
			t.Fatal(err)
		}
		n := New(PostgreSQL, 1<<20)
		for _, s := range stmts {
			n.Normalize(s)
			if a := testing.AllocsPerRun(5, func() { n.Normalize(s) }); a > 1 {
				t.Errorf("%s: %v allocs", name, a)
			}
			r := n.Normalize(s)
			if strings.ContainsAny(r.Normalized, "'") || r.Summary == "" {
				t.Errorf("%s: bad result %q", name, r.Summary)
			}
		}
	}
}
