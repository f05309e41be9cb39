using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;
using QmsAgentHost.Sdk.Seeding;

namespace SeedingPlugin;

public sealed class SeedingPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin
        .AddMigrations("seeding", typeof(SeedingPluginEntry).Assembly)
        .AddFunctions<SampleFunctions>()
        .AddSeed<StarterSeed>("starter", 1, "Two starter samples every tenant gets.", demoOnly: false)
        .AddSeed<DemoSeed>("demo", 2, "Three demo samples for the demo tenant.");
}

public sealed class SampleFunctions(ITenantDatabase database)
{
    [KernelFunction("count_samples"), Description("Counts the tenant's samples.")]
    [Permission("seeding:read")]
    public async Task<long> CountSamplesAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand("SELECT count(*) FROM seeding.samples");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>Inserts the named samples, audited, in one transaction.</summary>
public abstract class SampleSeed(ITenantDatabase database, IAuditTrail audit, int count) : IPluginSeed
{
    public async Task SeedAsync(PluginSeedContext context, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await using var insert = session.CreateCommand("INSERT INTO seeding.samples (seed, name) VALUES (@seed, @name)");
            insert.Parameters.AddWithValue("seed", $"{context.SeedName}@{context.Version}");
            insert.Parameters.AddWithValue("name", $"sample {i}");
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await audit.RecordAsync(session, new AuditEntry("seeding.seeded", "samples", context.SeedName) { After = new { count } }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }
}

public sealed class StarterSeed(ITenantDatabase database, IAuditTrail audit) : SampleSeed(database, audit, 2);

public sealed class DemoSeed(ITenantDatabase database, IAuditTrail audit) : SampleSeed(database, audit, 3);
