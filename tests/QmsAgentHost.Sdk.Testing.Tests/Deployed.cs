namespace QmsAgentHost.Sdk.Testing.Tests;

/// <summary>The deployed plugin folders the tests run, built before the tests by the project references.</summary>
internal static class Deployed
{
    public static string Hello => PluginTestHost.FindFolderAbove(Path.Combine("artifacts", "plugins", "hello"));

    public static string TestPlugin(string id) => PluginTestHost.FindFolderAbove(Path.Combine("artifacts", "test-plugins", id));

    /// <summary>The owner role's connection string, as scripts/test.sh (or scripts/db.sh env) sets it.</summary>
    public static string? AdminConnectionString => Environment.GetEnvironmentVariable("QMS_DB_ADMIN");

    public static Task<PluginTestHost> StartHelloAsync(PluginTestHostOptions? options = null) =>
        PluginTestHost.StartAsync(pluginFolder: Hello, connectionString: AdminConnectionString, options: options);
}

/// <summary>One Hello plugin host shared by the tests of a class; each test makes its own users.</summary>
public sealed class HelloHostFixture : IAsyncLifetime
{
    public PluginTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await Deployed.StartHelloAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
