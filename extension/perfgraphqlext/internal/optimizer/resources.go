package optimizer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

type trend struct {
	n                    int64
	slope, icpt, r2      *float64
	xmin, xmax, totalMax *float64
}

// growth returns the fitted start and end values and the growth in percent over the samples.
func (t trend) growth() (start, end, pct float64, ok bool) {
	if t.slope == nil || t.icpt == nil || t.r2 == nil || t.xmin == nil || t.xmax == nil {
		return 0, 0, 0, false
	}
	start = *t.icpt + *t.slope**t.xmin
	end = *t.icpt + *t.slope**t.xmax
	if start <= 0 {
		return start, end, 0, false
	}
	return start, end, 100 * (end - start) / start, true
}

// detectResources, per instance over the per-minute samples of the window:
//   - HIGH_CPU: at least cpu.min_samples samples and > cpu.threshold in at least
//     cpu.sustained_fraction of them; HIGH when the average >= cpu.high_threshold, else MEDIUM;
//   - MEMORY_LEAK: a least-squares line of heap_used (else memory_used) against time with
//     >= memory.min_samples samples spanning >= memory.min_duration, R² >= memory.min_r2 and a
//     fitted growth >= memory.min_growth_percent over the window; CRITICAL when the line reaches
//     the reported total within memory.critical_horizon, HIGH when growth >= high_growth_percent;
//   - EVENT_LOOP_LAG: p95 of the per-minute lag > event_loop.threshold with >= min_samples
//     samples; HIGH above high_threshold.
func detectResources(ctx context.Context, e *env) ([]Recommendation, error) {
	cc, mc, lc := e.cfg.CPU, e.cfg.Memory, e.cfg.EventLoop
	window := e.window()
	var out []Recommendation
	err := e.eachRow(ctx, resourcesSQL, []any{e.tid, e.from, e.to, cc.Threshold, float64(lc.Threshold.Milliseconds())}, func(rows pgx.Rows) error {
		var inst int32
		var svc, host, sid string
		var cpuN, cpuHot, lagN, lagHot int64
		var cpuAvg, cpuMax, lagP95, lagAvg, lagMax float64
		var mem, heap trend
		if err := rows.Scan(&inst, &svc, &host, &sid, &cpuN, &cpuAvg, &cpuMax, &cpuHot,
			&mem.n, &mem.slope, &mem.icpt, &mem.r2, &mem.xmin, &mem.xmax, &mem.totalMax,
			&heap.n, &heap.slope, &heap.icpt, &heap.r2, &heap.xmin, &heap.xmax, &heap.totalMax,
			&lagN, &lagP95, &lagAvg, &lagMax, &lagHot); err != nil {
			return err
		}
		who := fmt.Sprintf("%s on %s (%s)", svc, host, sid)
		subject := fmt.Sprintf("%s/%s/%s", svc, host, sid)

		if cpuN >= int64(cc.MinSamples) && float64(cpuHot)/float64(cpuN) >= cc.SustainedFraction {
			prio := Medium
			if cpuAvg >= cc.HighThreshold {
				prio = High
			}
			share := float64(cpuHot) / float64(cpuN)
			out = append(out, Recommendation{ID: StableID(KindCPU, subject), Category: CategoryResource, Kind: KindCPU, Advice: Advice{Priority: prio,
				Title:            fmt.Sprintf("Sustained high CPU on %s", svc),
				Description:      fmt.Sprintf("%s used more than %.0f%% CPU in %.0f%% of the %d sampled minutes of %s (average %.0f%%, max %.0f%%)", who, cc.Threshold, 100*share, cpuN, window, cpuAvg, cpuMax),
				Impact:           "Requests queue for CPU: latency rises and throughput is capped",
				Effort:           "Medium - Profile hot paths or scale out",
				Recommendation:   "Profile the service under load (CPU profile / flame graph) to find hot paths; scale horizontally or raise the CPU limit if the load is legitimate",
				Implementation:   "# e.g. Kubernetes: raise resources.limits.cpu or the HPA's maxReplicas; Node.js: node --cpu-prof; Go: go tool pprof http://host/debug/pprof/profile",
				EstimatedSavings: fmt.Sprintf("Brings CPU below %.0f%% in most minutes", cc.Threshold)},
				Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: []string{}, Services: servicesOf(svc), Subject: subject,
					Rule: fmt.Sprintf("> %g%% CPU in >= %g of >= %d sampled minutes; HIGH when average >= %g%%", cc.Threshold, cc.SustainedFraction, cc.MinSamples, cc.HighThreshold),
					Figures: []Figure{fig("samples", float64(cpuN), "minutes"), fig("hot_minutes_share", share, "ratio"),
						fig("avg_cpu", cpuAvg, "%"), fig("max_cpu", cpuMax, "%")}},
				Score: cpuAvg})
		}

		// memory: heap when reported, else process/system memory
		series, tr := "heap", heap
		if heap.n < int64(mc.MinSamples) {
			series, tr = "memory", mem
		}
		if start, end, pct, ok := tr.growth(); ok && tr.n >= int64(mc.MinSamples) && *tr.xmax-*tr.xmin >= mc.MinDuration.Seconds() &&
			*tr.r2 >= mc.MinR2 && pct >= mc.MinGrowthPercent {
			prio := Medium
			if pct >= mc.HighGrowthPercent {
				prio = High
			}
			perHour := *tr.slope * 3600
			figs := []Figure{fig("series_"+series, 1, "flag"), fig("samples", float64(tr.n), "minutes"), fig("slope_bytes_per_hour", perHour, "bytes/h"),
				fig("r2", *tr.r2, "ratio"), fig("fitted_start_mb", start/1048576, "MB"), fig("fitted_end_mb", end/1048576, "MB"),
				fig("growth_percent", pct, "%")}
			exhaust := ""
			if tr.totalMax != nil && *tr.totalMax > end && *tr.slope > 0 {
				hours := (*tr.totalMax - end) / perHour
				figs = append(figs, fig("total_mb", *tr.totalMax/1048576, "MB"), fig("hours_to_exhaustion", hours, "h"))
				exhaust = fmt.Sprintf("; at this rate it reaches the %.0f MB total in %.0fh", *tr.totalMax/1048576, hours)
				if hours <= mc.CriticalHorizon.Hours() {
					prio = Critical
				}
			}
			out = append(out, Recommendation{ID: StableID(KindMemory, subject), Category: CategoryResource, Kind: KindMemory, Advice: Advice{Priority: prio,
				Title:            fmt.Sprintf("Memory growth on %s (possible leak)", svc),
				Description:      fmt.Sprintf("The %s usage of %s grew steadily from %.0f MB to %.0f MB (+%.0f%%, %.1f MB/h, R² %.2f over %d samples) in %s%s", series, who, start/1048576, end/1048576, pct, perHour/1048576, *tr.r2, tr.n, window, exhaust),
				Impact:           "Growing memory ends in garbage-collection pauses, swapping or an out-of-memory restart",
				Effort:           "High - Find the retaining code with heap snapshots",
				Recommendation:   "Take two heap snapshots some time apart and compare retained objects (caches without eviction, listeners never removed, growing maps/arrays, closures kept by timers)",
				Implementation:   "# Node.js: node --heapsnapshot-signal=SIGUSR2 (compare snapshots in Chrome DevTools); Go: go tool pprof -diff_base old.heap new.heap; JVM: jcmd <pid> GC.heap_dump",
				EstimatedSavings: fmt.Sprintf("Avoids %.1f MB/h of growth and the restarts it causes", perHour/1048576)},
				Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: []string{}, Services: servicesOf(svc), Subject: subject + " " + series, Figures: figs,
					Rule: fmt.Sprintf("least-squares trend with >= %d samples over >= %s, R² >= %g, growth >= %g%% (HIGH >= %g%%, CRITICAL when the total is reached within %s)",
						mc.MinSamples, mc.MinDuration, mc.MinR2, mc.MinGrowthPercent, mc.HighGrowthPercent, mc.CriticalHorizon)},
				Score: pct})
		}

		if lagN >= int64(lc.MinSamples) && lagP95 > float64(lc.Threshold.Milliseconds()) {
			prio := Medium
			if lagP95 > float64(lc.HighThreshold.Milliseconds()) {
				prio = High
			}
			out = append(out, Recommendation{ID: StableID(KindEventLoop, subject), Category: CategoryResource, Kind: KindEventLoop, Advice: Advice{Priority: prio,
				Title:            fmt.Sprintf("Event-loop lag on %s", svc),
				Description:      fmt.Sprintf("The event loop of %s lagged %.0fms at p95 (average %.0fms, max %.0fms; %d of %d minutes above %s) in %s", who, lagP95, lagAvg, lagMax, lagHot, lagN, lc.Threshold, window),
				Impact:           "Every request handled by this process waits while the loop is blocked",
				Effort:           "Medium - Move blocking work off the event loop",
				Recommendation:   "Find synchronous work on the event loop (JSON of large payloads, crypto, regexes, sync fs calls) and move it to worker threads or batches",
				Implementation:   "// e.g. new Worker('./heavy.js') / piscina for CPU-bound work; monitor with perf_hooks.monitorEventLoopDelay()",
				EstimatedSavings: fmt.Sprintf("Up to %.0fms per request at p95", lagP95)},
				Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: []string{}, Services: servicesOf(svc), Subject: subject,
					Rule: fmt.Sprintf("p95 of per-minute lag > %s with >= %d samples; HIGH > %s", lc.Threshold, lc.MinSamples, lc.HighThreshold),
					Figures: []Figure{fig("samples", float64(lagN), "minutes"), fig("p95_lag_ms", lagP95, "ms"), fig("avg_lag_ms", lagAvg, "ms"),
						fig("max_lag_ms", lagMax, "ms"), fig("minutes_above_threshold", float64(lagHot), "minutes")}},
				Score: lagP95})
		}
		return nil
	})
	return out, err
}
