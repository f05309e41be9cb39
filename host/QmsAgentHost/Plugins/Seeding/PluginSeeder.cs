using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Seeding;

namespace QmsAgentHost.Plugins.Seeding;

/// <summary>
/// Applies plugin seeds to a tenant, each once per version. A session-level advisory lock per tenant,
/// plugin and seed keeps two nodes (or a node and the CLI) from seeding the same thing at once; the
/// version is recorded in <c>core.plugin_seeds</c> only after the seed succeeded.
/// </summary>
public sealed class PluginSeeder(PluginCatalog catalog, QmsDataSources dataSources, IServiceScopeFactory scopes, ILogger<PluginSeeder> logger)
{
    /// <summary>The display name audit entries show for seeded data.</summary>
    public const string SystemUserName = "system (seed)";

    /// <summary>
    /// Applies the seeds of every loaded plugin (or of <paramref name="pluginId"/>) that the tenant has
    /// not yet received at their current version. <paramref name="includeDemo"/> selects the demo-only
    /// sample data too. Returns the seeds applied now, as <c>plugin/seed@version</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> SeedAsync(Guid orgId, bool includeDemo, CancellationToken cancellationToken, string? pluginId = null)
    {
        var applied = new List<string>();
        foreach (var plugin in catalog.All.Where(p => p.Status == PluginStatus.Loaded && (pluginId is null || p.Id == pluginId)))
        {
            foreach (var seed in plugin.Runtime?.Seeds.Where(s => includeDemo || !s.DemoOnly) ?? [])
            {
                if (await ApplyAsync(orgId, plugin, seed, cancellationToken))
                {
                    applied.Add($"{plugin.Id}/{seed.Name}@{seed.Version}");
                }
            }
        }
        return applied;
    }

    private async Task<bool> ApplyAsync(Guid orgId, PluginRecord plugin, PluginSeedDefinition seed, CancellationToken cancellationToken)
    {
        await using var held = await SessionLock.AcquireAsync(dataSources.App, $"qms:seed:{orgId}:{plugin.Id}:{seed.Name}", cancellationToken);
        var previous = await ReadVersionAsync(orgId, plugin.Id, seed.Name, cancellationToken);
        if (previous >= seed.Version)
        {
            return false;
        }
        logger.LogInformation("Seeding {Plugin}/{Seed} v{Version} for org {OrgId}", plugin.Id, seed.Name, seed.Version, orgId);
        await PluginSystemScope.RunAsync(scopes, plugin, orgId, SystemUserName, async services =>
        {
            var instance = (IPluginSeed)services.GetRequiredService(seed.SeedType);
            await instance.SeedAsync(new PluginSeedContext(seed.Name, seed.Version, previous, plugin.Folder), cancellationToken);
        });
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        await using (var record = session.CreateCommand("""
            INSERT INTO core.plugin_seeds (org_id, plugin_id, seed_name, version) VALUES (@org, @plugin, @seed, @version)
            ON CONFLICT (org_id, plugin_id, seed_name) DO UPDATE SET version = EXCLUDED.version, seeded_at = now()
            """))
        {
            record.Parameters.AddWithValue("org", orgId);
            record.Parameters.AddWithValue("plugin", plugin.Id);
            record.Parameters.AddWithValue("seed", seed.Name);
            record.Parameters.AddWithValue("version", seed.Version);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<int?> ReadVersionAsync(Guid orgId, string pluginId, string seedName, CancellationToken cancellationToken)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        await using var command = session.CreateCommand("SELECT version FROM core.plugin_seeds WHERE plugin_id = @plugin AND seed_name = @seed");
        command.Parameters.AddWithValue("plugin", pluginId);
        command.Parameters.AddWithValue("seed", seedName);
        var version = await command.ExecuteScalarAsync(cancellationToken) as int?;
        await session.CommitAsync(cancellationToken);
        return version;
    }
}
