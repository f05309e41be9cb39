using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QmsAgentHost.Ai.Embeddings;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Plugins;

public sealed class PluginUnloadTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public Task Unloaded_plugin_context_is_collected_after_a_function_ran() =>
        AssertCollectedAfterCallAsync(Path.Combine(RepoPaths.Plugins, "hello"), "greet", "hello:greet",
            """{ "name": "Ada" }""", result => Assert.Equal("Hello, Ada!", result.GetProperty("text").GetString()));

    // A parameter of a type the plugin defines (an array of its records) goes through the library's
    // binder and schema caches; those must not keep the plugin's load context alive either.
    [Fact]
    public Task Unloaded_plugin_context_is_collected_after_a_call_with_its_own_parameter_types() =>
        AssertCollectedAfterCallAsync(Path.Combine(RepoPaths.TestPlugins, "quote"), "create_quote", "quotes:create",
            """{ "customer": "Hoffmann GmbH", "lines": [ { "partNumber": "7710-S", "quantity": 500 }, { "partNumber": "7711-S", "quantity": 20, "unitPrice": 3.8 } ] }""",
            result => Assert.Equal("7711-S", result.GetProperty("arguments").GetProperty("lines")[1].GetProperty("partNumber").GetString()));

    private async Task AssertCollectedAfterCallAsync(string folder, string function, string permission, string arguments, Action<JsonElement> check)
    {
        await using var services = HostServices();
        await services.GetRequiredService<MigrationRunner>().ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        var tenant = await services.GetRequiredService<TenantProvisioner>().CreateAsync("Unload", "unload-" + Guid.NewGuid().ToString("N")[..6], [], [], CancellationToken.None);
        var (weakContext, record) = await LoadAndCallAsync(services, tenant.OrgId, folder, function, permission, arguments, check);

        record.MarkUnloaded();
        for (var i = 0; i < 20 && weakContext.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }

        Assert.Equal(PluginStatus.Unloaded, record.Status);
        Assert.Empty(record.Functions);
        Assert.False(weakContext.IsAlive, "the plugin's AssemblyLoadContext is still referenced after unload");
    }

    [Fact]
    public async Task Catalog_unload_removes_the_functions_of_the_plugin()
    {
        await using var services = HostServices();
        var catalog = new PluginCatalog();
        var loader = services.GetRequiredService<PluginFolderLoader>();
        catalog.Add(loader.Load(Path.Combine(RepoPaths.TestPlugins, "alpha")));
        Assert.NotNull(catalog.FindFunction("alpha", "dependency_version"));

        Assert.True(catalog.Unload("alpha"));

        Assert.Null(catalog.FindFunction("alpha", "dependency_version"));
        Assert.Equal(PluginStatus.Unloaded, catalog.Find("alpha")!.Status);
        Assert.False(catalog.Unload("alpha"));
    }

    // Kept out of line so no local of this frame holds the plugin's types when the test collects.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference Context, PluginRecord Record)> LoadAndCallAsync(
        ServiceProvider services, Guid orgId, string folder, string functionName, string permission, string arguments, Action<JsonElement> check)
    {
        var record = services.GetRequiredService<PluginFolderLoader>().Load(folder);
        Assert.True(record.Status == PluginStatus.Loaded, record.FailureReason);
        var function = record.Functions.Single(f => f.Name == functionName);
        var context = AssemblyLoadContext.GetLoadContext(function.Method.DeclaringType!.Assembly)!;
        Assert.True(context.IsCollectible);

        using var scope = services.CreateScope();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        tenant.Set(new Caller(orgId, Guid.NewGuid(), null, "Tester", Roles.Viewer, FrozenSet.Create(permission), "test"));
        using var document = JsonDocument.Parse(arguments);
        var values = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        check(await services.GetRequiredService<PluginFunctionInvoker>().InvokeAsync(record, function, values, scope.ServiceProvider, CancellationToken.None));
        return (new WeakReference(context), record);
    }

    private ServiceProvider HostServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<PluginFolderLoader>();
        services.AddSingleton(Options.Create(new EmbeddingOptions()));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbeddingGenerator>();
        services.AddSingleton<PluginFunctionInvoker>();
        services.AddFunctionFilters();
        // A factory, not an instance, so disposing the provider closes the pools before the database is dropped.
        services.AddSingleton(_ => new QmsDataSources(new DatabaseOptions
        {
            ConnectionString = _database.AppConnectionString,
            AdminConnectionString = _database.AdminConnectionString,
        }));
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<TenantProvisioner>();
        services.AddScoped<ITenantDatabase, TenantDatabase>();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        return services.BuildServiceProvider();
    }
}
