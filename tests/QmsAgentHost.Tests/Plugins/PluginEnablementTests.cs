using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Scheduling;
using QmsAgentHost.Tests.Api;

namespace QmsAgentHost.Tests.Plugins;

public sealed class PluginEnablementTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task An_admin_switches_a_plugin_off_for_their_organization_only()
    {
        var a = await fixture.Factory.CreateTenantAsync("enable-a-" + Guid.NewGuid().ToString("N")[..6]);
        var b = await fixture.Factory.CreateTenantAsync("enable-b-" + Guid.NewGuid().ToString("N")[..6]);

        var off = await a.ClientFor(Roles.Admin).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false, reason = "not licensed here" });

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabledForOrganization").GetBoolean());
        var refused = await a.ClientFor(Roles.Owner).PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Ann" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("switched off for your organization", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var other = await b.ClientFor(Roles.Viewer).PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Bo" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var listedForB = await b.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/plugins/hello");
        Assert.True(listedForB.GetProperty("enabledForOrganization").GetBoolean());

        var on = await a.ClientFor(Roles.Admin).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = true });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.ClientFor(Roles.Owner).PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Ann" })).StatusCode);
    }

    [Fact]
    public async Task A_switched_off_plugin_runs_no_job_for_that_organization()
    {
        var a = await fixture.Factory.CreateTenantAsync("enable-job-" + Guid.NewGuid().ToString("N")[..6]);
        (await a.ClientFor(Roles.Admin).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false })).EnsureSuccessStatusCode();
        var before = await fixture.Factory.Services.GetRequiredService<PluginJobRunner>()
            .RunForAllTenantsAsync("hello", "guest-book-digest", TimeProvider.System.GetUtcNow(), CancellationToken.None);

        (await a.ClientFor(Roles.Admin).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = true })).EnsureSuccessStatusCode();
        var after = await fixture.Factory.Services.GetRequiredService<PluginJobRunner>()
            .RunForAllTenantsAsync("hello", "guest-book-digest", TimeProvider.System.GetUtcNow(), CancellationToken.None);

        Assert.Equal(before.Succeeded + 1, after.Succeeded);
    }

    [Theory]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Auditor)]
    public async Task Only_holders_of_admin_plugins_may_switch_plugins(string role)
    {
        var a = await fixture.Factory.CreateTenantAsync("enable-perm-" + Guid.NewGuid().ToString("N")[..6]);

        var response = await a.ClientFor(role).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        var admin = (await fixture.Factory.CreateTenantAsync("enable-bad-" + Guid.NewGuid().ToString("N")[..6])).ClientFor(Roles.Admin);

        var missing = await admin.PutAsJsonAsync("/api/plugins/hello/enabled", new { reason = "no flag" });
        var unknown = await admin.PutAsJsonAsync("/api/plugins/nope/enabled", new { enabled = false });
        var garbage = await admin.PutAsync("/api/plugins/hello/enabled", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        foreach (var response in new[] { missing, unknown, garbage })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
