using System.Text.Json;
using System.Text.Json.Serialization;
using McMaster.NETCore.Plugins;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Sdk.Events;
using QmsAgentHost.Sdk.Jobs;
using QmsAgentHost.Sdk.Plugins;
using QmsAgentHost.Sdk.Seeding;
using QmsAgentHost.Sdk.Workflows;

namespace QmsAgentHost.Plugins;

public enum PluginStatus
{
    Loaded,
    Failed,
    Unloaded,
}

/// <summary>What the host knows about one plugin folder: loaded, or failed and why.</summary>
public sealed class PluginRecord
{
    public required string Id { get; init; }
    public required string Folder { get; init; }
    public PluginManifest? Manifest { get; init; }
    public PluginStatus Status { get; private set; }
    public string? FailureReason { get; private set; }

    [JsonIgnore]
    internal PluginRuntime? Runtime { get; private set; }

    public IReadOnlyList<PluginFunction> Functions => Runtime?.Functions ?? [];

    /// <summary>The id as a Semantic Kernel plugin name (letters, digits and underscores).</summary>
    internal string KernelName => ToKernelName(Id);

    internal static string ToKernelName(string pluginId) => pluginId.Replace('-', '_');

    internal static PluginRecord Failed(string id, string folder, PluginManifest? manifest, string reason) =>
        new() { Id = id, Folder = folder, Manifest = manifest, Status = PluginStatus.Failed, FailureReason = reason };

    internal static PluginRecord Loaded(PluginManifest manifest, string folder, PluginRuntime runtime) =>
        new() { Id = manifest.Id, Folder = folder, Manifest = manifest, Status = PluginStatus.Loaded, Runtime = runtime };

    internal void MarkFailed(string reason)
    {
        Status = PluginStatus.Failed;
        FailureReason = reason;
        ReleaseRuntime();
    }

    internal void MarkUnloaded()
    {
        Status = PluginStatus.Unloaded;
        ReleaseRuntime();
    }

    private void ReleaseRuntime()
    {
        Runtime?.Dispose();
        Runtime = null;
    }
}

/// <summary>The live parts of a loaded plugin. Disposing it releases every reference and unloads its context.</summary>
internal sealed class PluginRuntime(
    PluginLoader loader,
    ServiceProvider services,
    JsonSerializerOptions json,
    IReadOnlyList<PluginFunction> functions,
    MigrationBatch? migrations,
    IReadOnlyList<PluginJobDefinition> jobs,
    IReadOnlyList<WorkflowDefinition> workflows,
    IReadOnlyList<EventDefinition> events,
    IReadOnlyList<PluginSeedDefinition> seeds) : IDisposable
{
    private PluginLoader? _loader = loader;

    public ServiceProvider Services { get; } = services;

    /// <summary>
    /// JSON options private to this plugin. Serializer options cache metadata of every type they see;
    /// shared options would keep the plugin's types, and so its load context, alive after unload.
    /// </summary>
    public JsonSerializerOptions Json { get; } = json;
    public IReadOnlyList<PluginFunction> Functions { get; } = functions;
    public MigrationBatch? Migrations { get; } = migrations;
    public IReadOnlyList<PluginJobDefinition> Jobs { get; } = jobs;
    public IReadOnlyList<WorkflowDefinition> Workflows { get; } = workflows;
    public IReadOnlyList<EventDefinition> Events { get; } = events;
    public IReadOnlyList<PluginSeedDefinition> Seeds { get; } = seeds;

    public void Dispose()
    {
        Services.Dispose();
        SerializerCaches.Clear();
        _loader?.Dispose();
        _loader = null;
    }
}
