using System.Collections.Immutable;

namespace QmsAgentHost.Plugins;

/// <summary>Every plugin folder the host has seen, loaded or failed. Thread-safe; readers get a snapshot.</summary>
public sealed class PluginCatalog
{
    private ImmutableDictionary<string, PluginRecord> _plugins = ImmutableDictionary.Create<string, PluginRecord>(StringComparer.Ordinal);

    /// <summary>True once start-up has loaded and migrated the plugin set.</summary>
    public bool IsReady { get; internal set; }

    public IReadOnlyList<PluginRecord> All => [.. _plugins.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];

    public PluginRecord? Find(string id) => _plugins.GetValueOrDefault(id);

    public PluginFunction? FindFunction(string pluginId, string functionName) =>
        Find(pluginId) is { Status: PluginStatus.Loaded } plugin
            ? plugin.Functions.FirstOrDefault(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase))
            : null;

    /// <summary>Adds a plugin; a second plugin with an id already loaded is recorded as failed instead.</summary>
    internal PluginRecord Add(PluginRecord record)
    {
        var added = ImmutableInterlocked.AddOrUpdate(ref _plugins, record.Id, record, (_, existing) =>
            existing.Status == PluginStatus.Loaded && record.Status == PluginStatus.Loaded
                ? existing
                : record);
        if (ReferenceEquals(added, record))
        {
            return record;
        }
        // Keep the duplicate visible (as failed, under a key of its own) so the admin sees why it is not running.
        var reason = $"another plugin with id '{record.Id}' is already loaded from {added.Folder}.";
        record.MarkFailed(reason);
        var duplicate = PluginRecord.Failed($"{record.Id}@{Path.GetFileName(record.Folder)}", record.Folder, record.Manifest, reason);
        ImmutableInterlocked.AddOrUpdate(ref _plugins, duplicate.Id, duplicate, (_, _) => duplicate);
        return duplicate;
    }

    /// <summary>Unloads a plugin: its functions disappear and its load context is released for collection.</summary>
    public bool Unload(string id)
    {
        if (Find(id) is not { Status: PluginStatus.Loaded } plugin)
        {
            return false;
        }
        plugin.MarkUnloaded();
        return true;
    }
}
