-- Tenancy foundation: the tenant setting, the standard row-level security policy, organizations and sites.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qms_runtime') THEN
        RAISE EXCEPTION 'Role qms_runtime is missing. Create it (CREATE ROLE qms_runtime NOLOGIN) and GRANT it to the application login role; see docs/operations.md.';
    END IF;
END $$;

CREATE EXTENSION IF NOT EXISTS vector;

-- The tenant of the current transaction, set by the host with set_config('app.org_id', ..., true).
-- NULL when unset: every policy then compares with NULL and matches nothing.
CREATE FUNCTION core.current_org_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;

CREATE FUNCTION core.current_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- The standard tenant policy. Every tenant-owned table (host and plugins) calls this in its migration:
--   SELECT core.enable_tenant_rls('myschema.mytable');
-- The table must have an org_id uuid column. RLS is forced, so even the table owner is subject to it.
CREATE FUNCTION core.enable_tenant_rls(target regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
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
    EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (org_id = core.current_org_id()) WITH CHECK (org_id = core.current_org_id())', target);
    EXECUTE format('GRANT %s ON %s TO qms_runtime', privileges, target);
END $$;

CREATE TABLE core.organizations (
    org_id     uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);
SELECT core.enable_tenant_rls('core.organizations', 'SELECT, INSERT, UPDATE');

CREATE TABLE core.sites (
    site_id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid NOT NULL REFERENCES core.organizations (org_id),
    code       text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,32}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, code)
);
SELECT core.enable_tenant_rls('core.sites');

-- Which plugins each tenant has switched off (all loaded plugins are on by default).
CREATE TABLE core.plugin_settings (
    org_id     uuid NOT NULL REFERENCES core.organizations (org_id),
    plugin_id  text NOT NULL,
    enabled    boolean NOT NULL DEFAULT true,
    settings   jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, plugin_id)
);
SELECT core.enable_tenant_rls('core.plugin_settings');
