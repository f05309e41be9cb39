CREATE TABLE seeding.samples (
    org_id   uuid NOT NULL DEFAULT core.current_org_id(),
    sample_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seed     text NOT NULL,
    name     text NOT NULL
);
SELECT core.enable_tenant_rls('seeding.samples');
