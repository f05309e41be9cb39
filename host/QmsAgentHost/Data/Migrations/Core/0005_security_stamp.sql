-- A session (cookie) carries the user's security stamp from the moment of sign-in; every request
-- compares it with the stored one. Changing the password changes the stamp, so every session
-- opened with the old password ends at its next request, whichever code path changed it.
ALTER TABLE core.users ADD COLUMN security_stamp uuid NOT NULL DEFAULT gen_random_uuid();

CREATE FUNCTION core.rotate_security_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.password_hash IS DISTINCT FROM OLD.password_hash OR NEW.external_subject IS DISTINCT FROM OLD.external_subject THEN
        NEW.security_stamp := gen_random_uuid();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_rotate_security_stamp BEFORE UPDATE OF password_hash, external_subject ON core.users
    FOR EACH ROW EXECUTE FUNCTION core.rotate_security_stamp();
