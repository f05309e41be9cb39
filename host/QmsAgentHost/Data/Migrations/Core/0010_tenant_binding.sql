-- The tenant (and user) of a transaction, bound so that SQL on the application role cannot forge it
-- (ADR 0010). Before this migration, core.current_org_id() read the setting app.org_id, which any
-- statement can change with set_config(); a plugin's SQL injection could so switch tenants.
--
-- Now the binding is a row in core.tenant_bindings, which only the owner role can write, keyed by the
-- backend and the transaction's start time, so it ends with the transaction. It is written by
-- core.bind_tenant(), a SECURITY DEFINER function that demands the binding secret: a random value
-- kept in an owner-only table, which the host reads through its owner connection and the
-- application role can never read. Every policy reads the binding through core.current_org_id().

-- Unlogged: a binding lives for one transaction; after a crash there is none to recover.
CREATE UNLOGGED TABLE core.tenant_bindings (
    pid      integer PRIMARY KEY,
    bound_at timestamptz NOT NULL,
    org_id   uuid NOT NULL,
    user_id  uuid
);
REVOKE ALL ON core.tenant_bindings FROM PUBLIC;

CREATE TABLE core.binding_secret (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    secret text NOT NULL CHECK (length(secret) >= 32)
);
REVOKE ALL ON core.binding_secret FROM PUBLIC;
-- Two version-4 UUIDs carry 244 bits from the server's strong random source.
INSERT INTO core.binding_secret (secret)
VALUES (encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'));

CREATE FUNCTION core.bind_tenant(p_secret text, p_org uuid, p_user uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    IF p_secret IS NULL OR p_org IS NULL OR NOT EXISTS (SELECT 1 FROM core.binding_secret WHERE secret = p_secret) THEN
        RAISE EXCEPTION 'tenant binding refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO core.tenant_bindings (pid, bound_at, org_id, user_id)
    VALUES (pg_backend_pid(), transaction_timestamp(), p_org, p_user)
    ON CONFLICT (pid) DO UPDATE SET bound_at = excluded.bound_at, org_id = excluded.org_id, user_id = excluded.user_id;
END $$;
REVOKE ALL ON FUNCTION core.bind_tenant(text, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.bind_tenant(text, uuid, uuid) TO qms_runtime;

-- NULL outside a bound transaction (a new transaction has a new start time): every policy then
-- compares with NULL and matches nothing, as before.
CREATE OR REPLACE FUNCTION core.current_org_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.tenant_bindings WHERE pid = pg_backend_pid() AND bound_at = transaction_timestamp() $$;

CREATE OR REPLACE FUNCTION core.current_user_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT user_id FROM core.tenant_bindings WHERE pid = pg_backend_pid() AND bound_at = transaction_timestamp() $$;

-- The standard policy compares with (SELECT core.current_org_id()): an init plan, so the binding is
-- read once per statement instead of once per row (measured in ADR 0010).
CREATE OR REPLACE FUNCTION core.enable_tenant_rls(target regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'org_id' AND NOT attisdropped) THEN
        RAISE EXCEPTION 'Table % has no org_id column; tenant-owned tables need one', target;
    END IF;
    IF privileges !~ '^(SELECT|INSERT|UPDATE|DELETE)(, ?(SELECT|INSERT|UPDATE|DELETE))*$' THEN
        RAISE EXCEPTION 'privileges must be a list of SELECT, INSERT, UPDATE, DELETE';
    END IF;
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', target);
    EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (org_id = (SELECT core.current_org_id())) '
        || 'WITH CHECK (org_id = (SELECT core.current_org_id()))', target);
    EXECUTE format('GRANT %s ON %s TO qms_runtime', privileges, target);
END $$;

-- Policies made before this migration (host and plugin tables) take the same form.
DO $$
DECLARE
    p record;
BEGIN
    -- Compared as text without depending on search_path, which decides whether "core." is printed.
    FOR p IN SELECT polname, polrelid::regclass AS target FROM pg_policy
             WHERE polname = 'tenant_isolation'
               AND pg_get_expr(polqual, polrelid) ~ '^\(org_id = (core\.)?current_org_id\(\)\)$'
    LOOP
        EXECUTE format('ALTER POLICY %I ON %s USING (org_id = (SELECT core.current_org_id())) '
            || 'WITH CHECK (org_id = (SELECT core.current_org_id()))', p.polname, p.target);
    END LOOP;
END $$;
