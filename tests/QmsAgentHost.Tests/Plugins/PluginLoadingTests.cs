using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Plugins;

public sealed class PluginLoadingTests(PluginSetFixture fixture) : IClassFixture<PluginSetFixture>
{
    private async Task<JsonElement> GetPluginAsync(string id)
    {
        var plugins = await fixture.Tenant.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/plugins");
        return plugins.EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Good_plugin_is_loaded_with_its_functions_and_their_metadata()
    {
        var hello = await GetPluginAsync("hello");

        Assert.Equal("Loaded", hello.GetProperty("status").GetString());
        Assert.Equal("1.1.0", hello.GetProperty("version").GetString());
        var functions = hello.GetProperty("functions").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["approve_guest_book_entry", "greet", "list_guest_book", "sign_guest_book"], functions.Keys.Order());
        var sign = functions["sign_guest_book"];
        Assert.Equal("hello:write", sign.GetProperty("permission").GetString());
        Assert.True(sign.GetProperty("changesData").GetBoolean());
        Assert.False(functions["greet"].GetProperty("changesData").GetBoolean());
        Assert.Contains("say hello to Maria", functions["greet"].GetProperty("examples").EnumerateArray().Select(e => e.GetString()));
        var parameters = sign.GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(["name", "message"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.All(parameters, p => Assert.True(p.GetProperty("required").GetBoolean()));
        var approve = functions["approve_guest_book_entry"];
        Assert.Equal("hello:approve", approve.GetProperty("permission").GetString());
        Assert.True(approve.GetProperty("changesData").GetBoolean());
        Assert.Equal(["entryId", "meaning", "password", "signingToken", "comment"],
            approve.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(["Approved", "Reviewed", "Responsible"],
            approve.GetProperty("parameters")[1].GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
        var limit = functions["list_guest_book"].GetProperty("parameters").EnumerateArray().Single();
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.False(limit.GetProperty("required").GetBoolean());
    }

    [Theory]
    [InlineData("throwing", "threw in Configure: InvalidOperationException: the licence file is missing")]
    [InlineData("future", "needs SDK ^2.0, but this host provides SDK 1.1.0")]
    [InlineData("missing-dep", "missing dependency PrivateDep 1.0.0.0")]
    [InlineData("unprotected", "table unprotected.notes has no forced row-level security policy")]
    [InlineData("bad-manifest", "plugin.json is not valid")]
    [InlineData("no-manifest", "the folder has no plugin.json")]
    [InlineData("hello@hello-copy", "another plugin with id 'hello' is already loaded")]
    [InlineData("garbage", "entry assembly is not a valid .NET assembly")]
    [InlineData("no-entry", "the entry assembly has no class implementing IQmsPlugin")]
    [InlineData("missing-entry", "entry assembly 'Nowhere.dll' is not in the plugin folder")]
    public async Task Bad_plugin_is_refused_with_a_clear_reason(string id, string reason)
    {
        var plugin = await GetPluginAsync(id);

        Assert.Equal("Failed", plugin.GetProperty("status").GetString());
        Assert.Contains(reason, plugin.GetProperty("failureReason").GetString());
        Assert.Empty(plugin.GetProperty("functions").EnumerateArray());
    }

    [Theory]
    [InlineData("alpha", "PrivateDep v1")]
    [InlineData("beta", "PrivateDep v2")]
    public async Task Two_plugins_each_use_their_own_version_of_a_private_dependency(string plugin, string expected)
    {
        var response = await fixture.Tenant.ClientFor(Roles.Viewer).PostAsJsonAsync($"/api/plugins/{plugin}/functions/dependency_version", new { });

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, body.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Host_keeps_serving_and_reports_degraded_readiness_while_some_plugins_failed()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("throwing", report.GetProperty("checks").GetProperty("plugins").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Plugin_settings_are_bound_and_used()
    {
        var response = await fixture.Tenant.ClientFor(Roles.Viewer).PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Maria" });

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Hello, Maria!", body.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(fixture.Tenant.OrgId.ToString(), body.GetProperty("result").GetProperty("organization").GetString());
    }

    [Fact]
    public async Task Function_arguments_are_validated_with_problem_details()
    {
        var client = fixture.Tenant.ClientFor(Roles.Analyst);

        var missing = await client.PostAsJsonAsync("/api/plugins/hello/functions/sign_guest_book", new { name = "Tom" });
        var wrongType = await client.PostAsJsonAsync("/api/plugins/hello/functions/list_guest_book", new { limit = "many" });
        var unknown = await client.PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Tom", mood = "happy" });
        var outOfRange = await client.PostAsJsonAsync("/api/plugins/hello/functions/list_guest_book", new { limit = 5000 });
        var notAnObject = await client.PostAsync("/api/plugins/hello/functions/greet", JsonContent.Create(new[] { 1, 2 }));
        var noSuchFunction = await client.PostAsJsonAsync("/api/plugins/hello/functions/nope", new { });

        foreach (var (response, status, text) in new[]
        {
            (missing, 400, "Argument 'message' is required."),
            (wrongType, 400, "Argument 'limit' must be a whole number in range."),
            (unknown, 400, "has no argument 'mood'"),
            (outOfRange, 400, "limit must be between 1 and 100"),
            (notAnObject, 400, "must be a JSON object"),
            (noSuchFunction, 404, "No loaded function 'nope'"),
        })
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(text, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
    }
}
