-- Users, role -> permission overrides, API keys, signing tokens.
CREATE TABLE core.users (
    user_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES core.organizations (org_id),
    site_id         uuid REFERENCES core.sites (site_id),
    login           text NOT NULL CHECK (login = lower(login) AND length(login) BETWEEN 3 AND 254),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    email           text,
    role            text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Analyst', 'Viewer', 'Auditor')),
    password_hash   text,
    external_subject text,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (login)
);
SELECT core.enable_tenant_rls('core.users');

-- Sign-in starts before the tenant is known. This directory maps a login (or an API key id) to its
-- tenant and nothing else; the application role cannot read it, only ask the two functions below.
CREATE TABLE core.login_directory (
    login  text PRIMARY KEY,
    org_id uuid NOT NULL
);
REVOKE ALL ON core.login_directory FROM PUBLIC;

CREATE FUNCTION core.sync_login_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM core.login_directory WHERE login = OLD.login;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO core.login_directory (login, org_id) VALUES (NEW.login, NEW.org_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_login_directory AFTER INSERT OR UPDATE OF login, org_id OR DELETE ON core.users
    FOR EACH ROW EXECUTE FUNCTION core.sync_login_directory();

CREATE FUNCTION core.resolve_login(p_login text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.login_directory WHERE login = lower(p_login) $$;
REVOKE ALL ON FUNCTION core.resolve_login(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.resolve_login(text) TO qms_runtime;

-- Per-tenant edits of the built-in role -> permission map (the defaults live in code and in plugin manifests).
CREATE TABLE core.role_permissions (
    org_id     uuid NOT NULL REFERENCES core.organizations (org_id),
    role       text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Analyst', 'Viewer', 'Auditor')),
    permission text NOT NULL CHECK (permission ~ '^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$'),
    granted    boolean NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, role, permission)
);
SELECT core.enable_tenant_rls('core.role_permissions');

CREATE TABLE core.api_keys (
    key_id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES core.organizations (org_id),
    user_id      uuid NOT NULL REFERENCES core.users (user_id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role         text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Analyst', 'Viewer', 'Auditor')),
    secret_hash  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
SELECT core.enable_tenant_rls('core.api_keys');

CREATE TABLE core.api_key_directory (
    key_id uuid PRIMARY KEY,
    org_id uuid NOT NULL
);
REVOKE ALL ON core.api_key_directory FROM PUBLIC;

CREATE FUNCTION core.sync_api_key_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    INSERT INTO core.api_key_directory (key_id, org_id) VALUES (NEW.key_id, NEW.org_id);
    RETURN NULL;
END $$;
CREATE TRIGGER api_keys_directory AFTER INSERT ON core.api_keys
    FOR EACH ROW EXECUTE FUNCTION core.sync_api_key_directory();

CREATE FUNCTION core.resolve_api_key(p_key_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.api_key_directory WHERE key_id = p_key_id $$;
REVOKE ALL ON FUNCTION core.resolve_api_key(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.resolve_api_key(uuid) TO qms_runtime;

-- Single-use, short-lived tokens an API caller obtains with a password to sign a record.
CREATE TABLE core.signing_tokens (
    token_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid NOT NULL REFERENCES core.organizations (org_id),
    user_id    uuid NOT NULL REFERENCES core.users (user_id),
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
SELECT core.enable_tenant_rls('core.signing_tokens');

-- ASP.NET Core data-protection keys (cookie encryption), shared by every node. Read with the owner role only.
CREATE TABLE core.data_protection_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL,
    xml          text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON core.data_protection_keys FROM PUBLIC;
