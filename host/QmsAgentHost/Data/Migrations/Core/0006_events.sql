-- Domain events (an NCM created, a quote approved, a workflow finished), written by IEventPublisher
-- in the same transaction as the change they report: this table is the durable outbox that webhook
-- delivery and the console read. Append-only for the application; a NOTIFY on commit wakes readers.
CREATE TABLE core.events (
    org_id         uuid NOT NULL REFERENCES core.organizations (org_id),
    event_id       uuid NOT NULL DEFAULT gen_random_uuid(),
    seq            bigint GENERATED ALWAYS AS IDENTITY,
    type           text NOT NULL CHECK (type ~ '^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$' AND length(type) <= 100),
    source         text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    subject        text CHECK (length(subject) <= 200),
    payload        jsonb NOT NULL,
    actor_id       uuid,
    correlation_id text,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, event_id),
    UNIQUE (seq)
);
CREATE INDEX events_org_seq ON core.events (org_id, seq);
CREATE INDEX events_org_type_time ON core.events (org_id, type, occurred_at DESC);
SELECT core.enable_tenant_rls('core.events', 'SELECT, INSERT');

CREATE FUNCTION core.notify_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Delivered at commit, and only then: readers never see an event whose change rolled back.
    PERFORM pg_notify('qms_events', NEW.org_id::text || ':' || NEW.seq::text);
    RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON core.events FOR EACH ROW EXECUTE FUNCTION core.notify_event();
