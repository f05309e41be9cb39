-- Command-line verbs such as `audit verify --org acme` name a tenant by its slug before any tenant
-- is set. Forced row-level security hides core.organizations even from its owner then, so, as for
-- logins (0002), an owner-only directory maps a slug to its organization and nothing else. The
-- application role gets no access: plugin code runs as that role and has no need to list tenants.
CREATE TABLE core.org_directory (
    slug   text PRIMARY KEY,
    org_id uuid NOT NULL UNIQUE
);
REVOKE ALL ON core.org_directory FROM PUBLIC;

CREATE FUNCTION core.sync_org_directory() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM core.org_directory WHERE org_id = OLD.org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO core.org_directory (slug, org_id) VALUES (NEW.slug, NEW.org_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_directory AFTER INSERT OR UPDATE OF slug, org_id OR DELETE ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.sync_org_directory();

-- Organizations created before this migration. FORCE is lifted only inside this migration's transaction.
ALTER TABLE core.organizations NO FORCE ROW LEVEL SECURITY;
INSERT INTO core.org_directory (slug, org_id) SELECT slug, org_id FROM core.organizations;
ALTER TABLE core.organizations FORCE ROW LEVEL SECURITY;
