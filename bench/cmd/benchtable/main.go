// Command benchtable reads `go test -bench BenchmarkNormalize -benchmem`
// output of the bench module (several -count runs) on stdin and prints a
// markdown table comparing sqlnorm with go-sqllexer, using medians.
//
// With -strict it exits 1 when a throughput goal is not met.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// goals: required throughput ratio (go-sqllexer ns/op / sqlnorm ns/op).
var goals = map[string]float64{"short": 3, "512B": 2, "4KB": 2, "100KB": 2}

var order = []string{"short", "512B", "4KB", "100KB"}

var lineRE = regexp.MustCompile(`^BenchmarkNormalize/([^/]+)/impl=(\w+)(?:-\d+)?\s+\d+\s+(.*)$`)

type samples struct{ ns, allocs, bytes []float64 }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// parse collects samples keyed by set and implementation.
func parse(r io.Reader) (map[string]map[string]*samples, error) {
	res := map[string]map[string]*samples{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		set, impl := m[1], m[2]
		if res[set] == nil {
			res[set] = map[string]*samples{}
		}
		s := res[set][impl]
		if s == nil {
			s = &samples{}
			res[set][impl] = s
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			}
		}
	}
	return res, sc.Err()
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func report(w io.Writer, res map[string]map[string]*samples) (allMet bool) {
	allMet = true
	fmt.Fprintln(w, "| statement set | sqlnorm ns/op | go-sqllexer ns/op | ratio (theirs/ours) | sqlnorm allocs/op | go-sqllexer allocs/op | goal | met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---|")
	for _, set := range order {
		ours, theirs := res[set]["sqlnorm"], res[set]["sqllexer"]
		if ours == nil || theirs == nil || len(ours.ns) == 0 || len(theirs.ns) == 0 {
			fmt.Fprintf(w, "| %s | n/a | n/a | n/a | n/a | n/a | %.0fx | missing |\n", set, goals[set])
			allMet = false
			continue
		}
		o, t := median(ours.ns), median(theirs.ns)
		// With -count N, go test runs every sub-benchmark once per round,
		// so the i-th samples of both implementations ran back to back;
		// the median of the per-round ratios resists machine-wide noise
		// better than the ratio of medians.
		var ratios []float64
		for i := 0; i < len(ours.ns) && i < len(theirs.ns); i++ {
			ratios = append(ratios, theirs.ns[i]/ours.ns[i])
		}
		ratio := median(ratios)
		met := "yes"
		if ratio < goals[set] {
			met = "**NO**"
			allMet = false
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2fx | %.0f | %.0f | >= %.0fx | %s |\n",
			set, fmtNs(o), fmtNs(t), ratio, median(ours.allocs), median(theirs.allocs), goals[set], met)
	}
	n := 0
	if s := res["short"]["sqlnorm"]; s != nil {
		n = len(s.ns)
	}
	fmt.Fprintf(w, "\nns/op and allocs/op: medians of %d rounds; ratio: median of the per-round ratios\n(both implementations run back to back in every round of one `go test` run).\n", n)
	return allMet
}

func main() {
	strict := flag.Bool("strict", false, "exit 1 if a goal is not met")
	flag.Parse()
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	if !report(os.Stdout, res) && *strict {
		os.Exit(1)
	}
}
