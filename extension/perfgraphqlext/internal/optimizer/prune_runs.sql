DELETE FROM perf_optimizer_runs WHERE tenant_id = $1 AND started_at < $2
