-- Live subscriptions: a change of a tenant's data is announced on the perf_events channel
-- (payload: tenant name, kind, id, detail), delivered on commit to every replica's hub
-- (livehub.Listen). perf_notify writes the payload for every writer: livehub.Notify
-- (livehub/notify.sql: the scheduler, the alerting evaluation) and the triggers below.
CREATE OR REPLACE FUNCTION perf_notify(p_tenant text, p_kind text, p_id text, p_detail json DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_notify('perf_events', json_strip_nulls(json_build_object('tenant', p_tenant, 'kind', p_kind, 'id', p_id,
                                                                       'detail', p_detail))::text)
$$;

-- A recommendation that is created, resolved, comes back or changes priority, and an alert
-- that becomes pending, fires or resolves (id = its labels' fingerprint, detail = state and
-- rule) are announced from the transaction that writes them: triggers, so that every path
-- that writes them announces them, and alertChanged subscribers hear exactly the state
-- changes that also reach the outbox. Updates that only re-detect a known active
-- recommendation (last_detected, runs) or re-evaluate an alert are not changes a subscriber
-- waits for. One function for both tables: TG_TABLE_NAME says which row it got.
CREATE OR REPLACE FUNCTION perf_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind   text;
    id     text;
    detail json;
BEGIN
    IF TG_TABLE_NAME = 'perf_recommendations' THEN
        IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.priority IS NOT DISTINCT FROM OLD.priority THEN
            RETURN NULL;
        END IF;
        kind := 'recommendation'; id := NEW.id;
    ELSE
        IF TG_OP = 'UPDATE' AND NEW.state IS NOT DISTINCT FROM OLD.state THEN
            RETURN NULL;
        END IF;
        kind := 'alert'; id := NEW.fingerprint; detail := json_build_object('state', NEW.state, 'rule', NEW.rule);
    END IF;
    PERFORM perf_notify(t.name, kind, id, detail) FROM perf_tenants t WHERE t.tenant_id = NEW.tenant_id;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER perf_recommendation_notify AFTER INSERT OR UPDATE ON perf_recommendations FOR EACH ROW EXECUTE FUNCTION perf_event_notify();
CREATE OR REPLACE TRIGGER perf_alert_notify AFTER INSERT OR UPDATE ON perf_alerts FOR EACH ROW EXECUTE FUNCTION perf_event_notify();
