-- Failed sign-ins slow down the one login from the one client address that failed, with growing
-- delays, instead of locking the account for everyone (ADR 0011). Unknown organizations and logins
-- are throttled exactly like known ones, so the answers never tell them apart. Owner-only; the
-- application reaches it through the three functions below.
CREATE TABLE core.sign_in_throttle (
    scope           text NOT NULL,
    login           text NOT NULL,
    client          bytea NOT NULL,
    failures        integer NOT NULL,
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz,
    PRIMARY KEY (scope, login, client)
);
REVOKE ALL ON core.sign_in_throttle FROM PUBLIC;

-- When the next attempt of this login from this client may be checked (null: now).
CREATE FUNCTION core.sign_in_blocked_until(p_scope text, p_login text, p_client bytea) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = core, pg_temp
AS $$ SELECT blocked_until FROM core.sign_in_throttle
      WHERE scope = lower(p_scope) AND login = lower(p_login) AND client = p_client AND blocked_until > clock_timestamp() $$;

-- Counts a failure; after p_free failures each one doubles the wait, from p_base up to p_max seconds.
CREATE FUNCTION core.sign_in_failed(p_scope text, p_login text, p_client bytea, p_free integer, p_base double precision, p_max double precision)
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = core, pg_temp AS $$
DECLARE
    result timestamptz;
    failed integer;
BEGIN
    -- Forget old failures now and then, so the table holds only recent ones.
    IF random() < 0.01 THEN
        DELETE FROM core.sign_in_throttle WHERE last_failure_at < clock_timestamp() - interval '1 day';
    END IF;
    INSERT INTO core.sign_in_throttle AS t (scope, login, client, failures, last_failure_at)
    VALUES (lower(p_scope), lower(p_login), p_client, 1, clock_timestamp())
    ON CONFLICT (scope, login, client) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at < clock_timestamp() - interval '1 day' THEN 1 ELSE t.failures + 1 END,
        last_failure_at = clock_timestamp()
    RETURNING failures INTO failed;
    UPDATE core.sign_in_throttle SET blocked_until = CASE
            WHEN failed > p_free THEN clock_timestamp() + make_interval(secs => least(p_max, p_base * power(2, failed - p_free - 1)))
        END
    WHERE scope = lower(p_scope) AND login = lower(p_login) AND client = p_client
    RETURNING blocked_until INTO result;
    RETURN result;
END $$;

CREATE FUNCTION core.sign_in_succeeded(p_scope text, p_login text, p_client bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = core, pg_temp
AS $$ DELETE FROM core.sign_in_throttle WHERE scope = lower(p_scope) AND login = lower(p_login) AND client = p_client $$;

-- An administrator lifts the throttle of one of the bound tenant's logins, from every address.
CREATE FUNCTION core.sign_in_forget(p_login text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = core, pg_temp
AS $$ DELETE FROM core.sign_in_throttle
      WHERE login = lower(p_login) AND scope = (SELECT slug FROM core.org_directory WHERE org_id = core.current_org_id()) $$;

REVOKE ALL ON FUNCTION core.sign_in_blocked_until(text, text, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION core.sign_in_failed(text, text, bytea, integer, double precision, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION core.sign_in_succeeded(text, text, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION core.sign_in_forget(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.sign_in_blocked_until(text, text, bytea) TO qms_runtime;
GRANT EXECUTE ON FUNCTION core.sign_in_failed(text, text, bytea, integer, double precision, double precision) TO qms_runtime;
GRANT EXECUTE ON FUNCTION core.sign_in_succeeded(text, text, bytea) TO qms_runtime;
GRANT EXECUTE ON FUNCTION core.sign_in_forget(text) TO qms_runtime;
