using Npgsql;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record NewSite(string Code, string Name);

public sealed record NewUser(string Login, string DisplayName, string Role, string? Password, string? SiteCode = null, string? Email = null);

public sealed record ProvisionedTenant(Guid OrgId, IReadOnlyDictionary<string, Guid> SiteIds, IReadOnlyDictionary<string, Guid> UserIds);

/// <summary>Creates organizations with their sites and users, and issues API keys. Used by seeding, the admin API and tests.</summary>
public sealed class TenantProvisioner(QmsDataSources dataSources)
{
    public async Task<ProvisionedTenant> CreateAsync(
        string name, string slug, IReadOnlyList<NewSite> sites, IReadOnlyList<NewUser> users, CancellationToken cancellationToken,
        AuditActor? actor = null)
    {
        actor ??= AuditActor.System;
        var orgId = Guid.NewGuid();
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        await using (var command = session.CreateCommand("INSERT INTO core.organizations (org_id, name, slug) VALUES (@id, @name, @slug)"))
        {
            command.Parameters.AddWithValue("id", orgId);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("slug", slug);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var siteIds = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var site in sites)
        {
            await using var command = session.CreateCommand("INSERT INTO core.sites (org_id, code, name) VALUES (@org, @code, @name) RETURNING site_id");
            command.Parameters.AddWithValue("org", orgId);
            command.Parameters.AddWithValue("code", site.Code);
            command.Parameters.AddWithValue("name", site.Name);
            siteIds[site.Code] = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        var userIds = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            userIds[user.Login] = await InsertUserAsync(session, user, siteIds, cancellationToken);
        }
        await AuditTrail.AppendAsync(session, new AuditEntry("tenant.created", "organization", orgId.ToString())
        {
            After = new { name, slug, sites = sites.Select(s => s.Code), users = users.Select(u => new { u.Login, u.Role }) },
        }, actor.UserId, actor.Name, actor.CorrelationId, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new ProvisionedTenant(orgId, siteIds, userIds);
    }

    /// <summary>
    /// The one way a user row is written (tenant creation, the users API, seeding). Enforces the role
    /// list and the password policy; throws <see cref="UnknownSiteException"/> and <see cref="LoginTakenException"/>
    /// for what only the database can tell.
    /// </summary>
    internal static async Task<Guid> InsertUserAsync(TenantSession session, NewUser user, IReadOnlyDictionary<string, Guid>? siteIds, CancellationToken cancellationToken)
    {
        if (!Roles.IsRole(user.Role))
        {
            throw new ArgumentException($"'{user.Role}' is not a role. Roles: {string.Join(", ", Roles.All)}.", nameof(user));
        }
        var login = user.Login.Trim().ToLowerInvariant();
        if (user.Password is not null && PasswordPolicy.Check(login, user.Password) is { } weak)
        {
            throw new ArgumentException(weak, nameof(user));
        }
        Guid? siteId = null;
        if (user.SiteCode is not null)
        {
            siteId = siteIds is not null && siteIds.TryGetValue(user.SiteCode, out var known)
                ? known
                : await FindSiteAsync(session, user.SiteCode, cancellationToken) ?? throw new UnknownSiteException(user.SiteCode);
        }
        await using var command = session.CreateCommand("""
            INSERT INTO core.users (org_id, site_id, login, display_name, email, role, password_hash)
            VALUES (@org, @site, @login, @name, @email, @role, @hash) RETURNING user_id
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("site", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)siteId ?? DBNull.Value);
        command.Parameters.AddWithValue("login", login);
        command.Parameters.AddWithValue("name", user.DisplayName);
        command.Parameters.AddWithValue("email", NpgsqlTypes.NpgsqlDbType.Text, (object?)user.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("role", user.Role);
        command.Parameters.AddWithValue("hash", NpgsqlTypes.NpgsqlDbType.Text, user.Password is null ? DBNull.Value : PasswordSignIn.HashPassword(user.Password));
        // A savepoint keeps the caller's transaction usable after a duplicate login, so it can answer 409.
        await session.Transaction.SaveAsync("insert_user", cancellationToken);
        try
        {
            var userId = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
            await session.Transaction.ReleaseAsync("insert_user", cancellationToken);
            return userId;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await session.Transaction.RollbackAsync("insert_user", cancellationToken);
            throw new LoginTakenException(login, ex);
        }
    }

    /// <summary>The id of the session tenant's site with <paramref name="code"/>, or null.</summary>
    internal static async Task<Guid?> FindSiteAsync(TenantSession session, string code, CancellationToken cancellationToken)
    {
        await using var find = session.CreateCommand("SELECT site_id FROM core.sites WHERE code = @code");
        find.Parameters.AddWithValue("code", code);
        return await find.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    /// <summary>Issues an API key for a user; returns the token, which is shown once and never stored.</summary>
    public async Task<(Guid KeyId, string Token)> CreateApiKeyAsync(
        Guid orgId, Guid userId, string name, string role, DateTimeOffset? expiresAt, CancellationToken cancellationToken,
        string? fixedToken = null, AuditActor? actor = null)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, userId, cancellationToken);
        var created = await InsertApiKeyAsync(session, userId, name, role, expiresAt, fixedToken, actor ?? AuditActor.System, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>The one way an API key row is written; the audit event names <paramref name="actor"/>, who issued the key.</summary>
    internal static async Task<(Guid KeyId, string Token)> InsertApiKeyAsync(
        TenantSession session, Guid userId, string name, string role, DateTimeOffset? expiresAt, string? fixedToken, AuditActor actor,
        CancellationToken cancellationToken)
    {
        if (!Roles.IsRole(role))
        {
            throw new ArgumentException($"'{role}' is not a role. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }
        ApiKeyToken token;
        if (fixedToken is not null)
        {
            token = ApiKeyToken.TryParse(fixedToken, out var parsed)
                ? parsed.Value
                : throw new ArgumentException("The given API key is not of the form qms_<32 hex>_<43 base64url characters>.");
        }
        else
        {
            token = ApiKeyToken.Create(Guid.NewGuid());
        }
        await using var command = session.CreateCommand("""
            INSERT INTO core.api_keys (key_id, org_id, user_id, name, role, secret_hash, expires_at)
            VALUES (@id, @org, @user, @name, @role, @hash, @expires)
            """);
        command.Parameters.AddWithValue("id", token.KeyId);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("hash", token.SecretHash());
        command.Parameters.AddWithValue("expires", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)expiresAt ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await AuditTrail.AppendAsync(session, new AuditEntry("apikey.created", "api-key", token.KeyId.ToString())
        {
            After = new { name, role, userId, expiresAt },
        }, actor.UserId, actor.Name, actor.CorrelationId, cancellationToken);
        return (token.KeyId, token.ToString());
    }
}

/// <summary>A user names a site code the tenant does not have.</summary>
public sealed class UnknownSiteException(string siteCode) : Exception($"No site with code '{siteCode}'.")
{
    public string SiteCode { get; } = siteCode;
}

/// <summary>The login belongs to another user of the same organization (logins are unique per organization, ADR 0011).</summary>
public sealed class LoginTakenException(string login, Exception inner) : Exception($"This organization already has a user with the login '{login}'.", inner)
{
    public string Login { get; } = login;
}
