-- Deliberately wrong: a tenant table with no row-level security policy. The host must refuse the plugin.
CREATE TABLE unprotected.notes (
    note_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id  uuid NOT NULL,
    body    text NOT NULL
);
