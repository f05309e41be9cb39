-- Append-only, hash-chained audit trail, one chain per tenant.
CREATE TABLE core.audit_events (
    org_id         uuid NOT NULL REFERENCES core.organizations (org_id),
    seq            bigint NOT NULL,
    event_id       uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    occurred_at    timestamptz NOT NULL,
    actor_id       uuid,
    actor_name     text NOT NULL,
    action         text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity_type    text NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 100),
    entity_id      text,
    before         jsonb,
    after          jsonb,
    reason         text,
    correlation_id text,
    ai_provider    text,
    ai_model       text,
    ai_function    text,
    ai_arguments   jsonb,
    ai_result      jsonb,
    prev_hash      text NOT NULL,
    hash           text NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX audit_events_entity ON core.audit_events (org_id, entity_type, entity_id);
CREATE INDEX audit_events_time ON core.audit_events (org_id, occurred_at);
-- The application may only append and read.
SELECT core.enable_tenant_rls('core.audit_events', 'SELECT, INSERT');

-- The canonical form of an event is a JSON array of its fields in a fixed order, with the time in UTC
-- to the microsecond; its SHA-256 (hex) is the event's hash. Verification recomputes it.
CREATE FUNCTION core.audit_event_digest(e core.audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        e.org_id, e.seq, e.event_id,
        to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.actor_id, e.actor_name, e.action, e.entity_type, e.entity_id,
        e.before, e.after, e.reason, e.correlation_id,
        e.ai_provider, e.ai_model, e.ai_function, e.ai_arguments, e.ai_result,
        e.prev_hash)::text, 'UTF8')), 'hex')
$$;

-- Chains the new event to the tenant's previous one. The per-tenant advisory lock serializes
-- concurrent appends so the chain never forks; the server's clock stamps the time.
CREATE FUNCTION core.audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('core.audit_events:' || NEW.org_id::text, 0));
    SELECT seq, hash INTO last_seq, last_hash
    FROM core.audit_events WHERE org_id = NEW.org_id ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.occurred_at := date_trunc('microseconds', clock_timestamp());
    NEW.hash := core.audit_event_digest(NEW);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_events_chain BEFORE INSERT ON core.audit_events
    FOR EACH ROW EXECUTE FUNCTION core.audit_events_chain();

CREATE FUNCTION core.reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON core.audit_events
    FOR EACH ROW EXECUTE FUNCTION core.reject_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON core.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION core.reject_change();

-- Electronic signatures, bound to the record's content hash at the moment of signing.
CREATE TABLE core.signatures (
    signature_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES core.organizations (org_id),
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    signer_id    uuid NOT NULL REFERENCES core.users (user_id),
    signer_name  text NOT NULL,
    meaning      text NOT NULL CHECK (meaning IN ('Approved', 'Reviewed', 'Responsible')),
    signed_at    timestamptz NOT NULL DEFAULT now(),
    record_hash  text NOT NULL,
    comment      text,
    audit_seq    bigint NOT NULL
);
CREATE INDEX signatures_entity ON core.signatures (org_id, entity_type, entity_id);
SELECT core.enable_tenant_rls('core.signatures', 'SELECT, INSERT');
CREATE TRIGGER signatures_no_update BEFORE UPDATE OR DELETE ON core.signatures
    FOR EACH ROW EXECUTE FUNCTION core.reject_change();
