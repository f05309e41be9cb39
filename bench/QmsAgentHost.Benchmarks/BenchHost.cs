using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Testing;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Benchmarks;

/// <summary>The real host (Production settings, no scheduler) over a scratch database, with one tenant and an Analyst's API key.</summary>
internal sealed record BenchHost(ScratchDatabase Database, WebApplicationFactory<Program> Web, Guid OrgId, HttpClient Client) : IAsyncDisposable
{
    public static async Task<BenchHost> StartAsync()
    {
        var admin = Environment.GetEnvironmentVariable("QMS_DB_ADMIN") ?? throw new InvalidOperationException("QMS_DB_ADMIN is not set: run bench/run.sh");
        var app = Environment.GetEnvironmentVariable("QMS_DB") ?? throw new InvalidOperationException("QMS_DB is not set: run bench/run.sh");
        var database = await ScratchDatabase.CreateAsync(admin, app, CancellationToken.None);
        var web = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseEnvironment("Production")
            .UseContentRoot(Path.Combine(BenchPaths.Root, "host", "QmsAgentHost"))
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Qms"] = database.AppConnectionString,
                ["ConnectionStrings:QmsAdmin"] = database.AdminConnectionString,
                ["Plugins:Directory"] = Path.Combine(BenchPaths.Root, "artifacts", "plugins"),
                ["Seed:DemoTenant"] = "false",
                ["Scheduling:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            })));
        var provisioner = web.Services.GetRequiredService<TenantProvisioner>();
        var tenant = await provisioner.CreateAsync("Bench", "bench-" + Guid.NewGuid().ToString("N")[..8], [],
            [new NewUser("analyst@bench.test", "Bench Analyst", Roles.Analyst, "A-long-enough-passphrase")], CancellationToken.None);
        var (_, token) = await provisioner.CreateApiKeyAsync(tenant.OrgId, tenant.UserIds["analyst@bench.test"], "bench", Roles.Analyst, null, CancellationToken.None);
        var client = web.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new BenchHost(database, web, tenant.OrgId, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Web.DisposeAsync();
        await Database.DropAsync();
    }
}
