-- Live subscriptions: a recommendation that is created, resolved, comes back or changes
-- priority is announced on the perf_events channel (payload as livehub/notify.sql writes it:
-- tenant name, kind, id), delivered on commit to every replica's hub. A trigger, so that every
-- path that writes recommendations announces them; updates that only re-detect a known
-- active recommendation (last_detected, runs) are not changes a subscriber waits for.
CREATE OR REPLACE FUNCTION perf_recommendation_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.priority IS DISTINCT FROM OLD.priority THEN
        PERFORM pg_notify('perf_events', json_build_object('tenant', t.name, 'kind', 'recommendation', 'id', NEW.id)::text)
           FROM perf_tenants t WHERE t.tenant_id = NEW.tenant_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER perf_recommendation_notify AFTER INSERT OR UPDATE ON perf_recommendations
    FOR EACH ROW EXECUTE FUNCTION perf_recommendation_notify();

-- An alert that becomes pending, fires or resolves is announced the same way (kind 'alert',
-- id = its labels' fingerprint, detail = state and rule), from the evaluation's transaction,
-- so alertChanged subscribers hear exactly the state changes that also reach the outbox.
CREATE OR REPLACE FUNCTION perf_alert_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        PERFORM pg_notify('perf_events', json_build_object('tenant', t.name, 'kind', 'alert', 'id', NEW.fingerprint,
                          'detail', json_build_object('state', NEW.state, 'rule', NEW.rule))::text)
           FROM perf_tenants t WHERE t.tenant_id = NEW.tenant_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER perf_alert_notify AFTER INSERT OR UPDATE ON perf_alerts
    FOR EACH ROW EXECUTE FUNCTION perf_alert_notify();
