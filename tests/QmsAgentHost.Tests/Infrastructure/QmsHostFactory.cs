using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Infrastructure;

/// <summary>
/// The real host (Program) on a test server, against a real PostgreSQL database and a real plugins folder.
/// </summary>
public sealed class QmsHostFactory(TestDatabase database, string pluginsDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Qms"] = database.AppConnectionString,
                ["ConnectionStrings:QmsAdmin"] = database.AdminConnectionString,
                ["Plugins:Directory"] = pluginsDirectory,
                ["Seed:DemoTenant"] = "false",
                ["SignIn:RateLimitPerMinute"] = "1000",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }
            configuration.AddInMemoryCollection(values);
        });
    }

    /// <summary>Creates a tenant with one user per role and returns an API client for each role.</summary>
    public async Task<TestTenant> CreateTenantAsync(string slug)
    {
        var provisioner = Services.GetRequiredService<TenantProvisioner>();
        var users = Roles.All.Select(role => new NewUser($"{role.ToLowerInvariant()}@{slug}.test", $"{role} of {slug}", role, TestTenant.Password, "MAIN")).ToList();
        var tenant = await provisioner.CreateAsync($"Tenant {slug}", slug, [new NewSite("MAIN", "Main plant")], users, CancellationToken.None);
        var keys = new Dictionary<string, string>();
        foreach (var role in Roles.All)
        {
            var userId = tenant.UserIds[$"{role.ToLowerInvariant()}@{slug}.test"];
            var (_, token) = await provisioner.CreateApiKeyAsync(tenant.OrgId, userId, $"{role} test key", role, null, CancellationToken.None);
            keys[role] = token;
        }
        return new TestTenant(this, slug, tenant.OrgId, tenant.UserIds, keys);
    }
}

/// <summary>A tenant made for one test: its id, its users and an API key per role.</summary>
public sealed record TestTenant(QmsHostFactory Factory, string Slug, Guid OrgId, IReadOnlyDictionary<string, Guid> UserIds, IReadOnlyDictionary<string, string> ApiKeys)
{
    public const string Password = "Correct-Horse-Battery-9";

    public string Login(string role) => $"{role.ToLowerInvariant()}@{Slug}.test";

    public Guid UserId(string role) => UserIds[Login(role)];

    public HttpClient ClientFor(string role)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeys[role]);
        return client;
    }
}
