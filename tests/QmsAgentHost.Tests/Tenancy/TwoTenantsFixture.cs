using System.Net.Http.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Tenancy;

/// <summary>One host with two tenants, A and B, each with users, API keys, guest-book entries and audit events.</summary>
public sealed class TwoTenantsFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public QmsHostFactory Factory { get; private set; } = null!;
    public TestTenant A { get; private set; } = null!;
    public TestTenant B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new QmsHostFactory(Database, RepoPaths.Plugins);
        A = await Factory.CreateTenantAsync("tenant-a");
        B = await Factory.CreateTenantAsync("tenant-b");
        foreach (var (tenant, count) in new[] { (A, 2), (B, 3) })
        {
            for (var i = 0; i < count; i++)
            {
                var response = await tenant.ClientFor(Roles.Analyst).PostAsJsonAsync(
                    "/api/plugins/hello/functions/sign_guest_book", new { name = $"{tenant.Slug} guest {i}", message = $"secret of {tenant.Slug}" });
                response.EnsureSuccessStatusCode();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
