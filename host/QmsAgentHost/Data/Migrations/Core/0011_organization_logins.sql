-- Logins belong to an organization (ADR 0011): two tenants may each have admin@example.com, and
-- creating a user never tells one tenant that a login exists in another. Sign-in names the
-- organization by its slug, so the cross-tenant login directory of 0002 goes away.
ALTER TABLE core.users DROP CONSTRAINT users_login_key;
ALTER TABLE core.users ADD CONSTRAINT users_org_login_key UNIQUE (org_id, login);
DROP TRIGGER users_login_directory ON core.users;
DROP FUNCTION core.sync_login_directory();
DROP FUNCTION core.resolve_login(text);
DROP TABLE core.login_directory;

-- The tenant directory (0004) also carries each organization's name and whether it is disabled.
-- A disabled organization is refused everywhere: sign-in, API keys, sessions and scheduled jobs.
-- Only the owner role can change it (the tenant CLI verbs); the application role cannot read it.
ALTER TABLE core.org_directory
    ADD COLUMN name text,
    ADD COLUMN created_at timestamptz,
    ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE core.organizations NO FORCE ROW LEVEL SECURITY;
UPDATE core.org_directory d SET name = o.name, created_at = o.created_at FROM core.organizations o WHERE o.org_id = d.org_id;
ALTER TABLE core.organizations FORCE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION core.sync_org_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM core.org_directory WHERE org_id = OLD.org_id;
        RETURN NULL;
    END IF;
    INSERT INTO core.org_directory (org_id, slug, name, created_at) VALUES (NEW.org_id, NEW.slug, NEW.name, NEW.created_at)
    ON CONFLICT (org_id) DO UPDATE SET slug = excluded.slug, name = excluded.name;
    RETURN NULL;
END $$;
DROP TRIGGER organizations_directory ON core.organizations;
CREATE TRIGGER organizations_directory AFTER INSERT OR UPDATE OF slug, name OR DELETE ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.sync_org_directory();

-- The organization's own name may change through the application; nothing else of the row.
REVOKE UPDATE ON core.organizations FROM qms_runtime;
GRANT UPDATE (name) ON core.organizations TO qms_runtime;

CREATE FUNCTION core.resolve_org(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.org_directory WHERE slug = lower(p_slug) AND NOT disabled $$;
REVOKE ALL ON FUNCTION core.resolve_org(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.resolve_org(text) TO qms_runtime;

CREATE OR REPLACE FUNCTION core.resolve_api_key(p_key_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT k.org_id FROM core.api_key_directory k JOIN core.org_directory d ON d.org_id = k.org_id
      WHERE k.key_id = p_key_id AND NOT d.disabled $$;

CREATE FUNCTION core.organization_enabled(p_org uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM core.org_directory WHERE org_id = p_org AND NOT disabled) $$;
REVOKE ALL ON FUNCTION core.organization_enabled(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.organization_enabled(uuid) TO qms_runtime;

CREATE OR REPLACE FUNCTION core.list_org_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.org_directory WHERE NOT disabled ORDER BY org_id $$;
