CREATE TABLE hello.guest_book (
    entry_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    message    text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
    signed_by  uuid NOT NULL,
    signed_at  timestamptz NOT NULL
);
SELECT core.enable_tenant_rls('hello.guest_book');
