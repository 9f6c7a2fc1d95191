// Command perfdemo sends a realistic mix of OTLP traffic to an otelcol-perf collector so
// that every panel of the dashboard has something to show: `make run` in one terminal,
// `make demo` in another, then open http://127.0.0.1:4000/.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/otelcol-perf/otelcol-perf/cmd/perfdemo/demo"
)

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:4318", "the collector's OTLP/HTTP host:port")
	duration := flag.Duration("duration", 5*time.Minute, "how long to send (0: until interrupted)")
	rate := flag.Float64("rate", 20, "requests per second for the first tenant (each other tenant gets 60% of it); DB spans come on top")
	// "default" is the tenant config.yaml serves to anonymous dashboard users; acme and
	// globex show tenant isolation (give them tokens under perfgraphql tenants.tokens).
	tenants := flag.String("tenants", "default,acme,globex", "comma-separated tenants, each sent as the X-Scope-OrgID header")
	metricsEvery := flag.Duration("metrics-interval", 10*time.Second, "interval between host/pool metric exports")
	history := flag.Duration("history", 35*time.Minute, "host/pool metrics sent at start for this long before now, one set per minute (the pool and CPU detectors need 30 minutes of samples); 0: none")
	flag.Parse()

	var ts []string
	for _, t := range strings.Split(*tenants, ",") {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, t)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.SetFlags(log.Ltime)
	log.Printf("perfdemo: sending to %s for %s, %.0f req/s, tenants %s", *endpoint, *duration, *rate, strings.Join(ts, ", "))
	st, err := demo.Run(ctx, demo.Config{
		Endpoint: *endpoint, Duration: *duration, Rate: *rate, Tenants: ts,
		MetricsInterval: *metricsEvery, History: *history, Logf: log.Printf,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "perfdemo:", err)
		os.Exit(1)
	}
	if st.FailedPosts > 0 {
		log.Printf("perfdemo: %d POSTs failed; last error: %s", st.FailedPosts, st.LastError)
	}
}
