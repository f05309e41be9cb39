using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Api;

public sealed class HostFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public QmsHostFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new QmsHostFactory(Database, RepoPaths.Plugins);
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class HostTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Liveness_and_readiness_answer()
    {
        var client = fixture.Factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("1 plugin(s) loaded", ready.GetProperty("checks").GetProperty("plugins").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Plugins_api_requires_a_caller_and_answers_with_problem_details()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/api/plugins");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Plugins_api_lists_hello_as_loaded()
    {
        var tenant = await fixture.Factory.CreateTenantAsync("host-" + Guid.NewGuid().ToString("N")[..6]);

        var plugins = await tenant.ClientFor("Viewer").GetFromJsonAsync<JsonElement>("/api/plugins");

        var hello = Assert.Single(plugins.EnumerateArray());
        Assert.Equal("hello", hello.GetProperty("id").GetString());
        Assert.Equal("Loaded", hello.GetProperty("status").GetString());
        Assert.Equal(4, hello.GetProperty("functions").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_plugin_is_a_404_problem()
    {
        var tenant = await fixture.Factory.CreateTenantAsync("host-" + Guid.NewGuid().ToString("N")[..6]);

        var response = await tenant.ClientFor("Viewer").GetAsync("/api/plugins/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
