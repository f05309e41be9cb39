using System.Text.Json.Nodes;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Plugins;

/// <summary>
/// One host over a plugins folder holding the good plugins and one of every kind of bad plugin,
/// each made from the real built fixtures.
/// </summary>
public sealed class PluginSetFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public string PluginsDirectory { get; } = Path.Combine(Path.GetTempPath(), "qms-plugins-" + Guid.NewGuid().ToString("N")[..8]);
    public QmsHostFactory Factory { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Directory.CreateDirectory(PluginsDirectory);
        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), PluginsDirectory);
        foreach (var fixture in new[] { "alpha", "beta", "throwing", "unprotected" })
        {
            RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, fixture), PluginsDirectory);
        }

        var badManifest = Directory.CreateDirectory(Path.Combine(PluginsDirectory, "bad-manifest")).FullName;
        await File.WriteAllTextAsync(Path.Combine(badManifest, "plugin.json"), "{ \"id\": \"bad\", \"version\": ");

        Directory.CreateDirectory(Path.Combine(PluginsDirectory, "no-manifest"));

        var future = RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), PluginsDirectory, "future-sdk");
        RewriteManifest(future, m => { m["id"] = "future"; m["sdkVersion"] = "^2.0"; });

        var missing = RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, "alpha"), PluginsDirectory, "missing-dependency");
        RewriteManifest(missing, m => { m["id"] = "missing-dep"; m["permissions"] = JsonNode.Parse("""[{"name":"missing-dep:read"}]"""); });
        File.Delete(Path.Combine(missing, "PrivateDep.dll"));

        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), PluginsDirectory, "hello-copy");

        // Hostile or wrong files where the entry assembly should be.
        var garbage = RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), PluginsDirectory, "garbage-dll");
        RewriteManifest(garbage, m => m["id"] = "garbage");
        await File.WriteAllBytesAsync(Path.Combine(garbage, "HelloPlugin.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);

        var noEntry = RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, "alpha"), PluginsDirectory, "no-entry-class");
        RewriteManifest(noEntry, m => { m["id"] = "no-entry"; m["entryAssembly"] = "PrivateDep.dll"; m["permissions"] = new JsonArray(); });

        var missingEntry = RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, "alpha"), PluginsDirectory, "missing-entry");
        RewriteManifest(missingEntry, m => { m["id"] = "missing-entry"; m["entryAssembly"] = "Nowhere.dll"; });

        Factory = new QmsHostFactory(Database, PluginsDirectory);
        Tenant = await Factory.CreateTenantAsync("plugins-" + Guid.NewGuid().ToString("N")[..6]);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(PluginsDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static void RewriteManifest(string folder, Action<JsonObject> change)
    {
        var path = Path.Combine(folder, "plugin.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
