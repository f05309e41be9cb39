namespace QmsAgentHost.Sdk.Seeding;

/// <summary>
/// Fills a tenant with a plugin's data: the demo tenant's realistic sample records, or a client's
/// starter data (a category list, a parts catalog). Declared with <see cref="Plugins.IPluginBuilder.AddSeed{TSeed}"/>.
/// </summary>
/// <remarks>
/// The host runs a seed once per tenant and seed version, in the plugin's scope, with the tenant
/// context set to the tenant's system identity (holding the plugin's own permissions). It runs in the
/// background after start-up, so the host serves while seeding; several nodes never run the same
/// seed for the same tenant at once. A seed that throws is logged and retried at the next start.
/// Make it deterministic (a fixed random seed) so every demo looks the same, and write through the
/// plugin's own repositories so the seed data is audited like any other.
/// </remarks>
public interface IPluginSeed
{
    /// <summary>Seeds the current tenant.</summary>
    Task SeedAsync(PluginSeedContext context, CancellationToken cancellationToken);
}

/// <summary>What is being seeded.</summary>
/// <param name="SeedName">The name the plugin gave the seed.</param>
/// <param name="Version">The seed's version; raising it runs the seed again for tenants seeded with an older one.</param>
/// <param name="PreviousVersion">The version last applied to this tenant, or null the first time.</param>
/// <param name="DataDirectory">The plugin's folder, where a plugin may ship seed files next to its assemblies.</param>
public sealed record PluginSeedContext(string SeedName, int Version, int? PreviousVersion, string DataDirectory);

/// <summary>A seed declared by a plugin.</summary>
/// <param name="Name">Unique within the plugin, e.g. <c>demo</c>.</param>
/// <param name="SeedType">The <see cref="IPluginSeed"/> implementation.</param>
/// <param name="Version">Raise it when the seed adds data older tenants should get too.</param>
/// <param name="Description">What the seed adds.</param>
/// <param name="DemoOnly">True when the seed is sample data for the demo tenant only (not for real clients).</param>
public sealed record PluginSeedDefinition(string Name, Type SeedType, int Version, string Description, bool DemoOnly);
