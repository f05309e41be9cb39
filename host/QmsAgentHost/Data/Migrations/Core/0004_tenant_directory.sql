-- Work that spans tenants (scheduled plugin jobs) or names a tenant before one is set (the
-- `audit verify --org acme` verb) must find tenants that forced row-level security hides even from
-- the owner. As for logins (0002), an owner-only directory maps each organization to its slug and
-- nothing else. The application role gets no access: plugin code runs as that role.
CREATE TABLE core.org_directory (
    org_id uuid PRIMARY KEY,
    slug   text NOT NULL UNIQUE
);
REVOKE ALL ON core.org_directory FROM PUBLIC;

CREATE FUNCTION core.sync_org_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM core.org_directory WHERE org_id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO core.org_directory (org_id, slug) VALUES (NEW.org_id, NEW.slug);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_directory AFTER INSERT OR UPDATE OF slug, org_id OR DELETE ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.sync_org_directory();

-- Organizations created before this migration. FORCE is lifted only inside this migration's transaction.
ALTER TABLE core.organizations NO FORCE ROW LEVEL SECURITY;
INSERT INTO core.org_directory (org_id, slug) SELECT org_id, slug FROM core.organizations;
ALTER TABLE core.organizations FORCE ROW LEVEL SECURITY;

-- Every tenant, for the scheduler. Only the owner role (which runs the scheduler) may call it.
CREATE FUNCTION core.list_org_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT org_id FROM core.org_directory ORDER BY org_id $$;
REVOKE ALL ON FUNCTION core.list_org_ids() FROM PUBLIC;
