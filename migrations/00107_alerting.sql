-- +goose Up
-- Alerting (perfgraphql extension, internal/alerting).
--
-- perf_alerts holds one row per alert instance: (tenant, rule, fingerprint of its labels).
-- The scheduler leader evaluates the rules on each tick and moves an instance
-- pending -> firing -> resolved here, so a new leader continues where the last one stopped.
-- active_since: start of the current episode (the condition became true); fired_at: when it
-- had held for the rule's duration; resolved_at: when it stopped holding after firing.
-- A pending instance whose condition stops holding is deleted: nobody was told of it.
CREATE TABLE perf_alerts (
    tenant_id    integer NOT NULL REFERENCES perf_tenants,
    rule         text NOT NULL,
    fingerprint  text NOT NULL,              -- sha256 of the sorted labels (hex)
    labels       jsonb NOT NULL,
    annotations  jsonb NOT NULL DEFAULT '{}',
    state        text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    active_since timestamptz NOT NULL,
    fired_at     timestamptz,
    resolved_at  timestamptz,
    last_eval    timestamptz NOT NULL,
    value        double precision,
    "values"     jsonb NOT NULL DEFAULT '{}',
    -- when the sender last re-sent this firing alert to Alertmanager (it expects repeats)
    last_resent  timestamptz,
    PRIMARY KEY (tenant_id, rule, fingerprint)
);
CREATE INDEX perf_alerts_state ON perf_alerts (tenant_id, state, last_eval);

-- The outbox: one row per notifier and state change, written in the transaction that
-- changes perf_alerts, delivered at least once by the sender (retry with backoff). A row
-- is leased while being sent (lease_until) so that a sender that dies mid-send leaves it
-- to the next one; receivers drop repeats by dedupe_key.
CREATE TABLE perf_alert_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    integer NOT NULL REFERENCES perf_tenants,
    notifier     text NOT NULL,              -- alertmanager | nats | webhook
    alert_key    text NOT NULL,              -- rule + fingerprint: events of one alert go in order
    dedupe_key   text NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    next_attempt timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz,
    last_error   text,
    sent_at      timestamptz
);
CREATE INDEX perf_alert_outbox_due ON perf_alert_outbox (next_attempt) WHERE sent_at IS NULL;
CREATE INDEX perf_alert_outbox_sent ON perf_alert_outbox (sent_at) WHERE sent_at IS NOT NULL;

-- GraphQL reads the alerts (tenant-scoped: functions/95_tenant_isolation.sql); the outbox
-- is internal to the sender.

-- +goose Down
DROP TABLE IF EXISTS perf_alert_outbox, perf_alerts;
