using System.Security.Cryptography;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record TenantSummary(Guid OrgId, string Slug, string? Name, bool Disabled, DateTimeOffset? CreatedAt);

public sealed record CreatedTenant(
    Guid OrgId, string Slug, string Name, IReadOnlyList<SiteDto> Sites, CreatedOwner Owner, string? ApiKey);

/// <param name="Password">The generated password, shown once; null when it was read from a file.</param>
/// <param name="Login">The Owner's login.</param>
/// <param name="UserId">The Owner's user id.</param>
/// <param name="PasswordSource"><c>generated</c> or <c>file</c>.</param>
public sealed record CreatedOwner(Guid UserId, string Login, string? Password, string PasswordSource);

/// <summary>The tenant cannot be found, is taken, or the request is not acceptable; the message says which.</summary>
public sealed class TenantAdministrationException(string message) : Exception(message);

/// <summary>
/// What a consultant does to provision and look after client organizations, from the command line
/// (<c>tenant</c> and <c>site</c> verbs). It works with the owner role on the tenant directory and as
/// the tenant itself for the tenant's own rows; every change, and every listing, is audited in the
/// tenant's own chain, naming the operating-system user who ran the verb.
/// </summary>
internal sealed class TenantAdministration(QmsDataSources dataSources, TenantProvisioner provisioner)
{
    public async Task<CreatedTenant> CreateAsync(
        string name, string slug, string ownerLogin, IReadOnlyList<NewSite> sites, string? ownerPassword, bool withApiKey, AuditActor actor,
        CancellationToken cancellationToken)
    {
        slug = slug.Trim().ToLowerInvariant();
        if (await FindAsync(slug, cancellationToken) is not null)
        {
            throw new TenantAdministrationException($"An organization with slug '{slug}' exists already.");
        }
        var generated = ownerPassword is null;
        var password = ownerPassword ?? GeneratePassword();
        var login = ownerLogin.Trim().ToLowerInvariant();
        if (PasswordPolicy.Check(login, password) is { } weak)
        {
            throw new TenantAdministrationException($"The owner's password is refused: {weak}");
        }
        var owner = new NewUser(login, login.Split('@')[0], Roles.Owner, password, Email: login.Contains('@', StringComparison.Ordinal) ? login : null);
        ProvisionedTenant tenant;
        try
        {
            tenant = await provisioner.CreateAsync(name.Trim(), slug, sites, [owner], cancellationToken, actor);
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState is Npgsql.PostgresErrorCodes.CheckViolation or Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            throw new TenantAdministrationException(
                $"The organization was not created: {ex.MessageText}. A slug is 1 to 63 lower-case letters, digits and dashes; a site code 1 to 32 letters, digits and dashes.");
        }
        var ownerId = tenant.UserIds[login];
        string? apiKey = null;
        if (withApiKey)
        {
            (_, apiKey) = await provisioner.CreateApiKeyAsync(tenant.OrgId, ownerId, "Owner key (tenant create)", Roles.Owner, null, cancellationToken, actor: actor);
        }
        await using var session = await dataSources.BeginTenantAsync(tenant.OrgId, null, cancellationToken);
        var created = await SiteDirectory.ListAsync(session, cancellationToken);
        return new CreatedTenant(tenant.OrgId, slug, name.Trim(), created, new CreatedOwner(ownerId, login, generated ? password : null, generated ? "generated" : "file"), apiKey);
    }

    public async Task<IReadOnlyList<TenantSummary>> ListAsync(AuditActor actor, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantSummary>();
        await using (var command = dataSources.Admin.CreateCommand("SELECT org_id, slug, name, disabled, created_at FROM core.org_directory ORDER BY slug"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tenants.Add(new TenantSummary(reader.GetGuid(reader.GetOrdinal("org_id")), reader.GetString(reader.GetOrdinal("slug")),
                    reader.IsDBNull(reader.GetOrdinal("name")) ? null : reader.GetString(reader.GetOrdinal("name")),
                    reader.GetBoolean(reader.GetOrdinal("disabled")),
                    reader.IsDBNull(reader.GetOrdinal("created_at")) ? null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at"))));
            }
        }
        // Who looked at the list of clients is itself on record, in each client's chain.
        foreach (var tenant in tenants)
        {
            await using var session = await dataSources.BeginOwnerTenantAsync(tenant.OrgId, cancellationToken);
            await AppendAsync(session, new AuditEntry("tenant.listed", "organization", tenant.OrgId.ToString()), actor, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        return tenants;
    }

    /// <summary>Disables or enables an organization: a disabled one is refused at sign-in, for API keys, sessions and jobs.</summary>
    public async Task<TenantSummary> SetDisabledAsync(string slug, bool disabled, AuditActor actor, CancellationToken cancellationToken)
    {
        var before = await FindAsync(slug, cancellationToken) ?? throw NotFound(slug);
        await using var session = await dataSources.BeginOwnerTenantAsync(before.OrgId, cancellationToken);
        await using (var command = session.CreateCommand("UPDATE core.org_directory SET disabled = @disabled WHERE org_id = @org"))
        {
            command.Parameters.AddWithValue("disabled", disabled);
            command.Parameters.AddWithValue("org", before.OrgId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var after = before with { Disabled = disabled };
        if (before.Disabled != disabled)
        {
            await AppendAsync(session, new AuditEntry(disabled ? "tenant.disabled" : "tenant.enabled", "organization", before.OrgId.ToString())
            {
                Before = new { before.Disabled },
                After = new { after.Disabled },
            }, actor, cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        return after;
    }

    public async Task<SiteDto> AddSiteAsync(string slug, string name, string? code, AuditActor actor, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(slug, cancellationToken) ?? throw NotFound(slug);
        code = string.IsNullOrWhiteSpace(code) ? SiteDirectory.CodeFrom(name) : code.Trim();
        if (!SiteDirectory.IsValidCode(code) || string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new TenantAdministrationException("A site needs a name (1 to 200 characters) and a code of 1 to 32 letters, digits or dashes (--code).");
        }
        await using var session = await dataSources.BeginTenantAsync(tenant.OrgId, null, cancellationToken);
        var site = await SiteDirectory.AddAsync(session, code, name.Trim(), cancellationToken)
            ?? throw new TenantAdministrationException($"Organization '{tenant.Slug}' already has a site with code '{code}'.");
        await AppendAsync(session, new AuditEntry("site.created", "site", site.Id.ToString()) { After = site }, actor, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return site;
    }

    /// <summary>The organization with <paramref name="slugOrId"/> (slug or uuid), disabled or not; null when there is none.</summary>
    public async Task<TenantSummary?> FindAsync(string slugOrId, CancellationToken cancellationToken)
    {
        var byId = Guid.TryParse(slugOrId, out var id);
        await using var command = dataSources.Admin.CreateCommand(
            $"SELECT org_id, slug, name, disabled, created_at FROM core.org_directory WHERE {(byId ? "org_id" : "slug")} = @key");
        command.Parameters.AddWithValue("key", byId ? id : slugOrId.Trim().ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TenantSummary(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    private static Task<AuditReceipt> AppendAsync(TenantSession session, AuditEntry entry, AuditActor actor, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(session, entry, actor.UserId, actor.Name, actor.CorrelationId, cancellationToken);

    private static TenantAdministrationException NotFound(string slug) => new($"No organization with slug or id '{slug}'.");

    // 18 random bytes: 24 base64url characters, well over the policy's minimum.
    private static string GeneratePassword() => ApiKeyToken.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
}
