package optimizer

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
)

// detectPool sizes connection pools from per-minute samples (at least pool.min_samples):
//   - saturated: p95 of used/max >= pool.high_utilization -> increase to ceil(growth_factor × max);
//     CRITICAL when requests also queued (pending in >= pending_fraction of the minutes, or
//     average wait >= max_wait), else HIGH;
//   - queuing alone (pending / wait as above, utilization below the threshold) -> MEDIUM,
//     increase to ceil(growth_factor × max);
//   - idle: peak used/max < pool.low_utilization -> LOW, decrease to
//     max(min_size, ceil(growth_factor × peak used)).
func detectPool(ctx context.Context, e *env) ([]Recommendation, error) {
	c := e.cfg.Pool
	window := e.window()
	var out []Recommendation
	err := e.eachRow(ctx, poolSQL, []any{e.tid, e.from, e.to}, func(rows pgx.Rows) error {
		var inst int32
		var pool, svc, host, sid string
		var utilN, samples, pendingMin int64
		var maxSize, peakUsed, pendingMax int32
		var p95, peak, avgUtil, waitAvg, waitMax float64
		if err := rows.Scan(&inst, &pool, &svc, &host, &sid, &utilN, &maxSize, &peakUsed, &p95, &peak, &avgUtil, &samples,
			&pendingMin, &pendingMax, &waitAvg, &waitMax); err != nil {
			return err
		}
		if utilN < int64(c.MinSamples) || maxSize <= 0 {
			return nil
		}
		pendingShare := float64(pendingMin) / float64(samples)
		queuing := pendingShare >= c.PendingFraction || waitAvg >= float64(c.MaxWait.Milliseconds())
		saturated := p95 >= c.HighUtilization
		idle := peak < c.LowUtilization && !queuing
		if !saturated && !queuing && !idle {
			return nil
		}
		subject := fmt.Sprintf("%s/%s/%s pool %s", svc, host, sid, pool)
		figs := []Figure{fig("max_size", float64(maxSize), "connections"), fig("peak_used", float64(peakUsed), "connections"),
			fig("p95_utilization", p95, "%"), fig("peak_utilization", peak, "%"), fig("avg_utilization", avgUtil, "%"),
			fig("samples", float64(samples), "minutes"), fig("pending_minutes_share", pendingShare, "ratio"),
			fig("pending_max", float64(pendingMax), "requests"), fig("wait_avg_ms", waitAvg, "ms"), fig("wait_max_ms", waitMax, "ms")}
		r := Recommendation{ID: StableID(KindPool, subject), Category: CategoryPool, Kind: KindPool,
			Advice: Advice{Effort: "Low - Configuration change"},
			Evidence: Evidence{Fingerprints: []string{}, ExampleTraceIDs: []string{}, Figures: figs, Services: servicesOf(svc), Subject: subject,
				Rule: fmt.Sprintf("increase when p95 utilization >= %g%% or pending in >= %g of minutes or avg wait >= %s; decrease when peak < %g%%; sizes ceil(%g × max) / ceil(%g × peak used)",
					c.HighUtilization, c.PendingFraction, c.MaxWait, c.LowUtilization, c.GrowthFactor, c.GrowthFactor)}}
		where := fmt.Sprintf("pool %q of %s on %s", pool, svc, host)
		if saturated || queuing {
			target := int(math.Ceil(c.GrowthFactor * float64(maxSize)))
			r.Priority = Medium
			switch {
			case saturated && queuing:
				r.Priority = Critical
			case saturated:
				r.Priority = High
			}
			r.Title = "Connection pool near capacity"
			if !saturated {
				r.Title = "Requests wait for database connections"
			}
			r.Description = fmt.Sprintf("The %s ran at %.0f%% utilization at p95 (peak %d/%d connections) over %s; requests were pending in %.0f%% of the minutes (max %d), average wait %.0fms",
				where, p95, peakUsed, maxSize, window, 100*pendingShare, pendingMax, waitAvg)
			r.Impact = "Requests are queued or rejected while waiting for a connection"
			r.Recommendation = fmt.Sprintf("Increase the pool size from %d to %d connections (check the database's max_connections across all instances)", maxSize, target)
			r.Implementation = fmt.Sprintf("Set DATABASE_POOL_MAX=%d (pool %q) in the service configuration", target, pool)
			r.EstimatedSavings = "Prevents request queuing and timeouts"
			r.Score = p95 + 100*pendingShare
		} else {
			target := max(c.MinSize, int(math.Ceil(c.GrowthFactor*float64(peakUsed))))
			if target >= int(maxSize) {
				return nil
			}
			r.Priority = Low
			r.Title = "Connection pool oversized"
			r.Description = fmt.Sprintf("The %s never exceeded %.0f%% utilization (peak %d/%d connections) over %s", where, peak, peakUsed, maxSize, window)
			r.Impact = "Idle connections hold memory on the database server and count against max_connections"
			r.Recommendation = fmt.Sprintf("Decrease the pool size from %d to %d connections", maxSize, target)
			r.Implementation = fmt.Sprintf("Set DATABASE_POOL_MAX=%d (pool %q) in the service configuration", target, pool)
			r.EstimatedSavings = fmt.Sprintf("Frees %d database connections", int(maxSize)-target)
			r.Score = float64(int(maxSize) - target)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}
