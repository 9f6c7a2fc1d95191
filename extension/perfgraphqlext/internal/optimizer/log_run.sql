-- One row per run of the engine for a tenant: its window, counts and failed detectors.
INSERT INTO perf_optimizer_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (tenant_id, started_at) DO NOTHING
