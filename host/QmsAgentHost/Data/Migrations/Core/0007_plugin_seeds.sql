-- Which version of each plugin seed a tenant has received (demo sample data, starter data).
CREATE TABLE core.plugin_seeds (
    org_id     uuid NOT NULL REFERENCES core.organizations (org_id),
    plugin_id  text NOT NULL,
    seed_name  text NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    seeded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, plugin_id, seed_name)
);
SELECT core.enable_tenant_rls('core.plugin_seeds', 'SELECT, INSERT, UPDATE');
