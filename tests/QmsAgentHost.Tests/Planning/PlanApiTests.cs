using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Planning;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Planning;

/// <summary>The host over hello and the six product plugins' catalog fixtures.</summary>
public sealed class CatalogHostFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public string PluginsDirectory { get; } = Path.Combine(Path.GetTempPath(), "qms-catalog-" + Guid.NewGuid().ToString("N")[..8]);
    public QmsHostFactory Factory { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Directory.CreateDirectory(PluginsDirectory);
        RepoPaths.CopyPlugin(Path.Combine(RepoPaths.Plugins, "hello"), PluginsDirectory);
        foreach (var id in PlannerEvaluation.ProductPlugins)
        {
            RepoPaths.CopyPlugin(Path.Combine(RepoPaths.TestPlugins, id), PluginsDirectory);
        }
        Factory = new QmsHostFactory(Database, PluginsDirectory);
        Tenant = await Factory.CreateTenantAsync("plan-" + Guid.NewGuid().ToString("N")[..6]);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(PluginsDirectory, recursive: true);
    }
}

public sealed class PlanApiTests(CatalogHostFixture fixture) : IClassFixture<CatalogHostFixture>
{
    private async Task<JsonElement> PlanAsync(string role, string message)
    {
        var response = await fixture.Tenant.ClientFor(role).PostAsJsonAsync("/api/chat/plan", new { message });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_plan_has_exactly_the_documented_shape_with_the_functions_names_and_arguments()
    {
        var plan = await PlanAsync(Roles.Manager, "log a nonconformance: 12 housings 4471-A have cracked bosses, severity major");

        Assert.Equal(["alternatives", "arguments", "confidence", "function", "missing", "plugin"], plan.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("ncm", plan.GetProperty("plugin").GetString());
        Assert.Equal("create_ncm", plan.GetProperty("function").GetString());
        var arguments = plan.GetProperty("arguments");
        Assert.Equal("4471-A", arguments.GetProperty("partNumber").GetString());
        Assert.Equal(12, arguments.GetProperty("quantity").GetInt32());
        Assert.Equal("major", arguments.GetProperty("severity").GetString());
        Assert.InRange(plan.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.Empty(plan.GetProperty("missing").EnumerateArray());
        Assert.All(plan.GetProperty("alternatives").EnumerateArray(), a =>
            Assert.Equal(["confidence", "function", "plugin"], a.EnumerateObject().Select(p => p.Name).Order()));
    }

    [Fact]
    public async Task Missing_required_arguments_are_named()
    {
        var plan = await PlanAsync(Roles.Manager, "disposition it as scrap please");
        Assert.Equal("disposition_ncm", plan.GetProperty("function").GetString());
        Assert.Contains("ncmId", plan.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.DoesNotContain("password", plan.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("undo the last disposition")]
    [InlineData("push every NCM into the ERP")]
    [InlineData("delete NCM-2026-0042")]
    public async Task What_no_function_does_is_declined_with_nulls(string message)
    {
        var plan = await PlanAsync(Roles.Owner, message);
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("plugin").ValueKind);
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("function").ValueKind);
        Assert.Empty(plan.GetProperty("arguments").EnumerateObject());
    }

    [Fact]
    public async Task Only_functions_the_caller_may_call_are_planned()
    {
        // A viewer may read NCMs but not disposition them.
        var plan = await PlanAsync(Roles.Viewer, "scrap NCM-2026-0042, the cracks go through the wall");
        Assert.NotEqual("disposition_ncm", plan.GetProperty("function").GetString());
    }

    [Theory]
    [InlineData("{}", "message")]
    [InlineData("""{ "message": "   " }""", "message")]
    public async Task A_bad_body_is_a_validation_problem(string body, string field)
    {
        var response = await fixture.Tenant.ClientFor(Roles.Viewer).PostAsync("/api/chat/plan", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Planning_needs_a_signed_in_caller()
    {
        var response = await fixture.Factory.CreateClient().PostAsJsonAsync("/api/chat/plan", new { message = "list open ncms" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
