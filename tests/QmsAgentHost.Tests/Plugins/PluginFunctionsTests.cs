using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Plugins;

/// <summary>A plugin calls another plugin's function as the caller, through the host's runtime (IPluginFunctions).</summary>
public sealed class PluginFunctionsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _plugins = Path.Combine(Path.GetTempPath(), "qms-caller-" + Guid.NewGuid().ToString("N"));

    private QmsHostFactory Factory { get; set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, "caller"), _plugins);
        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), _plugins);
        Factory = new QmsHostFactory(_database, _plugins, new Dictionary<string, string?> { ["Seed:PluginSeeds"] = "false" });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_plugins, recursive: true);
    }

    [Fact]
    public async Task Calls_another_plugins_function_as_the_caller()
    {
        var tenant = await Factory.CreateTenantAsync($"call-{Guid.NewGuid():N}"[..20]);

        var relayed = await RelayAsync(tenant, Roles.Viewer, new { function = "hello.greet", name = "Ada" });

        Assert.True(relayed.GetProperty("canCall").GetBoolean());
        Assert.True(relayed.GetProperty("succeeded").GetBoolean());
        Assert.Contains("Ada", relayed.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_permissions_and_the_plugin_switch_apply()
    {
        var tenant = await Factory.CreateTenantAsync($"call-{Guid.NewGuid():N}"[..20]);

        // hello.list_guest_book needs hello:read, which a Viewer holds; approving needs hello:approve (Manager).
        var refused = await RelayAsync(tenant, Roles.Viewer, new { function = "hello.approve_guest_book_entry" });
        Assert.False(refused.GetProperty("canCall").GetBoolean());
        Assert.Equal(403, refused.GetProperty("status").GetInt32());

        (await tenant.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false })).EnsureSuccessStatusCode();
        var switchedOff = await RelayAsync(tenant, Roles.Viewer, new { function = "hello.greet", name = "Ada" });
        Assert.False(switchedOff.GetProperty("succeeded").GetBoolean());
        Assert.Equal(403, switchedOff.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("nope.greet")]
    [InlineData("hello.nope")]
    [InlineData("greet")]
    public async Task Unknown_functions_are_not_found(string function)
    {
        var tenant = await Factory.CreateTenantAsync($"call-{Guid.NewGuid():N}"[..20]);

        var relayed = await RelayAsync(tenant, Roles.Viewer, new { function });

        Assert.Equal(404, relayed.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Bad_arguments_come_back_as_a_400_result()
    {
        var tenant = await Factory.CreateTenantAsync($"call-{Guid.NewGuid():N}"[..20]);

        var relayed = await RelayAsync(tenant, Roles.Viewer, new { function = "hello.greet", name = "" });

        Assert.Equal(400, relayed.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(relayed.GetProperty("error").GetString()));
    }

    private static async Task<JsonElement> RelayAsync(TestTenant tenant, string role, object arguments)
    {
        var response = await tenant.ClientFor(role).PostAsJsonAsync("/api/plugins/caller/functions/relay", arguments);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
    }
}
