using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
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
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, LoopbackClient>());
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

    /// <summary>
    /// Clients of the test server are the host's own pages as far as cross-site checks go: they send
    /// the site's Origin, as a browser does on a same-origin request (RequestGuard).
    /// </summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("Origin", "http://localhost");
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

    /// <summary>The organization of a test login (<c>role@slug.test</c>), as sign-in asks for it.</summary>
    public static string SlugOf(string login) => login.Split('@')[^1].Split('.')[0].ToLowerInvariant();

    public Guid UserId(string role) => UserIds[Login(role)];

    public HttpClient ClientFor(string role)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeys[role]);
        return client;
    }
}

/// <summary>
/// The test server has no TCP connection, so requests have no client address. Give them the
/// loopback address a local client has, so per-address rules (sign-in throttling, the rate limit)
/// and the trusted-proxy rule for X-Forwarded-For work as they do behind Kestrel.
/// </summary>
internal sealed class LoopbackClient : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            http.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(http);
        });
        next(app);
    };
}
