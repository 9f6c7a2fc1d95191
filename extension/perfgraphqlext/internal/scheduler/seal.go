package scheduler

import (
	"context"
	_ "embed"
	"fmt"
	"time"
)

//go:embed sql/tenants_to_seal.sql
var sqlTenantsToSeal string

// sealHoursPerTick bounds the hours one tenant seals per tick: the first tick after the
// horizon is turned on would otherwise seal (and thin) the whole log retention at once.
const sealHoursPerTick = 24

// SealResult is what sealing did on one tick.
type SealResult struct {
	Hours       int   // hours sealed
	RowsThinned int64 // DB-span and request rows deleted by retention.raw_spans
}

// seal seals the hours that ended more than the late-data horizon before now
// (perf_seal_hours, migrations/functions/64_sealed_hours.sql): their rollups and N+1 groups
// become the record and their raw rows are thinned by Retention.RawSpans. It runs after
// the refresh, so the hours it seals are current (one still marked dirty waits a tick).
//
// Hours become sealable once an hour, so it runs on the maintenance cadence (every
// maintenanceEvery), not on every tick (its tenant list reads every tenant's hourly rows of
// the log retention); again on the next tick while a tenant had more hours than one round seals.
func (s *Scheduler) seal(ctx context.Context, now time.Time) (SealResult, error) {
	var res SealResult
	r := s.cfg.Retention
	if r.LateDataHorizon <= 0 {
		return res, nil
	}
	if !s.sealBacklog && !s.lastSeal.IsZero() && now.Sub(s.lastSeal) < maintenanceEvery && !now.Before(s.lastSeal) {
		return res, nil
	}
	after, before := now.Add(-r.Logs), now.Add(-r.LateDataHorizon)
	tenants, err := queryNames(ctx, s.conn, sqlTenantsToSeal, after, before)
	if err != nil {
		return res, fmt.Errorf("list tenants to seal: %w", err)
	}
	backlog := false
	for _, tenant := range tenants {
		var hours int
		var rows int64
		if err := s.conn.QueryRow(ctx, "SELECT hours_sealed, rows_thinned FROM perf_seal_hours($1, $2, $3, $4, $5, $6, $7, $8)",
			tenant, after, before, r.RawSpans, r.RawSampleRate, r.RawSlowRequest.Microseconds(), r.RawSlowQuery.Microseconds(),
			sealHoursPerTick).Scan(&hours, &rows); err != nil {
			return res, fmt.Errorf("seal tenant %q: %w", tenant, err)
		}
		res.Hours += hours
		res.RowsThinned += rows
		backlog = backlog || hours == sealHoursPerTick
	}
	s.lastSeal, s.sealBacklog = now, backlog
	return res, nil
}

// SetClock replaces the clock the ticks read: a test that compares the engine's output of
// two runs makes them at one time, as the recommendations' texts name their window.
func (s *Scheduler) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}
