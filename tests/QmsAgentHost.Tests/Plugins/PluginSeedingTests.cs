using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins.Seeding;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Plugins;

/// <summary>Plugin seeds: starter data for every tenant, sample data for the demo tenant, each once per version.</summary>
public sealed class PluginSeedingTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _plugins = Path.Combine(Path.GetTempPath(), "qms-seeding-" + Guid.NewGuid().ToString("N"));
    private QmsHostFactory Factory { get; set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, "seeding"), _plugins);
        Factory = new QmsHostFactory(_database, _plugins, new Dictionary<string, string?> { ["Seed:PluginSeeds"] = "false" });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_plugins, recursive: true);
    }

    private PluginSeeder Seeder => Factory.Services.GetRequiredService<PluginSeeder>();

    [Fact]
    public async Task Starter_seeds_apply_to_any_tenant_and_demo_seeds_only_when_asked()
    {
        var tenant = await Factory.CreateTenantAsync($"seed-{Guid.NewGuid():N}"[..20]);

        var starter = await Seeder.SeedAsync(tenant.OrgId, includeDemo: false, CancellationToken.None);
        Assert.Equal(["seeding/starter@1"], starter);
        Assert.Equal(2, await CountAsync(tenant));

        var demo = await Seeder.SeedAsync(tenant.OrgId, includeDemo: true, CancellationToken.None);
        Assert.Equal(["seeding/demo@2"], demo);
        Assert.Equal(5, await CountAsync(tenant));
    }

    [Fact]
    public async Task A_seed_applies_once_even_when_two_nodes_seed_at_the_same_time()
    {
        var tenant = await Factory.CreateTenantAsync($"seed-{Guid.NewGuid():N}"[..20]);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Seeder.SeedAsync(tenant.OrgId, includeDemo: true, CancellationToken.None)));

        Assert.Equal(2, runs.Sum(r => r.Count));
        Assert.Equal(5, await CountAsync(tenant));
        Assert.Empty(await Seeder.SeedAsync(tenant.OrgId, includeDemo: true, CancellationToken.None));
    }

    [Fact]
    public async Task Seeded_data_belongs_to_its_tenant_and_is_audited_as_the_system()
    {
        var seeded = await Factory.CreateTenantAsync($"seed-{Guid.NewGuid():N}"[..20]);
        var other = await Factory.CreateTenantAsync($"seed-{Guid.NewGuid():N}"[..20]);

        await Seeder.SeedAsync(seeded.OrgId, includeDemo: true, CancellationToken.None);

        Assert.Equal(0, await CountAsync(other));
        var audit = await seeded.ClientFor(Roles.Owner).GetStringAsync("/api/audit?action=seeding.seeded");
        Assert.Contains(PluginSeeder.SystemUserName, audit, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(TestTenant tenant)
    {
        var response = await tenant.ClientFor(Roles.Viewer).PostAsync("/api/plugins/seeding/functions/count_samples", null);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("result").GetInt64();
    }
}
