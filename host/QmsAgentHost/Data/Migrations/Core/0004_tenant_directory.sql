-- Work that spans tenants (scheduled plugin jobs, the audit CLI) must find the tenants without
-- being able to read them. This directory lists each organization's id and slug, nothing else, and
-- is readable only through the functions below.
CREATE TABLE core.org_directory (
    org_id uuid PRIMARY KEY,
    slug   text NOT NULL UNIQUE
);
REVOKE ALL ON core.org_directory FROM PUBLIC;

CREATE FUNCTION core.sync_org_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    INSERT INTO core.org_directory (org_id, slug) VALUES (NEW.org_id, NEW.slug)
    ON CONFLICT (org_id) DO UPDATE SET slug = EXCLUDED.slug;
    RETURN NULL;
END $$;
-- Existing tenants: the owner is subject to the forced policy, so lift it for this one statement.
ALTER TABLE core.organizations NO FORCE ROW LEVEL SECURITY;
INSERT INTO core.org_directory (org_id, slug) SELECT org_id, slug FROM core.organizations;
ALTER TABLE core.organizations FORCE ROW LEVEL SECURITY;

CREATE TRIGGER organizations_directory AFTER INSERT OR UPDATE OF slug ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.sync_org_directory();

-- Every tenant, for the scheduler. Only the owner role (which runs the scheduler) may call it.
CREATE FUNCTION core.list_org_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.org_directory ORDER BY org_id $$;
REVOKE ALL ON FUNCTION core.list_org_ids() FROM PUBLIC;

-- A tenant's id from its slug, for operators' command-line tools.
CREATE FUNCTION core.resolve_org_slug(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.org_directory WHERE slug = lower(p_slug) $$;
REVOKE ALL ON FUNCTION core.resolve_org_slug(text) FROM PUBLIC;
