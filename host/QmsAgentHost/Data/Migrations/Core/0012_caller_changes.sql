-- Nodes cache who a caller is (user, role, permissions, switched-off plugins, API key). Whatever
-- changes that, by whichever path (API, CLI, SQL, another node), notifies channel qms_callers with
-- the organization's id at commit, and every node drops that organization's cached callers at once.
CREATE FUNCTION core.notify_caller_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('qms_callers', (CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END)::text);
    RETURN NULL;
END $$;

CREATE TRIGGER users_caller_change
    AFTER UPDATE OF role, disabled, security_stamp, password_hash, external_subject, site_id, display_name, org_id OR DELETE ON core.users
    FOR EACH ROW EXECUTE FUNCTION core.notify_caller_change();
CREATE TRIGGER api_keys_caller_change AFTER UPDATE OF revoked_at, expires_at, role, user_id OR DELETE ON core.api_keys
    FOR EACH ROW EXECUTE FUNCTION core.notify_caller_change();
CREATE TRIGGER role_permissions_caller_change AFTER INSERT OR UPDATE OR DELETE ON core.role_permissions
    FOR EACH ROW EXECUTE FUNCTION core.notify_caller_change();
CREATE TRIGGER plugin_settings_caller_change AFTER INSERT OR UPDATE OR DELETE ON core.plugin_settings
    FOR EACH ROW EXECUTE FUNCTION core.notify_caller_change();
CREATE TRIGGER org_directory_caller_change AFTER UPDATE OR DELETE ON core.org_directory
    FOR EACH ROW EXECUTE FUNCTION core.notify_caller_change();
