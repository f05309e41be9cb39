using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>Create the demo tenant "Acme Manufacturing" on start when it is missing.</summary>
    public bool DemoTenant { get; set; } = true;

    /// <summary>Every demo user's password (env <c>QMS_DEMO_PASSWORD</c>). Empty: a random one, logged once.</summary>
    public string DemoPassword { get; set; } = "";

    /// <summary>
    /// Apply the plugins' seeds after start-up, in the background: starter data to every tenant, and
    /// sample data to the demo tenant when <see cref="DemoTenant"/> is on.
    /// </summary>
    public bool PluginSeeds { get; set; } = true;

    /// <summary>An API key token to give the demo Owner (env <c>QMS_DEMO_API_KEY</c>), in the form the host issues.</summary>
    public string DemoApiKey { get; set; } = "";
}

/// <summary>
/// Seeds the demo tenant on first start: "Acme Manufacturing" with sites Detroit and Monterrey and one
/// user per role. Idempotent (skips when owner@acme.example exists) and safe with several nodes
/// starting at once (an advisory lock). When a demo API key is configured it becomes the Owner's key.
/// </summary>
internal sealed partial class DemoTenantSeeder(
    QmsDataSources dataSources, TenantProvisioner provisioner, IOptions<SeedOptions> options, ILogger<DemoTenantSeeder> logger) : IStartupTask
{
    public const string OwnerLogin = "owner@acme.example";

    public const string Slug = "acme";

    public static IReadOnlyList<NewSite> Sites { get; } = [new("DET", "Detroit"), new("MTY", "Monterrey")];

    /// <summary>Login, display name, role, site.</summary>
    public static IReadOnlyList<(string Login, string DisplayName, string Role, string Site)> Users { get; } =
    [
        (OwnerLogin, "Olivia Owner", Roles.Owner, "DET"),
        ("admin@acme.example", "Adam Admin", Roles.Admin, "DET"),
        ("manager@acme.example", "Maria Manager", Roles.Manager, "MTY"),
        ("analyst@acme.example", "Ana Analyst", Roles.Analyst, "MTY"),
        ("viewer@acme.example", "Victor Viewer", Roles.Viewer, "DET"),
        ("auditor@acme.example", "Audrey Auditor", Roles.Auditor, "MTY"),
    ];

    public int Order => 300;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var seed = options.Value;
        if (!seed.DemoTenant)
        {
            return;
        }
        ApiKeyToken? apiKey = null;
        if (!string.IsNullOrWhiteSpace(seed.DemoApiKey))
        {
            apiKey = ApiKeyToken.TryParse(seed.DemoApiKey.Trim(), out var parsed)
                ? parsed
                : throw new InvalidOperationException(
                    "Seed:DemoApiKey (env QMS_DEMO_API_KEY) is not a QMS API key: expected qms_<32 hex characters>_<43 base64url characters>.");
        }

        await using var held = await SessionLock.AcquireAsync(dataSources.App, "qms:demo-tenant-seed", cancellationToken);
        var (orgId, ownerId) = await FindOwnerAsync(cancellationToken) ?? await CreateTenantAsync(seed, cancellationToken);
        if (apiKey is not null)
        {
            await EnsureApiKeyAsync(orgId, ownerId, apiKey.Value, cancellationToken);
        }
    }

    private async Task<(Guid OrgId, Guid OwnerId)> CreateTenantAsync(SeedOptions seed, CancellationToken cancellationToken)
    {
        var password = seed.DemoPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = "Demo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            LogGeneratedPassword(password);
        }
        else if (PasswordPolicy.Check(null, password) is { } weak)
        {
            throw new InvalidOperationException($"Seed:DemoPassword (env QMS_DEMO_PASSWORD) is refused: {weak}");
        }
        var tenant = await provisioner.CreateAsync("Acme Manufacturing", Slug, Sites,
            [.. Users.Select(u => new NewUser(u.Login, u.DisplayName, u.Role, password, u.Site, u.Login))], cancellationToken);
        LogSeeded(tenant.OrgId);
        return (tenant.OrgId, tenant.UserIds[OwnerLogin]);
    }

    private async Task<(Guid OrgId, Guid OwnerId)?> FindOwnerAsync(CancellationToken cancellationToken)
    {
        if (await dataSources.ResolveOrganizationAsync(Slug, cancellationToken) is not { } orgId)
        {
            return null;
        }
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        await using var command = session.CreateCommand("SELECT user_id FROM core.users WHERE login = @login");
        command.Parameters.AddWithValue("login", OwnerLogin);
        var ownerId = await command.ExecuteScalarAsync(cancellationToken) as Guid?;
        await session.CommitAsync(cancellationToken);
        return ownerId is null ? null : (orgId, ownerId.Value);
    }

    private async Task EnsureApiKeyAsync(Guid orgId, Guid ownerId, ApiKeyToken token, CancellationToken cancellationToken)
    {
        if (await dataSources.ResolveApiKeyAsync(token.KeyId, cancellationToken) is { } existingOrg)
        {
            if (existingOrg != orgId)
            {
                throw new InvalidOperationException(
                    "Seed:DemoApiKey (env QMS_DEMO_API_KEY) has the key id of an API key of another organization; choose another key.");
            }
            return;
        }
        await provisioner.CreateApiKeyAsync(orgId, ownerId, "Demo key (QMS_DEMO_API_KEY)", Roles.Owner, null, cancellationToken, token.ToString());
        LogApiKeyCreated(token.KeyId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seed:DemoPassword (env QMS_DEMO_PASSWORD) is empty; every demo user of Acme Manufacturing got this generated password: {Password}")]
    private partial void LogGeneratedPassword(string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo tenant Acme Manufacturing ({OrgId}) with one user per role")]
    private partial void LogSeeded(Guid orgId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo Owner's API key {KeyId} was created from Seed:DemoApiKey")]
    private partial void LogApiKeyCreated(Guid keyId);
}
