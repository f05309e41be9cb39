using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;

namespace QmsAgentHost.Plugins;

/// <summary>Loads every plugin folder, applies each plugin's migrations and checks its tables are tenant-protected.</summary>
internal sealed class PluginStartup(
    PluginCatalog catalog,
    PluginFolderLoader loader,
    MigrationRunner migrations,
    IOptions<PluginOptions> options,
    IOptions<DatabaseOptions> database,
    IHostEnvironment environment,
    ILogger<PluginStartup> logger) : IStartupTask
{
    public int Order => 200;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var directory = ResolveDirectory();
        string[] folders = [];
        if (Directory.Exists(directory))
        {
            folders = [.. Directory.GetDirectories(directory).Order(StringComparer.Ordinal)];
        }
        else
        {
            logger.LogWarning("Plugin directory {Directory} does not exist; no plugins loaded.", directory);
        }
        await LoadAsync(folders, cancellationToken);
    }

    /// <summary>
    /// Loads the given plugin folders, then applies their migrations. The test kit calls this with
    /// the one folder under test, so it goes through exactly what the host does at start.
    /// </summary>
    internal async Task LoadAsync(IEnumerable<string> folders, CancellationToken cancellationToken)
    {
        foreach (var folder in folders)
        {
            catalog.Add(loader.Load(folder));
        }
        if (database.Value.MigrateOnStart)
        {
            foreach (var plugin in catalog.All)
            {
                await MigrateAsync(plugin, cancellationToken);
            }
        }
        catalog.IsReady = true;
        logger.LogInformation("Plugins: {Loaded} loaded, {Failed} failed",
            catalog.All.Count(p => p.Status == PluginStatus.Loaded), catalog.All.Count(p => p.Status == PluginStatus.Failed));
    }

    /// <summary>Applies a loaded plugin's migrations; a failure or an unprotected table fails that plugin only.</summary>
    internal async Task MigrateAsync(PluginRecord plugin, CancellationToken cancellationToken)
    {
        if (plugin.Runtime?.Migrations is not { } batch)
        {
            return;
        }
        var owner = catalog.All.FirstOrDefault(p => p != plugin && p.Status == PluginStatus.Loaded && p.Runtime?.Migrations?.Schema == batch.Schema);
        if (owner is not null)
        {
            plugin.MarkFailed($"schema '{batch.Schema}' already belongs to plugin '{owner.Id}'.");
            return;
        }
        try
        {
            await migrations.ApplyAsync([batch], cancellationToken);
            var unprotected = await migrations.FindUnprotectedTablesAsync(batch.Schema, cancellationToken);
            if (unprotected.Count > 0)
            {
                plugin.MarkFailed($"table {string.Join(", ", unprotected)} has no forced row-level security policy. "
                    + "Call SELECT core.enable_tenant_rls('<schema>.<table>') in the migration that creates it.");
            }
        }
        catch (Exception ex) when (ex is MigrationChecksumException or InvalidOperationException or Npgsql.PostgresException)
        {
            plugin.MarkFailed($"migrations failed: {ex.Message}");
        }
    }

    internal string ResolveDirectory() =>
        Path.GetFullPath(Path.IsPathRooted(options.Value.Directory)
            ? options.Value.Directory
            : Path.Combine(environment.ContentRootPath, options.Value.Directory));
}
